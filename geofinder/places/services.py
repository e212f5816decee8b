"""Writes of the place directory: the taxonomy and the one upsert every importer goes through."""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from django.contrib.gis.geos import Point
from django.db import connection, models, transaction
from django.utils import timezone

from geofinder.core.copy import json_value, point_ewkt
from geofinder.core.hashing import content_hash
from geofinder.opening.batch import OpeningBatch
from geofinder.places.licences import licence_for
from geofinder.places.models import Category, CategoryFamily, Place, PlaceSource
from geofinder.places.opening import opening_table
from geofinder.places import merging
from geofinder.places.merging import outranks
from geofinder.places.provenance import PROVENANCE_FIELDS, is_merchant
from geofinder.places.records import PlaceRecord
from geofinder.territories.selectors import department_code_of_commune


class Outcomes(Protocol):
    """What the writes count their rows into: geofinder.imports.report.ImportReport (the
    imports sit above the places: they hand it down, the places never import it)."""

    rows_read: int
    created: int
    updated: int
    unchanged: int

    def keep(self, row: str, fields: list[str]) -> None:
        """A row whose place kept these merchant-confirmed fields against the record."""

    def join(self, row: str, *, place_id: int, matched_by: str, confidence: float) -> None:
        """A row joined to the place of another source (geofinder/places/merging.py)."""


def taxonomy_load(*, families: list[dict], categories: list[dict], report: Outcomes) -> None:
    """Create or update families and categories by slug; unchanged entries are left alone."""
    family_ids: dict[str, int] = {}
    for position, entry in enumerate(families):
        values = {"label": entry["label"], "label_en": entry["label_en"], "position": position}
        family, outcome = _upsert(CategoryFamily, entry["slug"], values)
        family_ids[family.slug] = family.pk
    for position, entry in enumerate(categories):
        report.rows_read += 1
        values = {
            "label": entry["label"],
            "label_en": entry["label_en"],
            "family_id": family_ids[entry["family"]],
            "synonyms": entry["synonyms"],
            "osm_tags": entry["osm"],
            "alimconfiance_labels": entry["alimconfiance"],
            "position": position,
        }
        _category, outcome = _upsert(Category, entry["slug"], values)
        setattr(report, outcome, getattr(report, outcome) + 1)


def _upsert(model, slug: str, values: dict):
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        return model.objects.create(slug=slug, **values), "created"
    if all(getattr(obj, name) == value for name, value in values.items()):
        return obj, "unchanged"
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj, "updated"


# Place fields written from a PlaceRecord (besides location, category and secondaries).
RECORD_FIELDS = [
    "name", "location_precision", "street", "postcode", "city", "commune_id", "phone", "email",
    "website", "shop_url", "click_and_collect", "delivery", "takeaway", "appointment", "artisan",
    "opening_hours", "opening_hours_warning", "status", "extra",
]
# What an update writes besides the record's fields.
PLACE_FIELDS = ["location", "category_id", "content_hash", "updated_at", "open_slots", "open_slots_at"]
UPSERT_BATCH = 1000
# The length of each text column a record fills (_fit), read once.
_MAX_LENGTHS = {name: Place._meta.get_field(name).max_length for name in RECORD_FIELDS}


