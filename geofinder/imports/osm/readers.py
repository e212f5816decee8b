"""Reading OpenStreetMap features from files (.osm XML, .osm.pbf, Overpass JSON, GeoJSON)
and, with network use enabled, from a place name through osmnx."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import Point, shape

from geofinder.imports.errors import SourceError
from geofinder.imports.osm.geometry import relation_point, way_point
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


@dataclass(frozen=True)
class Unplaced:
    """A row of the file that has a POI key but cannot be placed: the reason it is rejected."""

    ref: str
    reason: str
    tags: dict[str, str] = field(default_factory=dict, compare=False)


# What an OSM file holds besides its rows (ImportReport.skip): the nodes of ways, roads, etc.
NOT_A_ROW = "elements without a shop, craft, amenity, healthcare or office tag"


def read_osm_file(path: Path, *, skipped: Callable[[str], None] = lambda reason: None) -> Iterator[OsmFeature | Unplaced]:
    """The rows of any supported file, chosen by its extension: each element (or GeoJSON
    feature) with a POI key, placed (OsmFeature) or not (Unplaced, with the reason).

    The other elements are not rows: `skipped(NOT_A_ROW)` is called once for each.
    """
    name = path.name.lower()
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    if name.endswith((".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz")):
        return _read_with_osmium(path, skipped)
    if name.endswith((".geojson", ".geojson.gz")):
        return _read_geojson(path, skipped)
    if name.endswith((".json", ".json.gz")):
        return _read_overpass_json(path, skipped)
    raise SourceError(f"{path}: unknown OSM file type (expected .osm, .osm.pbf, Overpass .json or .geojson)")


def _has_poi_key(tags: dict) -> bool:
    return any(key in tags for key in POI_KEYS)


def _read_with_osmium(path: Path, skipped: Callable[[str], None]) -> Iterator[OsmFeature | Unplaced]:
    """Nodes, ways (a point on their polygon or line) and multipolygon relations (a point on
    their area, assembled by osmium from the member ways in the file)."""
    import osmium

    wkb = osmium.geom.WKBFactory()
    relations: dict[int, dict[str, str]] = {}  # POI relations waiting for their area
    areas: dict[int, Point | None] = {}  # points of relations' areas waiting for their relation
    try:
        # Areas of closed ways come too (from_way): the ways themselves are read instead.
        processor = osmium.FileProcessor(str(path)).with_locations().with_areas(osmium.filter.KeyFilter(*POI_KEYS))
        for obj in processor:
            if obj.is_area():
                if not obj.from_way():
                    point = _area_point(wkb, obj)
                    if obj.orig_id() in relations:
                        yield _placed("relation", obj.orig_id(), relations.pop(obj.orig_id()), point, "an invalid area")
                    else:
                        areas[obj.orig_id()] = point
                continue
            tags = {tag.k: tag.v for tag in obj.tags}
            if not _has_poi_key(tags):
                skipped(NOT_A_ROW)
            elif obj.is_node():
                point = Point(obj.location.lon, obj.location.lat) if obj.location.valid() else None
                yield _placed("node", obj.id, tags, point, "no valid location")
            elif obj.is_way():
                coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
                missing = len(obj.nodes) - len(coords)
                if missing:
                    yield Unplaced(f"way/{obj.id}", f"{missing} of its {len(obj.nodes)} nodes are not in the file", tags)
                else:
                    yield _placed("way", obj.id, tags, way_point(coords), "a way without nodes")
            elif obj.is_relation():
                if obj.id in areas:
                    yield _placed("relation", obj.id, tags, areas.pop(obj.id), "an invalid area")
                else:
                    relations[obj.id] = tags
        for osm_id, tags in relations.items():
            kind = tags.get("type", "no type")
            yield Unplaced(
                f"relation/{osm_id}",
                f"no area could be built from its members in the file (type={kind}; only complete multipolygons are placed)",
                tags,
            )
    except RuntimeError as exc:  # pyosmium reports unreadable files as RuntimeError
        raise SourceError(f"{path}: unreadable OSM file ({exc})") from exc


def _area_point(wkb, area) -> Point | None:
    try:
        geometry = shapely.from_wkb(wkb.create_multipolygon(area))
    except (RuntimeError, shapely.errors.GEOSException):  # a ring osmium cannot close
        return None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return None if geometry.is_empty else geometry.point_on_surface()


def _placed(osm_type: str, osm_id: int, tags: dict, point: Point | None, problem: str = "no geometry") -> OsmFeature | Unplaced:
    if point is None or point.is_empty:
        return Unplaced(f"{osm_type}/{osm_id}", problem, tags)
    return OsmFeature(osm_type, osm_id, tags, point.x, point.y)


def _read_overpass_json(path: Path, skipped: Callable[[str], None]) -> Iterator[OsmFeature | Unplaced]:
    """Overpass JSON rows, placed by `lat`/`lon` (nodes), `center` (`out center`), the way's or
    members' `geometry` (`out geom`), or else the nodes and ways of the file they refer to
    (`out body; >; out skel;`)."""
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise SourceError(f"{path}: not Overpass JSON (no 'elements' list)")
    elements = data["elements"]
    nodes = {e.get("id"): (float(e["lon"]), float(e["lat"])) for e in elements if e.get("type") == "node" and "lon" in e and "lat" in e}
    ways = {e.get("id"): e for e in elements if e.get("type") == "way"}
    for element in elements:
        tags = element.get("tags") or {}
        if not _has_poi_key(tags):
            skipped(NOT_A_ROW)
            continue
        osm_type, ref = element.get("type", "node"), f"{element.get('type', 'node')}/{element.get('id')}"
        try:
            osm_id = int(element["id"])
        except (KeyError, TypeError, ValueError):
            yield Unplaced(ref, "no numeric OSM id", tags)
            continue
        if "lat" in element and "lon" in element:
            point = Point(float(element["lon"]), float(element["lat"]))
        elif "center" in element:
            point = Point(float(element["center"]["lon"]), float(element["center"]["lat"]))
        elif osm_type == "way":
            coords = _way_coords(element, nodes)
            if isinstance(coords, str):
                yield Unplaced(ref, coords, tags)
                continue
            point = way_point(coords)
        elif osm_type == "relation":
            point = _relation_point(element, nodes, ways)
            if isinstance(point, str):
                yield Unplaced(ref, point, tags)
                continue
        else:
            point = None
        yield _placed(osm_type, osm_id, tags, point, "no position (no lat/lon, center, geometry or nodes)")


def _way_coords(way: dict, nodes: dict) -> list[tuple[float, float]] | str:
    """A way's (lon, lat) from its `geometry` (out geom) or its `nodes` found in the file; the
    reason it has none otherwise."""
    if way.get("geometry"):
        coords = [(float(p["lon"]), float(p["lat"])) for p in way["geometry"] if p]
        if len(coords) < len(way["geometry"]):
            return f"{len(way['geometry']) - len(coords)} of its {len(way['geometry'])} nodes have no position in its geometry"
        return coords
    refs = way.get("nodes") or []
    if not refs:
        return "no position: no center, geometry or nodes (query with `out center` or `out geom`)"
    missing = [ref for ref in refs if ref not in nodes]
    if missing:
        return f"{len(missing)} of its {len(refs)} nodes are not in the file (query with `out center`, or `>;` after the ways)"
    return [nodes[ref] for ref in refs]


def _relation_point(relation: dict, nodes: dict, ways: dict) -> Point | str:
    """A point on a relation from its members' geometry (out geom) or the members in the file."""
    lines, points, missing = [], [], 0
    members = relation.get("members") or []
    for member in members:
        if member.get("type") == "way":
            way = {"geometry": member["geometry"]} if member.get("geometry") else ways.get(member.get("ref"))
            coords = _way_coords(way, nodes) if way else "missing"
            if isinstance(coords, str):
                missing += 1
            else:
                lines.append(coords)
        elif member.get("type") == "node":
            if "lon" in member and "lat" in member:
                points.append((float(member["lon"]), float(member["lat"])))
            elif member.get("ref") in nodes:
                points.append(nodes[member["ref"]])
            else:
                missing += 1
    if not members:
        return "no position: no center and no members (query with `out center` or `out geom`)"
    if missing:
        return f"{missing} of its {len(members)} members have no position in the file (query with `out center`)"
    return relation_point(lines, points) or "no position: its members are relations"


