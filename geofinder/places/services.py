"""Writes of the place directory: the taxonomy and the one upsert every importer goes through."""

from __future__ import annotations

from django.contrib.gis.geos import Point
from django.utils import timezone

from geofinder.imports.report import ImportReport
from geofinder.imports.sources import content_hash
from geofinder.places.models import Category, CategoryFamily, Place
from geofinder.places.records import PlaceRecord


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
UPSERT_BATCH = 1000


def places_upsert(*, source: str, records: list[PlaceRecord], report: ImportReport) -> None:
    """Create, update or leave alone each record's place, keyed by (source, source_id).

    A place whose content hash equals the record's is unchanged (a second import writes
    nothing); a changed record updates its place in place; secondary categories follow. The
    outcome of each record is counted in `report`. Records must have a commune and known
    category slugs (the importer rejects the others before calling this).
    """
    category_ids = dict(Category.objects.values_list("slug", "id"))
    existing = {
        source_id: (pk, digest)
        for source_id, pk, digest in Place.objects.filter(source=source).values_list("source_id", "pk", "content_hash")
    }
    now = timezone.now()
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
        Place.objects.bulk_create(to_create)
        Place.objects.bulk_update(
            to_update,
            fields=[*RECORD_FIELDS, "location", "category_id", "content_hash", "updated_at"],
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
