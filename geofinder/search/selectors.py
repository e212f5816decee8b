"""The search selector: the nearest places matching what is asked, across every border.

One read path for the API, the web pages, the embed and the exports. The nearest places come
from the KNN operator `<->` on the GiST indexes of `places_place` (composite on (category,
location) through btree_gist when categories are asked), one index scan per category merged by
distance. `<->` on geography measures on a sphere; results are then ordered by the true
geodesic distance on the WGS84 spheroid (`ST_Distance` on geography), fetching more candidates
when the sphere ordering could hide a closer place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from geofinder.opening import Closure, OpeningStatus, evaluate
from geofinder.opening.status import OPEN
from geofinder.search.query import SERVICES, SearchQuery, TerritoryFilter

# Sphere (`<->`) and spheroid (`ST_Distance`) distances differ by less than 0.6 % in France;
# a 1 % margin keeps the re-ordering exact.
SPHERE_MARGIN = 0.01
# Candidates examined per category at most, when a filter (open at, …) rejects many of them.
MAX_CANDIDATES = 10_000

# Query point as a constant expression, so that the planner uses the index for `<->` (public:
# the exports measure the same distance).
QUERY_POINT = "ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography"



def hit_columns(*, distance: str, closures: str) -> str:
    """The columns of a PlaceHit, in the order PlaceHit.from_row reads them, over the aliases
    of PLACE_JOINS; `distance` (metres or NULL) and `closures` (JSON [[start, end, reason], …])
    are SQL expressions chosen by each reader (public: the static maps read through it too)."""
    return f"""
    p.id, p.name, ST_X(p.location::geometry), ST_Y(p.location::geometry),
    {distance} AS distance_m,
    c.slug, c.label, p.street, p.postcode, p.city,
    co.code, co.name, d.code, d.name, r.code, r.name,
    p.opening_hours, p.click_and_collect, p.delivery, p.takeaway, p.appointment,
    p.phone, p.email, p.website, p.shop_url, p.status, p.source, p.updated_at,
    {closures} AS closures
"""


_COLUMNS = hit_columns(
    distance=f"ST_Distance(p.location, {QUERY_POINT})",
    closures="""(SELECT json_agg(json_build_array(pc.start, pc."end", pc.reason) ORDER BY pc.start)
       FROM places_placeclosure pc WHERE pc.place_id = p.id)""",
)

# The joins every reader of places shares (public: search/stream.py reads through them too).
PLACE_JOINS = """
    JOIN places_category c ON c.id = p.category_id
    JOIN territories_commune co ON co.id = p.commune_id
    JOIN territories_department d ON d.id = co.department_id
    JOIN territories_region r ON r.id = d.region_id
