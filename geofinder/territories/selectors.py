"""Reads of the territories: point-in-polygon resolution and code look-ups."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from django.conf import settings

from geofinder.core.db import prepared_cursor
from geofinder.core.process_cache import ProcessValue
from geofinder.core.replicas import read_connection
from geofinder.territories.models import Commune, CommuneCode, CurrentCommune, Department, Region

METRES_PER_DEGREE = 111_320  # of latitude, and of longitude at the equator
# How long a process keeps its table of commune names (read again sooner for a commune it does
# not know).
COMMUNE_NAMES_TTL_S = 3600.0


class CommuneNames(NamedTuple):
    """A commune's code and name, and those of its département and région."""

    code: str
    name: str
    department_code: str
    department_name: str
    region_code: str
    region_name: str



# One query per batch: each (lon, lat) is matched to the commune polygon that contains it
# (GiST index on the polygons), or else to the nearest commune within `snap_m` metres, or to
# nothing. Distances are geodesic metres (geography cast).
_COMMUNES_AT_POINTS_SQL = f"""
WITH pts AS (
    SELECT t.idx, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326) AS geom
    FROM unnest(%(lons)s::float8[], %(lats)s::float8[]) WITH ORDINALITY AS t(lon, lat, idx)
)
SELECT pts.idx,
       COALESCE(inside.id, near.id) AS commune_id,
       inside.id IS NULL AND near.id IS NOT NULL AS snapped
FROM pts
LEFT JOIN LATERAL (
    SELECT c.id FROM {Commune._meta.db_table} c
    WHERE ST_Intersects(c.geom, pts.geom)
    ORDER BY c.code LIMIT 1
) inside ON true
LEFT JOIN LATERAL (
    SELECT c.id FROM {Commune._meta.db_table} c
    WHERE inside.id IS NULL
      -- Index prefilter on a box of margin_deg degrees (wide enough for snap_m metres up to
      -- latitude 75°: all of France), then the exact geodesic test in metres.
      AND c.geom && ST_Expand(pts.geom, %(margin_deg)s)
      AND ST_DWithin(c.geom::geography, pts.geom::geography, %(snap_m)s)
    ORDER BY c.geom <-> pts.geom LIMIT 1
) near ON true
ORDER BY pts.idx
"""


def commune_ids_at_points(
    points: Sequence[tuple[float, float]], *, snap_m: float | None = None, batch_size: int = 2000
) -> list[tuple[int | None, bool]]:
    """For each (lon, lat), the id of the commune it lies in and whether it was snapped.

    A point outside every polygon but within `snap_m` metres (default: the
    GEOFINDER_COMMUNE_SNAP_M setting) of a commune is attached to the nearest one, `snapped`
    True; a point farther away (at sea, abroad) gets `(None, False)`.
    """
    snap = settings.GEOFINDER_COMMUNE_SNAP_M if snap_m is None else snap_m
    results: list[tuple[int | None, bool]] = []
    with read_connection().cursor() as cursor:
        for start in range(0, len(points), batch_size):
            batch = points[start : start + batch_size]
            cursor.execute(_COMMUNES_AT_POINTS_SQL, _points_params(batch, snap))
            results.extend((row[1], row[2]) for row in cursor.fetchall())
    return results


def _points_params(points: Sequence[tuple[float, float]], snap_m: float) -> dict:
    return {
        "lons": [p[0] for p in points],
        "lats": [p[1] for p in points],
        "snap_m": snap_m,
        "margin_deg": snap_m / METRES_PER_DEGREE / math.cos(math.radians(75)),
    }


# The commune a point lies in (the common case of commune_ids_at_points, as one cheap statement;
# public: the search asks for it within its own statement, see commune_codes_of_containing).
COMMUNE_CONTAINING_SQL = f"""
SELECT c.id FROM {Commune._meta.db_table} c
WHERE ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
ORDER BY c.code LIMIT 1
"""


def commune_codes_at_point(*, lon: float, lat: float) -> tuple[str, str] | None:
    """(commune code, département code) at (lon, lat), or None (at sea, abroad): the cheap
    form of commune_at_point, for every search by position (one prepared statement, names
    from the process's table; a point outside every polygon is snapped as commune_at_point
    does)."""
    with prepared_cursor() as cursor:
        cursor.execute(COMMUNE_CONTAINING_SQL, {"lon": lon, "lat": lat})
        row = cursor.fetchone()
    return commune_codes_of_containing(row[0] if row else None, lon=lon, lat=lat)


