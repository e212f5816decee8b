"""The places of a map tile, counted by cell: the overview of the map at département zoom.

A département holds tens of thousands of public-facing places; a browser cannot draw them all
as markers (bench/map_scale.py measures it). The map asks, for each Web Mercator tile it shows
(z/x/y, the tiles of the OSM scheme), the places matching the search's filters grouped in
CELLS × CELLS square cells of that tile, computed by PostGIS: one cluster per non-empty cell,
at the mean position of its places, with their number. From POINTS_ZOOM on, a tile holding at
most MAX_POINTS matching places gives them one by one (id, name, category, opening state), which
the map draws as markers.

Cells are half-open intervals in Web Mercator metres (EPSG:3857): a place on the edge of two
tiles is counted in one of them, so the counts of the tiles covering an area add up to the
places matching there. The filters are those of the search (`place_conditions`,
`place_filter_params`), a place of the categories asked as its primary or a secondary one (as in
the exports); with `open`, only the places open then are counted (their statuses evaluated once
per distinct opening_hours, département and closures, not per place).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.utils import timezone

from geofinder.core.replicas import read_connection
from geofinder.opening.batch import OpeningBatch
from geofinder.opening.status import OPEN
from geofinder.search.query import SearchQuery
from geofinder.search.selectors import CLOSURES_BY_PLACE, place_conditions, place_filter_params

# Zoom levels of the tiles answered: below MIN_ZOOM a tile covers a large part of France (a few
# hundred thousand places to count per request); beyond MAX_ZOOM, Leaflet's own maximum.
MIN_ZOOM, MAX_ZOOM = 7, 19
# From this zoom, a tile of at most MAX_POINTS places gives its places (markers), not clusters.
POINTS_ZOOM = 14
MAX_POINTS = 500
# Cells per side of a tile: a 256-pixel tile in 4 × 4 cells of 64 pixels (a cluster's icon is 40).
CELLS = 4
# Half the side of the Web Mercator square (EPSG:3857), in metres.
MERCATOR_HALF = 20037508.342789244


@dataclass(frozen=True, slots=True)
class Tile:
    z: int
    x: int
    y: int

    def mercator_bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) in EPSG:3857 metres; y of the tile scheme grows southwards."""
        size = 2 * MERCATOR_HALF / 2**self.z
        xmin = -MERCATOR_HALF + self.x * size
        ymax = MERCATOR_HALF - self.y * size
        return xmin, ymax - size, xmin + size, ymax

    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat) in WGS84 degrees (EPSG:4326)."""
        xmin, ymin, xmax, ymax = self.mercator_bounds()
        return (*_lonlat(xmin, ymin), *_lonlat(xmax, ymax))


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon = x / MERCATOR_HALF * 180.0
    lat = math.degrees(2 * math.atan(math.exp(y / MERCATOR_HALF * math.pi)) - math.pi / 2)
    return lon, lat


def tile_errors(z: int, x: int, y: int) -> dict[str, str]:
    """What is wrong with these tile coordinates, by field (empty when they name a tile)."""
    if not MIN_ZOOM <= z <= MAX_ZOOM:
        return {"z": f"must be between {MIN_ZOOM} and {MAX_ZOOM}, got {z}"}
    errors = {}
    for name, value in (("x", x), ("y", y)):
        if not 0 <= value < 2**z:
            errors[name] = f"must be between 0 and {2**z - 1} at zoom {z}, got {value}"
    return errors


@dataclass(frozen=True, slots=True)
class Cluster:
    """The `count` places of a cell, at their mean position (WGS84 degrees)."""

    lon: float
    lat: float
    count: int


@dataclass(frozen=True, slots=True)
class TilePoint:
    """One place of a tile, for a marker: its opening state at the instant asked."""

    id: int
    lon: float
    lat: float
    name: str
    category: str
    state: str


@dataclass(frozen=True, slots=True)
class TileContent:
    clusters: list[Cluster]
    points: list[TilePoint]

    @property
    def count(self) -> int:
        return sum(cluster.count for cluster in self.clusters) + len(self.points)


# Cell indices of a place in the tile: half-open, so that a place on an edge is in one tile only.
_CELL_SQL = """
    WITH m AS (
        SELECT p.id, p.name, p.category_id, p.opening_hours, p.commune_id, p.location,
               ST_Transform(p.location::geometry, 3857) AS g
          FROM places_place p
         WHERE {where}
    ), k AS (
        SELECT m.*, floor((ST_X(m.g) - %(mx)s) / %(cell)s)::int AS i, floor((%(my)s - ST_Y(m.g)) / %(cell)s)::int AS j
          FROM m
    )
    SELECT {select}
      FROM k JOIN territories_commune co ON co.id = k.commune_id
      JOIN territories_department d ON d.id = co.department_id
      LEFT JOIN ({closures}) cl ON cl.place_id = k.id
     WHERE k.i >= 0 AND k.i < %(cells)s AND k.j >= 0 AND k.j < %(cells)s
     {group}