def _read_geojson(path: Path, skipped: Callable[[str], None]) -> Iterator[OsmFeature | Unplaced]:
    data = read_json(path)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{path}: not a GeoJSON FeatureCollection")
    for index, feature in enumerate(data.get("features") or [], start=1):
        if not isinstance(feature, dict):
            yield Unplaced(f"feature {index}", "not a GeoJSON feature")
            continue
        props = dict(feature.get("properties") or {})
        osm_type, osm_id = _geojson_osm_id(feature, props)
        tags = {k: str(v) for k, v in props.items() if not k.startswith("@") and v is not None and k not in ("id", "type")}
        if not _has_poi_key(tags):
            skipped(NOT_A_ROW)
            continue
        if osm_id is None:
            yield Unplaced(f"feature {index}", "no OSM id (an @id or id such as node/123, or element and id)", tags)
            continue
        try:
            point = shape(feature["geometry"]).representative_point()
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException):
            point = None
        yield _placed(osm_type, osm_id, tags, point, f"feature {index} has no usable geometry")


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
    """Shops, crafts and amenities of a named place, from Overpass through osmnx (network).

    The place is looked up and its features downloaded before this returns: a geocoder or an
    Overpass server that does not answer, or a name that is no place, is a SourceError naming
    the place and the server (not a traceback from the middle of the import)."""
    import osmnx
    import requests

    tags = {key: True for key in POI_KEYS}
    try:
        frame = osmnx.features.features_from_place(place, tags=tags)
    except requests.RequestException as exc:
        raise SourceError(
            f"--place {place!r}: OpenStreetMap's servers did not answer ({type(exc).__name__}: {exc}); "
            f"geocoder {osmnx.settings.nominatim_url}, Overpass {osmnx.settings.overpass_url}"
        ) from None
    except osmnx._errors.ResponseStatusCodeError as exc:
        raise SourceError(f"--place {place!r}: an OpenStreetMap server answered with an error ({exc})") from None
    except (osmnx._errors.InsufficientResponseError, TypeError, ValueError) as exc:
        raise SourceError(f"--place {place!r}: no such place, or nothing in it on OpenStreetMap ({exc})") from None
    return _osmnx_features(frame)


def _osmnx_features(frame) -> Iterator[OsmFeature]:
    for (element, osm_id), row in frame.iterrows():
        feature_tags = {k: str(v) for k, v in row.items() if k != "geometry" and isinstance(v, str | int | float) and v == v}
        point = row["geometry"].representative_point()
        yield OsmFeature(str(element), int(osm_id), feature_tags, point.x, point.y)