def places_upsert(
    *, source: str, records: list[PlaceRecord], report: Outcomes, now: datetime | None = None
) -> None:
    """Create, update or leave alone each record's place, keyed by (source, source_id).

    A place whose content hash equals the record's is unchanged (a second import writes
    nothing); a changed record updates its place in place; secondary categories follow. The
    outcome of each record is counted in `report`. Records must have a commune and known
    category slugs (the importer rejects the others before calling this). `now` (default: this
    instant) is the updated_at of the places changed, and its hour when their open slots hold
    from (see slots_since).

    Provenance (geofinder/places/provenance.py): a new place gets its source as a PlaceSource
    and no field entry (its fields are its source's, of its creation); an update writes an
    entry for each field whose value changed. A field a merchant confirmed is never
    overwritten: the place keeps the merchant's value and `report.keep` names the field when
    the record said otherwise. Places with merchant-confirmed fields are compared field by
    field at every import (their hash says nothing of the merchant's values); the others only
    when their hash changed.
    """
    category_ids = dict(Category.objects.values_list("slug", "id"))
    # The places of these records only (an importer that streams calls this batch by batch); the
    # ids as one array parameter, however many records there are.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT source_id, id, content_hash, verified_at IS NOT NULL FROM {Place._meta.db_table}"
            " WHERE source = %s AND source_id = ANY(%s)",
            [source, [record.source_id for record in records]],
        )
        existing = {source_id: (pk, digest, verified) for source_id, pk, digest, verified in cursor.fetchall()}
        # The records this source gave to places of other sources (joined, see merging.py).
        cursor.execute(
            "SELECT source_id, id, place_id, content_hash FROM places_placesource"
            " WHERE source = %s AND source_id = ANY(%s)",
            [source, [record.source_id for record in records if record.source_id not in existing]],
        )
        joined = {source_id: (ps_id, place_id, digest) for source_id, ps_id, place_id, digest in cursor.fetchall()}
    licence = licence_for(source).licence[: PlaceSource._meta.get_field("licence").max_length]
    now = now or timezone.now()
    # Open slots evaluated once per distinct (opening_hours, département) of the records.
    opening = OpeningBatch(since=slots_since(now))
    for start in range(0, len(records), UPSERT_BATCH):
        batch = records[start : start + UPSERT_BATCH]
        to_create, to_compare, to_rejoin = [], [], []
        for record in batch:
            place = _place_from_record(source, record, category_ids)
            known = existing.get(record.source_id)
            if known is None and record.source_id in joined:
                if joined[record.source_id][2] == place.content_hash:
                    report.unchanged += 1
                else:
                    to_rejoin.append(place)
            elif known is None:
                to_create.append(place)
            elif known[1] != place.content_hash or known[2]:
                place.pk = known[0]
                place.location = Point(*place._lon_lat, srid=4326)
                to_compare.append(place)
            else:
                report.unchanged += 1
        to_update, unchanged = _changed_places(to_compare, source=source, now=now, report=report)
        report.unchanged += len(unchanged)
        # Unchanged but for the hash (the merchant's values kept): the record's hash is stored.
        hash_only = [place for place in unchanged if place.content_hash != existing[place.source_id][1]]
        for place in [*to_create, *to_update]:
            place.open_slots = opening.slots(place.opening_hours, department_code_of_commune(place.commune_id))
            place.open_slots_at = opening.since
        found = merging.matches(source, to_create)
        to_join = [place for place in to_create if place.source_id in found]
        to_create = [place for place in to_create if place.source_id not in found]
        _places_insert(to_create)
        _own_sources_insert(to_create, source=source, licence=licence)
        _join(source, [(place, found[place.source_id]) for place in to_join], licence=licence, now=now, report=report)
        _rejoin(source, [(place, joined[place.source_id]) for place in to_rejoin], now=now, report=report)
        Place.objects.bulk_update(to_update, fields=[*RECORD_FIELDS, *PLACE_FIELDS, "provenance"])
        for place in to_update:
            if getattr(place, "_joined", False):  # its own record, for a later split (merging.py)
                PlaceSource.objects.filter(place=place, source=source, source_id=place.source_id).update(
                    record=merging.snapshot(place, place._secondary_slugs), content_hash=place.content_hash
                )
        Place.objects.bulk_update(hash_only, fields=["content_hash"])
        _secondaries_set([*to_create, *to_update], category_ids, replace=[p.pk for p in to_update])
        report.created += len(to_create)
        report.updated += len(to_update)


