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
places matching there. The filters are those of the exports (`every_match_conditions`: the
search's, a place of the categories asked as its primary or a secondary one); with `open`, only the places open then are counted (their statuses evaluated once
per distinct opening_hours, département and closures, not per place).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from geofinder.core.replicas import read_connection
from geofinder.opening.batch import OpeningBatch
from geofinder.opening.status import OPEN
from geofinder.search.query import SearchQuery
from geofinder.search.selectors import CLOSURES_BY_PLACE, every_match_conditions

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
# Web Mercator from degrees by its formula (x = R·λ, y = R·ln tan(π/4 + φ/2), R = MERCATOR_HALF/π
# metres): ST_Transform, through PROJ, costs several times more per row.
_CELL_SQL = """
    WITH m AS (
        SELECT p.id, p.name, p.category_id, p.opening_hours, p.commune_id,
               ST_X(p.location::geometry) AS lon, ST_Y(p.location::geometry) AS lat
          FROM places_place p
         WHERE {where}
    ), k AS (
        SELECT m.*, floor((m.lon * %(half)s / 180.0 - %(mx)s) / %(cell)s)::int AS i,
               floor((%(my)s - ln(tan(pi() / 4 + radians(m.lat) / 2)) * %(half)s / pi()) / %(cell)s)::int AS j
          FROM m
    )
    SELECT {select}
      FROM k {joins}
     WHERE k.i >= 0 AND k.i < %(cells)s AND k.j >= 0 AND k.j < %(cells)s
     {group}
"""
# What an opening status needs: the département of the place's commune, its closures.
_OPENING_JOINS = f"""
    JOIN territories_commune co ON co.id = k.commune_id
    JOIN territories_department d ON d.id = co.department_id
    LEFT JOIN ({CLOSURES_BY_PLACE}) cl ON cl.place_id = k.id
"""
_COUNTED = "k.i, k.j, count(*), avg(k.lon), avg(k.lat), NULL, NULL, NULL"
_GROUPED = "k.i, k.j, count(*), avg(k.lon), avg(k.lat), k.opening_hours, d.code, cl.items::text"
_POINTS = (
    "k.id, k.lon, k.lat, k.name, (SELECT c.slug FROM places_category c WHERE c.id = k.category_id),"
    " k.opening_hours, d.code, cl.items::text"
)
# The statement's settings (SET LOCAL): PostgreSQL misjudges the rows of the geometry's
# functions and compiles the statement (JIT), which took seconds where the query takes tens of
# milliseconds (measured on 50,000 places); no parallel workers for a few thousand rows.
_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0"}


def tile_places(*, query: SearchQuery, tile: Tile, now: datetime | None = None) -> TileContent:
    """The places of `tile` matching `query` (its filters; its point, radius, box and page are not
    read): clusters by cell, or the places themselves from POINTS_ZOOM when at most MAX_POINTS."""
    query = replace(query, where=None, radius_m=None, after=None, bbox=tile.lonlat_bounds())
    conditions, params = every_match_conditions(query)
    xmin, _, xmax, ymax = tile.mercator_bounds()
    params.update(mx=xmin, my=ymax, cell=(xmax - xmin) / CELLS, cells=CELLS, half=MERCATOR_HALF)
    where = " AND ".join(conditions)
    only_open = query.open_at is not None
    # Without `open`, counts by cell alone; with it, by cell and opening key (evaluated below).
    grouped = _CELL_SQL.format(
        where=where, select=_GROUPED, joins=_OPENING_JOINS, group="GROUP BY k.i, k.j, k.opening_hours, d.code, cl.items::text",
    ) if only_open else _CELL_SQL.format(where=where, select=_COUNTED, joins="", group="GROUP BY k.i, k.j")
    groups = _fetch(grouped, params)
    batch = OpeningBatch(at=query.open_at or now or timezone.now())
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
    sql = _CELL_SQL.format(where=where, select=_POINTS, joins=_OPENING_JOINS, group="ORDER BY k.id")
    rows = _fetch(sql, params)
    points = []
    for place_id, lon, lat, name, category, opening_hours, department, closures in rows:
        state = batch.status(opening_hours, department, closures).status.state
        if only_open and state != OPEN:
            continue
        points.append(TilePoint(id=place_id, lon=lon, lat=lat, name=name, category=category, state=state))
    return points


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple]:
    connection = read_connection()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in _SETTINGS), list(_SETTINGS.values()))
        cursor.execute(sql, params)
        return cursor.fetchall()
