"""Reading geofinder's own exports back (GeoJSON through import_osm, CSV through import_csv).

An export carries each place's `source` and `source_id`, so a re-import keys it as its source
did: into the same database it changes nothing; into one where the places were deleted, it
recreates them (same name, categories, point, address, services, hours, status, extra tags),
under their original source and licence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from geofinder.imports.sources import features_of, read_json
from geofinder.places.exchange import GENERATOR  # the `generator` member of a geofinder export
from geofinder.places.models import SERVICES, Place
from geofinder.places.records import PlaceRecord

# Columns of a geofinder CSV export that a re-import reads (the others are derived).
CSV_REQUIRED = [
    "lon", "lat", "name", "category_slug", "address", "postcode", "city", "opening_hours", *SERVICES,
    "phone", "email", "website", "shop_url", "status", "source", "source_id", "secondary_categories",
    "location_precision", "extra",
]
TRUE, FALSE = "true", "false"


def geofinder_geojson(path: Path) -> dict | None:
    """The FeatureCollection of a .geojson file when it is a geofinder export (its `generator`
    says so), else None; read once, for the check and the import."""
    if not path.name.lower().endswith((".geojson", ".geojson.gz")):
        return None
    data = read_json(path)
    return data if isinstance(data, dict) and data.get("generator") == GENERATOR else None


def geojson_rows(path: Path, data: dict) -> Iterator[tuple[str, dict]]:
    """(feature reference, flat row with the CSV export's column names) of each feature of an
    export's FeatureCollection (`data`, read from `path`)."""
    for index, feature in enumerate(features_of(path, data), start=1):
        props = feature.get("properties") or {}
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
        except (KeyError, TypeError, ValueError):
            lon = lat = None
        row = {name: props.get(name) for name in CSV_REQUIRED if name in props}
        if "category_slug" in props:  # properties=flat: the CSV's columns already
            row.update(artisan=props.get("artisan", False), lon=lon, lat=lat)
            yield f"feature {index} ({props.get('source')}:{props.get('source_id')})", row
            continue
        row.update(
            artisan=props.get("artisan", False),
            lon=lon,
            lat=lat,
            category_slug=(props.get("category") or {}).get("slug"),
            address=props.get("address"),
            **{service: (props.get("services") or {}).get(service, False) for service in SERVICES},
        )
        yield f"feature {index} ({props.get('source')}:{props.get('source_id')})", row


def export_record(row: dict, *, categories: set[str]) -> tuple[str, PlaceRecord] | str:
    """(source, record) of one exported place, from a GeoJSON feature's flattened properties
    or a CSV row (strings); or the reason it cannot be read back. `categories`: known slugs."""
    missing = [name for name in ("source", "source_id", "name", "category_slug") if not row.get(name)]
    if missing:
        return f"missing {', '.join(missing)}"
    try:
        lon, lat = float(row["lon"]), float(row["lat"])
    except (TypeError, ValueError):
        return f"unreadable coordinates {row.get('lon')!r}, {row.get('lat')!r}"
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return f"coordinates out of range: {lon}, {lat}"
    status = row.get("status") or Place.Status.ACTIVE
    if status not in Place.Status.values:
        return f"unknown status {status!r}"
    try:
        secondary = _json(row.get("secondary_categories"), [])
        extra = _json(row.get("extra"), {})
        services = {service: _boolean(row.get(service)) for service in SERVICES}
        artisan = _boolean(row.get("artisan"))  # absent from exports made before the field
    except ValueError as exc:
        return str(exc)
    unknown = [slug for slug in (row["category_slug"], *secondary) if slug not in categories]
    if unknown:
        return f"unknown category {', '.join(map(repr, unknown))} (not in this instance's taxonomy)"
    record = PlaceRecord(
        source_id=str(row["source_id"]),
        name=row["name"],
        category=row["category_slug"],
        secondary_categories=list(secondary),
        lon=lon,
        lat=lat,
        location_precision=row.get("location_precision") or Place.LocationPrecision.SOURCE,
        street=row.get("address") or "",
        postcode=row.get("postcode") or "",
        city=row.get("city") or "",
        phone=row.get("phone") or "",
        email=row.get("email") or "",
        website=row.get("website") or "",
        shop_url=row.get("shop_url") or "",
        opening_hours=row.get("opening_hours") or "",
        status=status,
        extra=dict(extra),
        artisan=artisan,
        **services,
    )
    return str(row["source"]), record


def _json(value, default):
    """A list or dict as given (GeoJSON) or as JSON text (CSV); empty means `default`."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"unreadable JSON {value[:40]!r} ({exc})") from None
    if not isinstance(value, type(default)):
        raise ValueError(f"expected a JSON {type(default).__name__}, got {value!r}")
    return value


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text not in (TRUE, FALSE, ""):
        raise ValueError(f"expected true or false, got {value!r}")
    return text == TRUE