def _join(source: str, joins: list[tuple[Place, merging.Match]], *, licence: str, now: datetime, report: Outcomes) -> None:
    """Records of `source` joined to the places of other sources they describe (merging.py):
    each becomes a PlaceSource of its place, whose fields take its values by precedence."""
    if not joins:
        return
    targets = Place.objects.in_bulk([match.place_id for _, match in joins])
    refresh = []
    for built, match in joins:
        target = targets[match.place_id]
        # The place's own record, kept for a later split (a place written before the sources were
        # kept has no PlaceSource of its own yet: it gets one).
        own, _ = PlaceSource.objects.get_or_create(
            source=target.source, source_id=target.source_id,
            defaults={"place": target, "licence": licence_for(target.source).licence[:200],
                      "siret": merging.record_siret(target.extra), "content_hash": target.content_hash},
        )
        if not own.record:
            own.record = merging.own_snapshot(target)
            own.save(update_fields=["record"])
        values, hours_changed = _take_values(source, target, built, now=now, report=report)
        PlaceSource.objects.create(
            place=target, source=source, source_id=built.source_id, licence=licence, record=values,
            siret=merging.record_siret(built.extra), content_hash=built.content_hash,
            matched_by=match.matched_by, confidence=match.confidence,
        )
        report.join(built.source_id, place_id=target.pk, matched_by=match.matched_by, confidence=match.confidence)
        if hours_changed:
            refresh.append(target.pk)
    if refresh:
        opening_slots_refresh(place_ids=refresh, now=now)


def _rejoin(source: str, rejoins: list[tuple[Place, tuple[int, int, str]]], *, now: datetime, report: Outcomes) -> None:
    """Changed records of `source` joined earlier to places of other sources: their record is
    kept, and the place takes their values by precedence."""
    if not rejoins:
        return
    targets = Place.objects.in_bulk([place_id for _, (_, place_id, _) in rejoins])
    refresh = []
    for built, (ps_id, place_id, _) in rejoins:
        target = targets[place_id]
        values, hours_changed = _take_values(source, target, built, now=now, report=report)
        PlaceSource.objects.filter(pk=ps_id).update(record=values, content_hash=built.content_hash)
        report.updated += 1
        if hours_changed:
            refresh.append(target.pk)
    if refresh:
        opening_slots_refresh(place_ids=refresh, now=now)


def _take_values(source: str, target: Place, built: Place, *, now: datetime, report: Outcomes) -> tuple[dict, bool]:
    """The place `target` takes the values of `built` (a record of `source` joined to it) by
    precedence (merging.apply), written at once; the fields a merchant confirmed are kept and
    named in `report`. Returns the record's values, to keep on its PlaceSource, and whether the
    place's opening hours changed (its open slots then need a refresh)."""
    values = merging.snapshot(built, built._secondary_slugs)
    changes, kept = merging.apply(target, source=source, values=values, now=now)
    merging.write(target.pk, changes, provenance=target.provenance, now=now, joined=True)
    if kept:
        report.keep(built.source_id, kept)
    return values, "opening_hours" in changes