def commune_codes_of_containing(commune_id: int | None, *, lon: float, lat: float) -> tuple[str, str] | None:
    """What commune_codes_at_point answers, given the id COMMUNE_CONTAINING_SQL found at (lon,
    lat): None there means no polygon contains the point, which is then snapped. The codes are
    those of the commune of today covering that 2018 commune (a point in the former Courcouronnes
    is in 91228 Évry-Courcouronnes), or the 2018 commune's own where several communes of today
    share its polygon (split since 2018: the polygons do not say which)."""
    if commune_id is None:
        commune_id = commune_ids_at_points([(lon, lat)])[0][0]
    if commune_id is None:
        return None
    today = communes_today().get(commune_id)
    if today is not None:
        return today
    names = commune_names_of(commune_id)
    return (names.code, names.department_code) if names else None


def _read_communes_today() -> dict[int, tuple[str, str]]:
    # Two plain reads joined here: as one GROUP BY statement, statistics a test left behind
    # (a few rows) made PostgreSQL loop over the communes of today row by row (20 s, not 50 ms).
    codes = {
        pk: (code, department)
        for pk, code, department in CurrentCommune.objects.values_list("id", "code", "department__code")
    }
    parts: dict[int, list[int]] = {}
    for commune_id, current_id in CurrentCommune.parts.through.objects.values_list("commune_id", "currentcommune_id"):
        parts.setdefault(commune_id, []).append(current_id)
    return {commune_id: codes[ids[0]] for commune_id, ids in parts.items() if len(ids) == 1}


_communes_today = ProcessValue(_read_communes_today, ttl_s=COMMUNE_NAMES_TTL_S)


def communes_today(*, fresh: bool = False) -> dict[int, tuple[str, str]]:
    """(code, département code) of the one commune of today covering each 2018 commune, by the
    2018 commune's id (one query, kept by the process as commune_names is); a 2018 commune split
    since between several communes of today is left out."""
    return _communes_today.get(fresh=fresh)


def commune_at_point(*, lon: float, lat: float, snap_m: float | None = None) -> Commune | None:
    """The commune at (lon, lat), with its département and région, or None (at sea, abroad).
    Their geometries are not loaded (a région's runs to megabytes): ask for them when needed."""
    [(commune_id, _snapped)] = commune_ids_at_points([(lon, lat)], snap_m=snap_m)
    if commune_id is None:
        return None
    return (
        Commune.objects.select_related("department__region")
        .defer("geom", "department__geom", "department__region__geom")
        .get(pk=commune_id)
    )


def commune_code_today(code: str) -> str | None:
    """The INSEE code of the commune of today continuing `code` (a commune merged since, a
    commune déléguée, an arrondissement: 91182 → 91228, 75111 → 75056; a code of today is its
    own), or None for a code INSEE does not know or split between several communes."""
    found = CommuneCode.objects.filter(code=code).values_list("commune__code", flat=True).first()
    return found


# The places of a commune of today (the 2018 communes it covers), for a search's territory
# filter: `p.commune_id IN (…)` with the commune's INSEE code as %(territory)s.
COMMUNE_TERRITORY_SQL = f"""p.commune_id IN (
        SELECT cp.commune_id FROM {CurrentCommune.parts.through._meta.db_table} cp
        JOIN {CurrentCommune._meta.db_table} cc ON cc.id = cp.currentcommune_id
        WHERE cc.code = %(territory)s)"""


_BOUNDARY_SQL = {
    "region": """SELECT r.code, r.name, NULL, NULL, NULL, NULL, ST_AsGeoJSON(r.geom, %(digits)s)
                 FROM territories_region r WHERE r.code = %(code)s""",
    "department": """SELECT d.code, d.name, r.code, r.name, NULL, NULL, ST_AsGeoJSON(d.geom, %(digits)s)
                     FROM territories_department d JOIN territories_region r ON r.id = d.region_id
                     WHERE d.code = %(code)s""",
    # The commune of today continuing the code (its union of 2018 polygons).
    "commune": """SELECT c.code, c.name, r.code, r.name, d.code, d.name, ST_AsGeoJSON(c.geom, %(digits)s)
                  FROM territories_communecode cc JOIN territories_currentcommune c ON c.id = cc.commune_id
                  JOIN territories_department d ON d.id = c.department_id
                  JOIN territories_region r ON r.id = d.region_id WHERE cc.code = %(code)s""",
}