"""

_TERRITORY_SQL = {
    "commune": "p.commune_id = (SELECT id FROM territories_commune WHERE code = %(territory)s)",
    "department": """p.commune_id IN (
        SELECT tc.id FROM territories_commune tc JOIN territories_department td ON td.id = tc.department_id
        WHERE td.code = %(territory)s)""",
    "region": """p.commune_id IN (
        SELECT tc.id FROM territories_commune tc JOIN territories_department td ON td.id = tc.department_id
        JOIN territories_region tr ON tr.id = td.region_id WHERE tr.code = %(territory)s)""",
}

# Accent- and case-insensitive name match: substring, or trigram word similarity for typos.
# Both are served by the GIN trigram index on geofinder_unaccent(lower(name)).
_NAME_SQL = (
    "(geofinder_unaccent(lower(p.name)) LIKE %(name_like)s"
    " OR %(name)s <%% geofinder_unaccent(lower(p.name)))"
)


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """One place as every reader of the search shows it."""

    id: int
    name: str
    lon: float
    lat: float
    distance_m: float | None
    category_slug: str
    category_label: str
    street: str
    postcode: str
    city: str
    commune_code: str
    commune_name: str
    department_code: str
    department_name: str
    region_code: str
    region_name: str
    opening_hours: str
    services: dict[str, bool]
    phone: str
    email: str
    website: str
    shop_url: str
    status: str
    source: str
    updated_at: datetime
    closures: tuple[Closure, ...]
    opening: OpeningStatus

    @classmethod
    def from_row(cls, row: tuple, *, opening: OpeningStatus, closures: tuple[Closure, ...]) -> PlaceHit:
        return cls(
            *row[:17],
            services=dict(zip(SERVICES, row[17:21])),
            phone=row[21],
            email=row[22],
            website=row[23],
            shop_url=row[24],
            status=row[25],
            source=row[26],
            updated_at=row[27],
            closures=closures,
            opening=opening,
        )


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: SearchQuery
    hits: list[PlaceHit]
    evaluated_at: datetime  # the instant the opening statuses were evaluated at
    complete: bool  # False when a filter rejected more than MAX_CANDIDATES nearest matches


def place_search(*, query: SearchQuery, now: datetime | None = None) -> SearchResult:
    """The `query.limit` places nearest to `query.where` matching `query.what` and the filters,
    ordered by geodesic distance in metres; never clipped to the territory of the point.

    Opening statuses are evaluated at `query.open_at`, else at `now` (default: this instant);
    with `query.open_at`, only the places open then are kept.
    """
    if query.where is None:
        raise ValueError("the nearest-places search needs a point (query.where)")
    at = query.open_at or now or timezone.now()
    categories = [category.id for category in query.what.categories] or [None]
    params = place_filter_params(query)
    wanted = query.limit
    fetch = wanted + max(10, wanted // 2) if query.open_at is None else 3 * wanted + 20
    while True:
        rows, bound = _nearest_rows(categories, query=query, params=params, fetch=fetch)
        # Candidates in geodesic order; those closer than `certain_below` cannot be preceded
        # by a place left out of the candidates.
        rows.sort(key=lambda row: (row[4], row[0]))
        certain_below = bound * (1 - SPHERE_MARGIN)
        hits: list[PlaceHit] = []
        for row in rows:
            if len(hits) == wanted or row[4] >= certain_below:
                break
            hit = _hit(row, at)
            if query.open_at is None or hit.opening.state == OPEN:
                hits.append(hit)
        if len(hits) == wanted or bound == float("inf"):
            return SearchResult(query=query, hits=hits, evaluated_at=at, complete=True)
        if fetch >= MAX_CANDIDATES:
            return SearchResult(query=query, hits=hits, evaluated_at=at, complete=False)
        fetch = min(fetch * 4, MAX_CANDIDATES)


def place_detail(*, place_id: int, now: datetime | None = None) -> PlaceHit | None:
    """One place by id, as the search shows it (without distance), or None."""
    at = now or timezone.now()
    sql = f"SELECT {_COLUMNS} FROM places_place p {PLACE_JOINS} WHERE p.id = %(id)s"
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": place_id, "lon": 0.0, "lat": 0.0})
        row = cursor.fetchone()
    if row is None:
        return None
    return _hit(row[:4] + (None,) + row[5:], at)


def _hit(row: tuple, at: datetime) -> PlaceHit:
    closures = closures_from(row[28])
    opening = opening_status(row[16], row[12], closures, at.replace(second=0, microsecond=0))
    return PlaceHit.from_row(row, opening=opening, closures=closures)


def closures_from(items: list | None) -> tuple[Closure, ...]:
    """Closures from their JSON form, [[start, end, reason], …] with ISO dates (or None)."""
    return tuple(
        Closure(start=date.fromisoformat(start), end=date.fromisoformat(end), reason=reason)
        for start, end, reason in (items or ())
    )


@lru_cache(maxsize=8192)
def opening_status(
    raw: str, department_code: str, closures: tuple[Closure, ...], minute: datetime
) -> OpeningStatus:
    """Opening status, cached: opening_hours rules have a resolution of one minute, so the
    status at the start of a minute holds for the whole minute (and results share a few
    dozen common opening_hours values)."""
    return evaluate(raw, at=minute, department_code=department_code, closures=closures)


def place_filter_params(query: SearchQuery) -> dict[str, Any]:
    """The parameters of `place_conditions(query)` (and of QUERY_POINT when there is a point)."""
    params: dict[str, Any] = {"lon": query.where.lon, "lat": query.where.lat} if query.where else {}
    if query.statuses:
        params["statuses"] = list(query.statuses)
    if query.radius_m is not None:
        params["radius"] = query.radius_m
    if query.territory is not None:
        params["territory"] = query.territory.code
    if query.what.name_query:
        params["name"] = query.what.name_query
        params["name_like"] = "%" + query.what.name_query.replace("\\", "").replace("%", "").replace("_", "") + "%"
    return params


def place_conditions(query: SearchQuery) -> list[str]:
    """SQL conditions of the filters on `places_place p`; fixed fragments only, every value is a
    parameter (see place_filter_params). Categories are not among them: callers scan by category."""
    conditions = []
    if query.statuses:
        conditions.append("p.status = ANY(%(statuses)s)")
    elif not query.include_closed:
        conditions.append("p.status <> 'permanently_closed'")
    if query.radius_m is not None:
        if query.where is None:
            raise ValueError("a radius needs a point (query.where)")
        conditions.append(f"ST_DWithin(p.location, {QUERY_POINT}, %(radius)s)")
    for service in query.services:
        if service not in SERVICES:
            raise ValueError(f"unknown service {service!r}")
        conditions.append(f"p.{service}")
    if query.territory is not None:
        conditions.append(_territory_condition(query.territory))
    if query.what.name_query:
        conditions.append(_NAME_SQL)
    return conditions


def _territory_condition(territory: TerritoryFilter) -> str:
    try:
        return _TERRITORY_SQL[territory.kind]
    except KeyError:
        raise ValueError(f"unknown territory kind {territory.kind!r}") from None


def _nearest_rows(
    categories: list[int | None], *, query: SearchQuery, params: dict[str, Any], fetch: int
) -> tuple[list[tuple], float]:
    """The `fetch` nearest matches of each category, and the sphere distance beyond which
    places may have been left out (infinity when every category was exhausted)."""
    conditions = place_conditions(query)
    scans = []
    for position, category_id in enumerate(categories):
        where = list(conditions)
        if category_id is not None:
            params[f"category_{position}"] = category_id
            # Cast: psycopg sends small ints as int2/int4, and btree_gist has no cross-type
            # operator, so without it the category is a filter, not a condition of the index.
            where.append(f"p.category_id = %(category_{position})s::bigint")
        scans.append(
            f"(SELECT p.id, {position} AS scan, p.location <-> {QUERY_POINT} AS knn FROM places_place p"
            f" WHERE {' AND '.join(where) or 'true'}"
            f" ORDER BY p.location <-> {QUERY_POINT} LIMIT %(fetch)s)"
        )
    sql = (
        f"SELECT {_COLUMNS}, k.scan, k.knn FROM ({' UNION ALL '.join(scans)}) AS k"
        f" JOIN places_place p ON p.id = k.id {PLACE_JOINS}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "fetch": fetch})
        rows = cursor.fetchall()
    per_scan: dict[int, list[float]] = {}
    for row in rows:
        per_scan.setdefault(row[-2], []).append(row[-1])
    full_scans = [max(distances) for distances in per_scan.values() if len(distances) >= fetch]
    bound = min(full_scans) if full_scans else float("inf")
    return [row[:-2] for row in rows], bound
