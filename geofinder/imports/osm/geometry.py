"""A place's point from the geometry of an OSM way or relation (lon/lat, WGS84 degrees).

The point lies on the element: on the surface of a closed way's polygon or of a multipolygon
(GEOS PointOnSurface: inside, unlike a centroid, which may fall outside an L-shaped shop), on
the line of an open way (halfway along it). Coordinates are (lon, lat) pairs in EPSG:4326, as OSM gives them;
nothing here measures distances, so degrees are fine.
"""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely.geometry import GeometryCollection, LineString, MultiPoint, Point, Polygon
from shapely.ops import polygonize, unary_union

Coordinates = Sequence[tuple[float, float]]


def way_point(coords: Coordinates) -> Point | None:
    """A point on a way given its nodes' (lon, lat) in order: on the surface of its polygon
    when the way is closed (first node = last, at least 4), else on its line; None when the
    way has no node."""
    if not coords:
        return None
    if len(set(coords)) == 1:
        return Point(coords[0])
    if len(coords) >= 4 and coords[0] == coords[-1]:
        polygon = Polygon(coords)
        if not polygon.is_valid:
            polygon = shapely.make_valid(polygon)  # a self-crossing ring: its areas (or lines)
        if not polygon.is_empty and polygon.area > 0:
            return polygon.point_on_surface()
    return LineString(coords).interpolate(0.5, normalized=True)  # halfway along the line


def relation_point(lines: list[Coordinates], points: Coordinates) -> Point | None:
    """A point on a relation given its member ways' (lon, lat) lines and member nodes' points:
    on the surface of the polygons its ways close (a multipolygon), else on its ways' lines,
    else on its nodes; None when no member has a position."""
    segments = [LineString(line) for line in lines if len(line) >= 2]
    polygons = list(polygonize(segments))
    if polygons:
        return unary_union(polygons).point_on_surface()
    if segments:
        return GeometryCollection(segments).point_on_surface()
    if points:
        return MultiPoint(list(points)).point_on_surface()
    return None