def territory_boundary(*, kind: str, code: str, digits: int = 6) -> dict | None:
    """A territory as a GeoJSON Feature dict whose geometry is left as GeoJSON text (to be
    embedded as is), or None when there is no such territory. `digits`: decimal places kept
    (6 ≈ 0.1 m). A commune is the commune of today continuing the code (see commune_code_today),
    drawn with the 2018 polygons it covers."""
    with read_connection().cursor() as cursor:
        cursor.execute(_BOUNDARY_SQL[kind], {"code": code, "digits": digits})
        row = cursor.fetchone()
    if row is None:
        return None
    properties = {"kind": kind, "code": row[0], "name": row[1]}
    if row[2] is not None:
        properties["region"] = {"code": row[2], "name": row[3]}
    if row[4] is not None:
        properties["department"] = {"code": row[4], "name": row[5]}
    return {"type": "Feature", "id": f"{kind}:{row[0]}", "properties": properties, "geometry_json": row[6]}


def _read_commune_names() -> dict[int, CommuneNames]:
    # The 101 départements with their région read apart, their names shared by their communes;
    # the communes in one client-side read (a server-side cursor read in chunks, with the
    # département and région joined for each row, took 0.3 s instead of 0.09 s).
    departments = {
        pk: (code, name, region_code, region_name)
        for pk, code, name, region_code, region_name in Department.objects.values_list(
            "id", "code", "name", "region__code", "region__name"
        )
    }
    return {
        pk: CommuneNames(code, name, *departments[department_id])
        for pk, code, name, department_id in Commune.objects.values_list("id", "code", "name", "department_id")
    }


_commune_names = ProcessValue(_read_commune_names, ttl_s=COMMUNE_NAMES_TTL_S)


def commune_names(*, fresh: bool = False) -> dict[int, CommuneNames]:
    """The names of every commune by id, from a table this process keeps (35,000 communes, one
    query, some 8 MB), read again after COMMUNE_NAMES_TTL_S, or now if `fresh`."""
    return _commune_names.get(fresh=fresh)


def commune_names_of(commune_id: int) -> CommuneNames | None:
    """The names of a commune (see commune_names): the search needs them for each of its
    places, where a join in SQL cost more than the search's scan. None for an unknown commune
    (after reading the table again, in case it is new)."""
    names = commune_names().get(commune_id)
    if names is None:
        names = commune_names(fresh=True).get(commune_id)
    return names


def department_code_of_commune(commune_id: int) -> str | None:
    """The département code of a commune (see commune_names_of), or None for an unknown one."""
    names = commune_names_of(commune_id)
    return names.department_code if names else None


def territory_seat(*, kind: str, code: str) -> dict | None:
    """A territory's name, the article of its name (TNCC, None for a commune or when not loaded)
    and the commune a page searches it from: a région's or département's chef-lieu, a commune
    itself; {"kind", "code", "name", "article", "seat": {"code", "name", "lon", "lat"} | None}.
    None when there is no such territory."""
    if kind == "commune":
        commune = CurrentCommune.objects.filter(codes__code=code).values("code", "name", "point").first()
        if commune is None:
            return None
        seat = commune
        found = {"code": commune["code"], "name": commune["name"], "article": None}
    else:
        model = {"region": Region, "department": Department}.get(kind)
        found = model and model.objects.filter(code=code).values("code", "name", "article", "seat_code").first()
        if not found:
            return None
        seat = CurrentCommune.objects.filter(codes__code=found.pop("seat_code") or None).values(
            "code", "name", "point").first()
    return {
        "kind": kind,
        **found,
        # The commune's point (geo.api.gouv.fr's centre, inside it); WGS84 degrees.
        "seat": {"code": seat["code"], "name": seat["name"], "lon": seat["point"].x, "lat": seat["point"].y} if seat else None,
    }
