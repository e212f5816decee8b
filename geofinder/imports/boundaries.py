"""Régions, départements and communes from the IGN ADMIN EXPRESS 2018 GeoJSON files."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from geofinder.core.hashing import content_hash
from geofinder.core.text import place_name_key
from geofinder.imports.errors import SourceError
from geofinder.imports.report import ImportReport


def multipolygon(geometry: dict, *, row: str, report: ImportReport) -> str | None:
    """A valid MultiPolygon (SRID 4326, hex EWKB: as_multipolygon) from a GeoJSON geometry;
    invalid ones are repaired.

    A repaired geometry is reported as a warning with GEOS's reason; an empty or non-areal one
    rejects the row.
    """
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException) as exc:
        report.reject(row, f"unreadable geometry: {exc}")
        return None
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        geom = shapely.make_valid(geom)
        report.warn(row, f"invalid geometry repaired with make_valid ({reason})")
    multi = as_multipolygon(geom)
    if multi is None:
        report.reject(row, f"no polygon in geometry of type {geometry.get('type')}")
    return multi


def as_multipolygon(geom) -> str | None:
    """The polygons of a shapely geometry as one MultiPolygon (SRID 4326) in hex EWKB, or None
    when it has none: the text a geometry column reads from COPY, and a model's geometry field
    from an assignment (no GEOS object built only to be written out again)."""
    polygons = _polygons(geom)
    if not polygons:
        return None
    return shapely.to_wkb(shapely.set_srid(MultiPolygon(polygons), 4326), hex=True, include_srid=True)


def _polygons(geom) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom] if not geom.is_empty else []
    return [part for g in getattr(geom, "geoms", []) for part in _polygons(g)]


def territory_rows(
    features: Iterable[dict],
    *,
    path: Path,
    report: ImportReport,
    parent_field: str | None = None,
    parent_property: str | None = None,
    parent_ids: dict[str, int] | None = None,
    known: dict[str, str] | None = None,
) -> Iterator[dict]:
    """Model rows (code, name, geom, parent id, source_hash) from boundary features.

    `parent_property` names the feature property holding the parent's code (e.g. `code_region`),
    resolved to an id through `parent_ids` and stored in `parent_field` (e.g. `region_id`).
    A code met again is rejected (the first feature with a usable geometry keeps it). A row whose
    hash is its code's in `known` (code → source_hash of the rows stored) comes with its code and
    hash only: its geometry, stored from the same feature, is not built again (nor its repair
    reported again).
    """
    required = ["code", "nom"] + ([parent_property] if parent_property else [])
    first: dict[str, str] = {}  # code → the row that brought it
    for index, feature in enumerate(features, start=1):
        report.rows_read += 1
        props = feature.get("properties") or {}
        row = f"feature {index} ({props.get('code', '?')} {props.get('nom', '')})".strip()
        missing = [name for name in required if not props.get(name)]
        if missing:
            if index == 1:
                raise SourceError(
                    f"{path}: features lack the propert{'y' if len(missing) == 1 else 'ies'} "
                    f"{', '.join(missing)}; found: {', '.join(props) or '(none)'}"
                )
            report.reject(row, f"missing property: {', '.join(missing)}")
            continue
        values = {"code": str(props["code"]), "name": props["nom"]}
        if values["code"] in first:
            report.reject(row, f"duplicate code {values['code']}: {first[values['code']]} has it already")
            continue
        if parent_property:
            parent_id = parent_ids.get(str(props[parent_property]))
            if parent_id is None:
                report.reject(row, f"unknown parent: {parent_property}={props[parent_property]}")
                continue
            values[parent_field] = parent_id
        geometry = feature.get("geometry") or {}
        source_hash = content_hash([values["code"], values["name"], values.get(parent_field), geometry])
        if known and known.get(values["code"]) == source_hash:
            first[values["code"]] = row
            yield {"code": values["code"], "source_hash": source_hash}
            continue
        geom = multipolygon(geometry, row=row, report=report)
        if geom is None:
            continue
        values["geom"] = geom
        first[values["code"]] = row
        values["source_hash"] = source_hash
        if parent_field == "department_id":
            values["search_name"] = place_name_key(values["name"])
        yield values