def _places_insert(places: list[Place]) -> None:
    """Insert new places as bulk_create would (each gets its pk; auto dates and database
    triggers alike), through COPY: building and binding one INSERT of a thousand rows of 28
    columns costed more than ten times what PostgreSQL spends writing them (import_sirene)."""
    if not places:
        return
    fields = [field for field in Place._meta.concrete_fields if not field.primary_key]
    readers = [_copy_reader(field, places[0]) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Place._meta.db_table, len(places)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(["id", *(connection.ops.quote_name(field.column) for field in fields)])
        with cursor.connection.cursor().copy(f"COPY {Place._meta.db_table} ({columns}) FROM STDIN") as copy:
            for pk, place in zip(ids, places, strict=True):
                place.pk = pk
                copy.write_row([pk, *(read(place) for read in readers)])
    for place in places:
        place._state.adding = False


def _copy_reader(field, first: Place) -> Callable[[Place], object]:
    """How COPY reads `field` of a new place, as a save would write it: an auto_now(_add) date
    the same for the whole batch (the instant of its first place's, set on each place too),
    the location as given (reading it back from GEOS costs more), JSON encoded by orjson."""
    attname = field.attname
    if attname == "location":
        return lambda place: point_ewkt(*place._lon_lat)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        instant = field.pre_save(first, True)

        def auto_date(place: Place):
            setattr(place, attname, instant)
            return instant

        return auto_date
    if isinstance(field, models.JSONField):
        return lambda place: json_value(getattr(place, attname))
    return operator.attrgetter(attname)


# A new place's own PlaceSource: the columns _own_sources_insert fills (the others are null).
_OWN_SOURCE_COLUMNS = ("place_id", "source", "source_id", "licence", "created_at", "siret", "content_hash", "record",
                       "matched_by")
_OWN_SOURCES_TABLE = "geofinder_new_place_sources"


def _own_sources_insert(places: list[Place], *, source: str, licence: str) -> None:
    """Give each new place (inserted, with its pk) its own PlaceSource, as
    bulk_create(ignore_conflicts=True) would: copied into a temporary table, then inserted from
    it in one statement that skips a (source, source_id) already kept. Building the ORM's INSERT
    of 5,000 rows (a model instance and nine bound values each) cost 2.5 s of a 300,000-row
    register import (bench-import)."""
    if not places:
        return
    created_at = timezone.now()  # auto_now_add, as a save sets it
    columns = ", ".join(_OWN_SOURCE_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {_OWN_SOURCES_TABLE} ON COMMIT DROP AS"
            f" SELECT {columns} FROM {PlaceSource._meta.db_table} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {_OWN_SOURCES_TABLE}")
        with cursor.connection.cursor().copy(f"COPY {_OWN_SOURCES_TABLE} ({columns}) FROM STDIN") as copy:
            for place in places:
                copy.write_row([place.pk, source, place.source_id, licence, created_at,
                                merging.record_siret(place.extra), place.content_hash, json_value({}), ""])
        cursor.execute(
            f"INSERT INTO {PlaceSource._meta.db_table} ({columns}) SELECT {columns} FROM {_OWN_SOURCES_TABLE}"
            " ON CONFLICT DO NOTHING"
        )


def places_remove(*, source: str, source_ids: list[str]) -> int:
    """Delete the places of `source` with these source ids (a source that no longer lets them
    be shown: an establishment of the register that became non-diffusible); returns how many."""
    if not source_ids:
        return 0
    # Joined to places of other sources: taken off them, their fields rebuilt from the others.
    for joined in PlaceSource.objects.filter(source=source, source_id__in=source_ids).exclude(
        place__source=source
    ).select_related("place"):
        merging.detach(joined.place, joined)
    _total, by_model = Place.objects.filter(source=source, source_id__in=source_ids).delete()
    return by_model.get(Place._meta.label, 0)


def _changed_places(
    places: list[Place], *, source: str, now: datetime, report: Outcomes
) -> tuple[list[Place], list[Place]]:
    """These places, built from their records, compared field by field with what is stored:
    (those to update, with the stored values of their merchant-confirmed fields and a
    provenance entry for each changed field; those whose stored values already match)."""
    if not places:
        return [], []
    stored = Place.objects.in_bulk([place.pk for place in places])
    secondaries: dict[int, list[str]] = {}
    through = Place.secondary_categories.through
    for place_id, slug in (
        through.objects.filter(place_id__in=list(stored)).order_by("id").values_list("place_id", "category__slug")
    ):
        secondaries.setdefault(place_id, []).append(slug)
    to_update, unchanged = [], []
    at = now.isoformat()
    for place in places:
        before = stored.get(place.pk)
        if before is None:  # deleted since the import started: its record stands as it is
            to_update.append(place)
            continue
        provenance = dict(before.provenance)
        kept, changed = [], []
        for name, columns in PROVENANCE_FIELDS.items():
            if name == "secondary_categories":
                old, new = secondaries.get(place.pk, []), place._secondary_slugs
                differs = old != new
            else:
                differs = any(_differs(getattr(before, column), getattr(place, column)) for column in columns)
            if not differs:
                continue
            holder = (provenance.get(name) or {}).get("source")
            if is_merchant(provenance, name) or (holder not in (None, source) and not outranks(name, source, holder)):
                if is_merchant(provenance, name):
                    kept.append(name)  # another source's value is kept silently (merging.py)
                if name == "secondary_categories":
                    place._secondary_slugs = secondaries.get(place.pk, [])
                for column in columns:
                    setattr(place, column, getattr(before, column))
            else:
                changed.append(name)
                provenance[name] = {"source": source, "at": at}
        if kept:
            report.keep(place.source_id, kept)
        place.provenance, place.verified_at = provenance, before.verified_at
        place._joined = before.joined
        if changed or before.extra != place.extra:
            place.updated_at = now
            to_update.append(place)
        else:
            unchanged.append(place)
    return to_update, unchanged


def _differs(old, new) -> bool:
    if isinstance(old, Point) and isinstance(new, Point):
        return old.coords != new.coords
    return old != new


def _place_from_record(source: str, record: PlaceRecord, category_ids: dict[str, int]) -> Place:
    values = {name: _fit(name, getattr(record, name)) for name in RECORD_FIELDS}
    secondary = list(dict.fromkeys(s for s in record.secondary_categories if s != record.category))
    # The hash is that of what is stored (strings cut to their columns, secondary categories
    # without repeats), so that a place read back (an export re-imported) is unchanged; for
    # every other record it is the hash of the record as given.
    hashed = {**record.as_dict(), **values, "secondary_categories": secondary}
    if not hashed["artisan"]:
        # Places of sources without artisans keep the hashes they had before the field existed
        # (a re-import after the upgrade writes nothing).
        del hashed["artisan"]
    place = Place(
        source=source,
        source_id=record.source_id,
        category_id=category_ids[record.category],
        content_hash=content_hash(hashed),
        **values,
    )
    place._secondary_slugs = secondary
    # The location as given: a GEOS point is built only for an update (bulk_update writes it);
    # a new place is written by COPY from these (a GEOS point per place cost more than its hash).
    place._lon_lat = (record.lon, record.lat)
    return place


def _secondaries_set(places: list[Place], category_ids: dict[str, int], *, replace: list[int]) -> None:
    through = Place.secondary_categories.through
    if replace:
        through.objects.filter(place_id__in=replace).delete()
    through.objects.bulk_create(
        [
            through(place_id=place.pk, category_id=category_ids[slug])
            for place in places
            for slug in dict.fromkeys(place._secondary_slugs)
        ]
    )


def _fit(name: str, value):
    """Cut a string to its column's length (sources sometimes exceed it: long OSM URLs)."""
    max_length = _MAX_LENGTHS.get(name)
    if isinstance(value, str) and max_length and len(value) > max_length:
        return value[:max_length]
    return value


def slots_since(now: datetime) -> datetime:
    """The instant open slots computed at `now` hold from (its hour: computations share it)."""
    return now.replace(minute=0, second=0, microsecond=0)


# The temporary table of the open slots of each key (see opening_slots_refresh).
SLOTS_TABLE = "geofinder_open_slots"


def opening_slots_refresh(
    *, place_ids: list[int] | None = None, missing_only: bool = False,
    progress: Callable[[int], object] | None = None, now: datetime | None = None,
) -> int:
    """Compute the open slots (geofinder/opening/slots.py) of these places, of every place when
    None (only of those without computed slots if `missing_only`), from the hour of `now`
    (default: this instant) on; returns how many places got them. Evaluated once per distinct
    (opening_hours, département) (the opening batch); a place whose hours changed meanwhile
    keeps "any time"."""
    if place_ids is not None and not place_ids:
        return 0
    since = slots_since(now or timezone.now())
    only = " AND p.id = ANY(%(ids)s)" if place_ids is not None else ""
    if missing_only:
        only += " AND p.open_slots_at IS NULL"
    keys_sql = f"""SELECT DISTINCT p.opening_hours, co.department_id, '' FROM places_place p
        JOIN territories_commune co ON co.id = p.commune_id WHERE true{only}"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(keys_sql, {"ids": place_ids})
        opening_table(
            table=SLOTS_TABLE, keys=[cursor.fetchall()], batch=OpeningBatch(since=since), slots=True,
            progress=progress,
        )
        cursor.execute(
            f"""UPDATE places_place p SET open_slots = s.slots, open_slots_at = %(since)s
                FROM territories_commune co JOIN {SLOTS_TABLE} s ON s.department_id = co.department_id
                WHERE co.id = p.commune_id AND s.opening_hours = p.opening_hours{only}""",
            {"since": since, "ids": place_ids},
        )
        return cursor.rowcount
