"""Writes of the place directory: the taxonomy and the one upsert every importer goes through."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from geofinder.core.hashing import content_hash
from geofinder.opening.batch import OpeningBatch
from geofinder.places.models import Category, CategoryFamily, Place
from geofinder.places.opening import opening_table
from geofinder.places.records import PlaceRecord
from geofinder.territories.selectors import department_code_of_commune


class Outcomes(Protocol):
    """What the writes count their rows into: geofinder.imports.report.ImportReport (the
    imports sit above the places: they hand it down, the places never import it)."""

    rows_read: int
    created: int
    updated: int
    unchanged: int


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
    "website", "shop_url", "click_and_collect", "delivery", "takeaway", "appointment",
    "opening_hours", "opening_hours_warning", "status", "extra",
]
# What an update writes besides the record's fields.
PLACE_FIELDS = ["location", "category_id", "content_hash", "updated_at", "open_slots", "open_slots_at"]
UPSERT_BATCH = 1000


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
    """
    category_ids = dict(Category.objects.values_list("slug", "id"))
    existing = {
        source_id: (pk, digest)
        for source_id, pk, digest in Place.objects.filter(source=source).values_list("source_id", "pk", "content_hash")
    }
    now = now or timezone.now()
    # Open slots evaluated once per distinct (opening_hours, département) of the records.
    opening = OpeningBatch(since=slots_since(now))
    for start in range(0, len(records), UPSERT_BATCH):
        batch = records[start : start + UPSERT_BATCH]
        to_create, to_update = [], []
        for record in batch:
            place = _place_from_record(source, record, category_ids)
            known = existing.get(record.source_id)
            if known is None:
                to_create.append(place)
            elif known[1] != place.content_hash:
                place.pk, place.updated_at = known[0], now
                to_update.append(place)
            else:
                report.unchanged += 1
        for place in [*to_create, *to_update]:
            place.open_slots = opening.slots(place.opening_hours, department_code_of_commune(place.commune_id))
            place.open_slots_at = opening.since
        Place.objects.bulk_create(to_create)
        Place.objects.bulk_update(
            to_update,
            fields=[*RECORD_FIELDS, *PLACE_FIELDS],
        )
        _secondaries_set([*to_create, *to_update], category_ids, replace=[p.pk for p in to_update])
        report.created += len(to_create)
        report.updated += len(to_update)


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
