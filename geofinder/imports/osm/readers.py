"""Reading OpenStreetMap features from files (.osm XML, .osm.pbf, Overpass JSON, GeoJSON)
and, with network use enabled, from a place name through osmnx."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape

from geofinder.imports.errors import SourceError
from geofinder.imports.sources import read_json

# Top-level keys whose features may be shops or artisans (filtered further by the taxonomy).
POI_KEYS = ("shop", "craft", "amenity", "healthcare", "office")


@dataclass(frozen=True)
class OsmFeature:
    osm_type: str  # node, way, relation
    osm_id: int
    tags: dict[str, str]
    lon: float
    lat: float

    @property
    def ref(self) -> str:
        return f"{self.osm_type}/{self.osm_id}"


def read_osm_file(path: Path) -> Iterator[OsmFeature]:
    """Features with a POI key from any supported file, chosen by its extension."""
    name = path.name.lower()
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    if name.endswith((".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz")):
        return _read_with_osmium(path)
    if name.endswith((".geojson", ".geojson.gz")):
        return _read_geojson(path)
    if name.endswith((".json", ".json.gz")):
        return _read_overpass_json(path)
    raise SourceError(f"{path}: unknown OSM file type (expected .osm, .osm.pbf, Overpass .json or .geojson)")


def _has_poi_key(tags: dict) -> bool:
    return any(key in tags for key in POI_KEYS)


def _read_with_osmium(path: Path) -> Iterator[OsmFeature]:
    import osmium

    try:
        processor = osmium.FileProcessor(str(path)).with_locations()
        for obj in processor:
            tags = {tag.k: tag.v for tag in obj.tags}
            if not _has_poi_key(tags):
                continue
            if obj.is_node():
                if obj.location.valid():
                    yield OsmFeature("node", obj.id, tags, obj.location.lon, obj.location.lat)
            elif obj.is_way():
                coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
                if coords:
                    point = shapely.centroid(shapely.MultiPoint(coords))
                    yield OsmFeature("way", obj.id, tags, point.x, point.y)
    except RuntimeError as exc:  # pyosmium reports unreadable files as RuntimeError
        raise SourceError(f"{path}: unreadable OSM file ({exc})") from exc


def _read_overpass_json(path: Path) -> Iterator[OsmFeature]:
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise SourceError(f"{path}: not Overpass JSON (no 'elements' list)")
    for element in data["elements"]:
        tags = element.get("tags") or {}
        if not _has_poi_key(tags):
            continue
        if "lat" in element and "lon" in element:
            lon, lat = element["lon"], element["lat"]
        elif "center" in element:
            lon, lat = element["center"]["lon"], element["center"]["lat"]
        else:
            continue  # a way or relation without `out center`: no position
        yield OsmFeature(element.get("type", "node"), int(element["id"]), tags, float(lon), float(lat))


def _read_geojson(path: Path) -> Iterator[OsmFeature]:
    data = read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{path}: not a GeoJSON FeatureCollection")
    for index, feature in enumerate(data.get("features") or [], start=1):
        props = dict(feature.get("properties") or {})
        osm_type, osm_id = _geojson_osm_id(feature, props)
        tags = {k: str(v) for k, v in props.items() if not k.startswith("@") and v is not None and k not in ("id", "type")}
        if not _has_poi_key(tags) or osm_id is None:
            continue
        try:
            point = shape(feature["geometry"]).representative_point()
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            raise SourceError(f"{path}: feature {index} ({osm_type}/{osm_id}) has no usable geometry") from None
        yield OsmFeature(osm_type, osm_id, tags, point.x, point.y)


def _geojson_osm_id(feature: dict, props: dict) -> tuple[str, int | None]:
    """OSM type and id from overpass-turbo's "node/123" ids or osmnx's element/id columns."""
    for candidate in (props.get("@id"), feature.get("id"), props.get("id")):
        if isinstance(candidate, str) and "/" in candidate:
            osm_type, _, number = candidate.partition("/")
            if number.isdigit():
                return osm_type, int(number)
    if props.get("element") in ("node", "way", "relation") and str(props.get("id", "")).isdigit():
        return props["element"], int(props["id"])
    return "node", None


def read_osm_place(place: str) -> Iterator[OsmFeature]:
    """Shops, crafts and amenities of a named place, from Overpass through osmnx (network)."""
    import osmnx

    tags = {key: True for key in POI_KEYS}
    frame = osmnx.features.features_from_place(place, tags=tags)
    for (element, osm_id), row in frame.iterrows():
        feature_tags = {k: str(v) for k, v in row.items() if k != "geometry" and isinstance(v, str | int | float) and v == v}
        point = row["geometry"].representative_point()
        yield OsmFeature(str(element), int(osm_id), feature_tags, point.x, point.y)
