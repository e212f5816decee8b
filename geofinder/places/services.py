"""Writes of the place directory: the taxonomy and the one upsert every importer goes through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from geofinder.imports.report import ImportReport
from geofinder.imports.sources import content_hash
from geofinder.opening.slots import open_slots
from geofinder.places.licences import licence_for
from geofinder.places.models import Category, CategoryFamily, Place, PlaceSource
from geofinder.places.provenance import PROVENANCE_FIELDS, is_merchant
from geofinder.places.records import PlaceRecord
from geofinder.territories.selectors import department_code_of_commune


def taxonomy_load(*, families: list[dict], categories: list[dict], report: ImportReport) -> None:
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
    "website", "shop_url", "click_and_collect", "delivery", "takeaway", "appointment",
    "opening_hours", "opening_hours_warning", "status", "extra",
]
# What an update writes besides the record's fields.
PLACE_FIELDS = ["location", "category_id", "content_hash", "updated_at", "open_slots", "open_slots_at"]
UPSERT_BATCH = 1000


def places_upsert(*, source: str, records: list[PlaceRecord], report: ImportReport) -> None:
    """Create, update or leave alone each record's place, keyed by (source, source_id).

    A place whose content hash equals the record's is unchanged (a second import writes
    nothing); a changed record updates its place in place; secondary categories follow. The
    outcome of each record is counted in `report`. Records must have a commune and known
    category slugs (the importer rejects the others before calling this).

    Provenance (geofinder/places/provenance.py): a new place gets its source as a PlaceSource
    and no field entry (its fields are its source's, of its creation); an update writes an
    entry for each field whose value changed. A field a merchant confirmed is never
    overwritten: the place keeps the merchant's value and `report.keep` names the field when
    the record said otherwise. Places with merchant-confirmed fields are compared field by
    field at every import (their hash says nothing of the merchant's values); the others only
    when their hash changed.
    """
    category_ids = dict(Category.objects.values_list("slug", "id"))
    existing = {
        source_id: (pk, digest, verified_at is not None)
        for source_id, pk, digest, verified_at in Place.objects.filter(source=source).values_list(
            "source_id", "pk", "content_hash", "verified_at"
        )
    }
    licence = licence_for(source).licence[: PlaceSource._meta.get_field("licence").max_length]
    now = timezone.now()
    for start in range(0, len(records), UPSERT_BATCH):
        batch = records[start : start + UPSERT_BATCH]
        to_create, to_compare = [], []
        for record in batch:
            place = _place_from_record(source, record, category_ids)
            known = existing.get(record.source_id)
            if known is None:
                to_create.append(place)
            elif known[1] != place.content_hash or known[2]:
                place.pk = known[0]
                to_compare.append(place)
            else:
                report.unchanged += 1
        to_update, unchanged = _changed_places(to_compare, source=source, now=now, report=report)
        report.unchanged += len(unchanged)
        # Unchanged but for the hash (the merchant's values kept): the record's hash is stored.
        hash_only = [place for place in unchanged if place.content_hash != existing[place.source_id][1]]
        since = slots_since()
        for place in [*to_create, *to_update]:
            department_code = department_code_of_commune(place.commune_id)
            place.open_slots = list(open_slots(place.opening_hours, department_code, since))
            place.open_slots_at = since
        Place.objects.bulk_create(to_create)
        PlaceSource.objects.bulk_create(
            [PlaceSource(place=place, source=source, source_id=place.source_id, licence=licence) for place in to_create],
            ignore_conflicts=True,
        )
        Place.objects.bulk_update(to_update, fields=[*RECORD_FIELDS, *PLACE_FIELDS, "provenance"])
        Place.objects.bulk_update(hash_only, fields=["content_hash"])
        _secondaries_set([*to_create, *to_update], category_ids, replace=[p.pk for p in to_update])
        report.created += len(to_create)
        report.updated += len(to_update)


def _changed_places(
    places: list[Place], *, source: str, now: datetime, report: ImportReport
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
            if is_merchant(provenance, name):
                kept.append(name)
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
    place = Place(
        source=source,
        source_id=record.source_id,
        category_id=category_ids[record.category],
        location=Point(record.lon, record.lat, srid=4326),
        content_hash=content_hash({**record.as_dict(), **values, "secondary_categories": secondary}),
        **values,
    )
    place._secondary_slugs = secondary
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
    max_length = Place._meta.get_field(name).max_length
    if isinstance(value, str) and max_length and len(value) > max_length:
        return value[:max_length]
    return value


def slots_since() -> datetime:
    """The instant open slots computed now hold from (this hour: computations share it)."""
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def opening_slots_refresh(
    *, place_ids: list[int] | None = None, missing_only: bool = False,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Compute the open slots (geofinder/opening/slots.py) of these places, of every place when
    None (only of those without computed slots if `missing_only`), from this hour on; returns
    how many places got them. Evaluated once per distinct (opening_hours, département); a place
    whose hours changed meanwhile keeps "any time"."""
    if place_ids is not None and not place_ids:
        return 0
    since = slots_since()
    only = " AND p.id = ANY(%(ids)s)" if place_ids is not None else ""
    if missing_only:
        only += " AND p.open_slots_at IS NULL"
    keys_sql = f"""SELECT DISTINCT p.opening_hours, d.code FROM places_place p
        JOIN territories_commune co ON co.id = p.commune_id JOIN territories_department d ON d.id = co.department_id
        WHERE true{only}"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(keys_sql, {"ids": place_ids})
        keys = cursor.fetchall()
        cursor.execute("DROP TABLE IF EXISTS geofinder_open_slots")
        cursor.execute(
            "CREATE TEMPORARY TABLE geofinder_open_slots (opening_hours text, department_code text, slots integer[])"
            " ON COMMIT DROP"
        )
        with cursor.connection.cursor().copy("COPY geofinder_open_slots FROM STDIN") as copy:
            for raw, department_code in keys:
                copy.write_row((raw, department_code, list(open_slots(raw, department_code, since))))
                if progress:
                    progress(1)
        cursor.execute(
            f"""UPDATE places_place p SET open_slots = s.slots, open_slots_at = %(since)s
                FROM territories_commune co JOIN territories_department d ON d.id = co.department_id
                JOIN geofinder_open_slots s ON s.department_code = d.code
                WHERE co.id = p.commune_id AND s.opening_hours = p.opening_hours{only}""",
            {"since": since, "ids": place_ids},
        )
        return cursor.rowcount