"""
_GROUPED = (
    "k.i, k.j, count(*), avg(ST_X(k.location::geometry)), avg(ST_Y(k.location::geometry)),"
    " k.opening_hours, d.code, cl.items::text"
)
_POINTS = (
    "k.id, ST_X(k.location::geometry), ST_Y(k.location::geometry), k.name,"
    " (SELECT c.slug FROM places_category c WHERE c.id = k.category_id), k.opening_hours, d.code, cl.items::text"
)


def tile_places(*, query: SearchQuery, tile: Tile, now: datetime | None = None) -> TileContent:
    """The places of `tile` matching `query` (its filters; its point, radius, box and page are not
    read): clusters by cell, or the places themselves from POINTS_ZOOM when at most MAX_POINTS."""
    query = replace(query, where=None, radius_m=None, after=None, bbox=tile.lonlat_bounds())
    conditions = place_conditions(query)
    params = place_filter_params(query)
    if query.what.categories:
        # Primary or secondary category, as in the exports (geofinder.search.stream).
        conditions.append(
            "(p.category_id = ANY(%(category_ids)s) OR p.id IN"
            " (SELECT s.place_id FROM places_secondarylocation s WHERE s.category_id = ANY(%(category_ids)s)))"
        )
        params["category_ids"] = [category.id for category in query.what.categories]
    xmin, _, xmax, ymax = tile.mercator_bounds()
    params.update(mx=xmin, my=ymax, cell=(xmax - xmin) / CELLS, cells=CELLS)
    where = " AND ".join(conditions)
    grouped = _CELL_SQL.format(
        where=where, select=_GROUPED, closures=CLOSURES_BY_PLACE,
        group="GROUP BY k.i, k.j, k.opening_hours, d.code, cl.items::text",
    )
    with read_connection().cursor() as cursor:
        cursor.execute(grouped, params)
        groups = cursor.fetchall()
    batch = OpeningBatch(at=query.open_at or now or timezone.now())
    only_open = query.open_at is not None
    cells: dict[tuple[int, int], list[float]] = {}
    for i, j, count, lon, lat, opening_hours, department, closures in groups:
        if only_open and batch.status(opening_hours, department, closures).status.state != OPEN:
            continue
        cell = cells.setdefault((i, j), [0, 0.0, 0.0])
        cell[0] += count
        cell[1] += lon * count
        cell[2] += lat * count
    total = sum(cell[0] for cell in cells.values())
    if tile.z >= POINTS_ZOOM and total <= MAX_POINTS:
        return TileContent(clusters=[], points=_points(where, params, batch, only_open))
    clusters = [Cluster(lon=lon / n, lat=lat / n, count=n) for (n, lon, lat) in (cells[key] for key in sorted(cells))]
    return TileContent(clusters=clusters, points=[])


def _points(where: str, params: dict[str, Any], batch: OpeningBatch, only_open: bool) -> list[TilePoint]:
    sql = _CELL_SQL.format(where=where, select=_POINTS, closures=CLOSURES_BY_PLACE, group="ORDER BY k.id")
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    points = []
    for place_id, lon, lat, name, category, opening_hours, department, closures in rows:
        state = batch.status(opening_hours, department, closures).status.state
        if only_open and state != OPEN:
            continue
        points.append(TilePoint(id=place_id, lon=lon, lat=lat, name=name, category=category, state=state))
    return points
