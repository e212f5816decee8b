"""The search selector: the nearest places matching what is asked, across every border.

One read path for the API, the web pages, the embed and the exports. The nearest places come
from KNN scans (`<->`) on GiST indexes of `places_place`, one scan per category (and one per
category for the places of it as a secondary category, SecondaryLocation) merged by distance.
The first pass of a category walks the composite (category, location::geometry) index
(btree_gist), ordered by planar distance in lon/lat degrees, the cheapest; without a category,
the geography index, ordered by sphere distance. Results are ordered by the true geodesic
distance on the WGS84 spheroid (`ST_Distance` on geography), and are certain when no place left
out of the candidates can be closer (see `sphere_metres_beyond`). When they are not (far from
the places, where planar degrees stray from metres), the next passes walk the (category,
location) geography index in sphere order; when a filter (open at …) keeps too few, more
candidates are read. With an opening filter, the index also skips the places that cannot be
open in the instant's half-hour of the week (`open_slots`, see geofinder/opening/slots.py).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import timezone

from geofinder.core.db import prepared_cursor
from geofinder.core.replicas import read_connection
from geofinder.opening import Closure, OpeningStatus, evaluate, sun_position
from geofinder.opening.batch import closures_from
from geofinder.opening.status import OPEN
from geofinder.opening.slots import ANY_TIME_SLOT, WINDOW_BEFORE, WINDOW_DAYS, week_slot
from geofinder.places.selectors import (
    category_ids_with_places,
    open_slot_shares,
    open_slots_span,
    secondary_category_ids,
)
from geofinder.search.place_row import PLACE_COLUMNS, PlaceHit, place_columns_sql, place_hit, place_values
from geofinder.search.query import SERVICES, SearchQuery, TerritoryFilter
from geofinder.search.where import Where, at_commune, located
from geofinder.territories.selectors import (
    COMMUNE_CONTAINING_SQL,
    commune_codes_of_containing,
    department_code_of_commune,
)

# Sphere (`<->`) and spheroid (`ST_Distance`) distances differ by less than 0.6 % in France;
# a 1 % margin keeps the re-ordering exact.
SPHERE_MARGIN = 0.01
# A search starts no new pass after settings.GEOFINDER_SEARCH_BUDGET_MS (a filter that almost
# nothing near passes: open at night far from the 24/7 places) and answers with what it found,
# flagged incomplete.
# A pass reads at most this many times the candidates of the previous one, and at most
# MAX_FETCH per scan (past it, what was found is answered, as when the budget is spent).
MAX_GROWTH = 8
MAX_FETCH = 1_000_000
# With an opening filter, candidates read per place wanted (more: some will be closed then), and
# as many when the index already kept only the places that may be open in that half-hour.
OPEN_FETCH = 3.0
OPEN_PREFILTERED_FETCH = 1.5
# The opening prefilter is a condition of the (category, open_slots, location) index while
# fewer than this share of the places may be open in the instant's half-hour (nights, Sundays:
# the index skips the closed ones); beyond, the nearest places of the category index are read
# and the closed ones left aside as they come (weekdays: the slots index would sort through
# most of a category before its nearest place). Measured on 2M places: the two cost the same
# near a fifth; at 2 % the index is ten times faster, at 70 % three times slower.
OPEN_SLOTS_INDEX_BELOW = 0.2
# Places read on the first pass from the scan of a category's secondary places: they are few
# among its own (under 1 % in the demo data), so the few nearest of them bound the rest far
# beyond the answer; each one read costs a visit to the places table and a status in Python
# (reading as many as the answer's limit cost a fifth of the dense search load's throughput).
SECONDARY_FIRST_FETCH = 4
# Candidates read by a prepared statement (one plan for any values) at most: for more, a plan
# that does not know the category's size may sort all of it rather than walk the index
# (PostgreSQL's generic estimates switch near 350 for an opening filter on the rows).
PREPARED_FETCH_MAX = 300

# Query point as a constant expression, so that the planner uses the index for `<->` (public:
# the exports measure the same distance).
QUERY_POINT = "ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography"
# The same point as planar geometry, for the (category, location::geometry) index.
_QUERY_GEOMETRY = "ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)"
# Beyond this latitude plus planar reach (degrees), bounds use the latitude extent of the places.
LOOSE_REACH = 60
# Mean radius of the WGS84 spheroid: the sphere of `<->` on geography.
EARTH_RADIUS_M = 6_371_008.8



# The closures of a place as JSON [[start, end, reason], …], aggregated over
# `places_placeclosure pc` (public: the exports aggregate them alike; closures_from reads them).
CLOSURE_ITEMS_SQL = 'json_agg(json_build_array(pc.start, pc."end", pc.reason) ORDER BY pc.start, pc.id)'
# The closures of every place that has some, as `items` by `place_id` (public: the exports join it too).
CLOSURES_BY_PLACE = f"SELECT pc.place_id, {CLOSURE_ITEMS_SQL} AS items FROM places_placeclosure pc GROUP BY pc.place_id"

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
    "(geofinder_unaccent(lower({name})) LIKE %(name_like)s"
    " OR %(name)s <%% geofinder_unaccent(lower({name})))"
)
# A name search looks among this many nearest places first (a common name is found there at
# once); when fewer match, among the places of that name (a rare name: the trigram index finds
# its few places in milliseconds, where walking the nearest places would read all of them).
NAME_NEAREST_SCAN = 2000


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: SearchQuery
    where: Where  # query.where, located (its commune looked up)
    hits: list[PlaceHit]
    evaluated_at: datetime  # the instant the opening statuses were evaluated at
    complete: bool  # False only when the search's time budget ran out (GEOFINDER_SEARCH_BUDGET_MS)


def place_search(*, query: SearchQuery, now: datetime | None = None) -> SearchResult:
    """The `query.limit` places nearest to `query.where` matching `query.what` and the filters,
    ordered by geodesic distance in metres (ties by id); never clipped to the territory of the
    point, never short while places match: `complete` is False only when the search's time
    budget (settings.GEOFINDER_SEARCH_BUDGET_MS) ran out, and what it found is returned then.

    Opening statuses are evaluated at `query.open_at`, else at `now` (default: this instant);
    with `query.open_at`, only the places open then are kept.

    Passes read the nearest candidates of each category (KNN on the indexes), more each time
    while fewer than `query.limit` of them match the filters. Once enough match, the answer is
    certain when none of them lies beyond the distance under which no place was left out of the
    candidates; otherwise one more statement reads every matching place within the distance of
    the farthest one chosen (a box on the index, then the exact distance), and the choice is
    made among those: exact whatever the distortion of lon/lat degrees.
    """
    if query.where is None:
        raise ValueError("the nearest-places search needs a point (query.where)")
    started = time.monotonic()
    budget_s = settings.GEOFINDER_SEARCH_BUDGET_MS / 1000
    at = query.open_at or now or timezone.now()
    minute = at.replace(second=0, microsecond=0)
    categories = [category.id for category in query.what.categories] or [None]
    if len(categories) > 1:
        categories = categories_with_places(categories)
        if not categories:
            return SearchResult(query=query, where=located(query.where), hits=[], evaluated_at=at, complete=True)
    params = place_filter_params(query)
    wanted = query.limit
    # Planar degrees stretch east-west distances by 1/cos(latitude): a planar circle holding
    # the `wanted` nearest holds that many times more places.
    stretch = 1 / max(math.cos(math.radians(query.where.lat)), 0.1)
    fetch = math.ceil(wanted * stretch) + max(10, wanted // 2)
    slot = open_slot_of(query, now=now or timezone.now())
    if slot is not None:
        params["open_slot"] = slot
    if query.open_at is not None:
        # Some candidates will be closed then: fewer when the index kept only those that may
        # be open in that half-hour.
        fetch = math.ceil((OPEN_PREFILTERED_FETCH if slot is not None else OPEN_FETCH) * fetch)
    details = query.open_at is None or slot is not None
    # Whether the passes after the first walk the categories on the sphere (not the slots index's
    # planar scans; without a category, every pass is on the sphere already).
    sphere_after = categories != [None] and not (slot is not None and slots_index_serves(slot))
    choose = _Chooser(query, minute)
    where = query.where
    first = True
    while True:
        candidates, bound, secondary_cut = _nearest_candidates(
            categories, query=query, params=params, fetch=fetch, details=details,
            locate=not where.located, prepared=first and fetch <= PREPARED_FETCH_MAX, sphere=not first,
        )
        if not where.located:
            where = _located(where, candidates)
        chosen = choose(candidates, wanted)
        # Places closer than `certain_below` cannot have been left out of the candidates.
        certain_below = bound * (1 - SPHERE_MARGIN)
        uncertain = bool(chosen) and chosen[-1][0][_DISTANCE] >= certain_below
        if (len(chosen) == wanted and uncertain and sphere_after and fetch < MAX_FETCH
                and time.monotonic() - started < budget_s):
            # Enough, but a closer place may have been left out: the planar order strays from the
            # geodesic one far from the places (east-west degrees are shorter), and on the sphere
            # the farthest chosen may lie within the spheroid's margin of the last candidate (a
            # point at sea, the coast all at one distance): on the sphere, twice as many.
            fetch = fetch if first else 2 * fetch
            first = False
            continue
        if len(chosen) == wanted or bound == float("inf"):
            if uncertain:
                # Still uncertain (the slots index's planar scans, or no time left for another
                # pass): every match within the farthest distance chosen, read at once.
                within = _candidates_within(
                    categories, query=query, params=params, metres=chosen[-1][0][_DISTANCE], details=details
                )
                chosen = choose(within, wanted)
            return SearchResult(query=query, where=where, hits=_hits(chosen), evaluated_at=at, complete=True)
        # A first pass short only of the secondary places it read few of (SECONDARY_FIRST_FETCH)
        # is finished by the next pass, whatever the budget: it has not been a pass of its own.
        if fetch >= MAX_FETCH or (not secondary_cut and time.monotonic() - started >= budget_s):
            # Out of time (a filter that almost nothing near passes): the nearest found so far.
            return SearchResult(query=query, where=where, hits=_hits(chosen), evaluated_at=at, complete=False)
        first = False
        # Enough candidates next time at the rate the filters kept so far (open at night: a
        # few in a hundred), at least twice as many, at most MAX_GROWTH times.
        fetch = min(MAX_FETCH, MAX_GROWTH * fetch, max(2 * fetch, math.ceil(1.25 * wanted * fetch / max(len(chosen), 1))))


class _Chooser:
    """The first `wanted` candidates, in geodesic order (ties by id), that pass the opening
    filter when there is one; statuses are computed once per distinct (hours, département,
    closures, sun position) for the whole search."""

    def __init__(self, query: SearchQuery, minute: datetime):
        self.open_only = query.open_at is not None
        self.minute = minute
        self.statuses: dict[tuple, OpeningStatus] = {}

    def __call__(self, candidates: list[tuple], wanted: int) -> list[tuple[tuple, OpeningStatus, tuple[Closure, ...]]]:
        candidates.sort(key=lambda candidate: (candidate[_DISTANCE], candidate[_ID]))
        chosen: list[tuple[tuple, OpeningStatus, tuple[Closure, ...]]] = []
        seen: set[int] = set()  # a place found under two of the categories asked is shown once
        for candidate in candidates:
            if len(chosen) == wanted:
                break
            if candidate[_ID] in seen:
                continue
            seen.add(candidate[_ID])
            closures = closures_from(candidate[_CLOSURES]) if candidate[_CLOSURES] else ()
            hours = candidate[_HOURS]
            key = (
                hours, department_code_of_commune(candidate[_COMMUNE]), closures,
                sun_position(hours, candidate[_LON], candidate[_LAT]),
            )
            opening = self.statuses.get(key)
            if opening is None:
                opening = self.statuses[key] = opening_status(key[0], key[1], key[2], self.minute, key[3])
            if not self.open_only or opening.state == OPEN:
                chosen.append((candidate, opening, closures))
        return chosen


# A candidate of the nearest search: what choosing needs, the commune containing the search's
# point (when asked for), then (_DETAILS) the place's own columns the answer shows when they
# were read with it.
_ID, _SCAN, _KNN, _DISTANCE, _HOURS, _COMMUNE, _CLOSURES, _WHERE_COMMUNE, _LON, _LAT, _DETAILS = range(11)
# The columns of a place an answer shows besides those a candidate has already (PLACE_COLUMNS
# but its id, position, hours and commune).
_DETAIL_NAMES = tuple(name for name in PLACE_COLUMNS if name not in ("id", "lon", "lat", "opening_hours", "commune_id"))
# The closures of the candidates, joined to their few places at once (closures are exceptional:
# hashing them all costs less than a subquery per candidate, 16 µs each for thousands of them
# when few places are open); the candidates' départements come from a table Python keeps.
_CANDIDATE_CLOSURES = f"LEFT JOIN ({CLOSURES_BY_PLACE}) cl ON cl.place_id = k.id"
_DETAILS_SQL = (
    f"SELECT p.id, {place_columns_sql(_DETAIL_NAMES, alias=False)} FROM places_place p WHERE p.id = ANY(%(ids)s::bigint[])"
)


def categories_with_places(category_ids: list[int]) -> list[int]:
    """These categories but those without places (as their primary or a secondary category), in
    their order: a scan of the composite GiST index takes up to 20 ms to find that a category has
    none (its pages mix categories), and a search of many categories often names some. The
    categories that have places come from a loose scan of the category btrees (about a
    millisecond on 2M places, whatever the statistics; a probe per category asked was planned as
    a scan of the whole table when PostgreSQL expected to meet the category at once: 14 s)."""
    having = category_ids_with_places()
    return [category_id for category_id in category_ids if category_id in having]


def _located(where: Where, candidates: list[tuple]) -> Where:
    """The point located in the commune that came with the candidates (asked for alone when
    there are none)."""
    if not candidates:
        return located(where)
    return at_commune(where, commune_codes_of_containing(candidates[0][_WHERE_COMMUNE], lon=where.lon, lat=where.lat))


def _hits(chosen: list[tuple[tuple, OpeningStatus, tuple[Closure, ...]]]) -> list[PlaceHit]:
    """The chosen candidates as PlaceHits, in their order; the details of those read without
    them come from one more statement."""
    missing = [candidate[_ID] for candidate, _, _ in chosen if len(candidate) == _DETAILS]
    details: dict[int, tuple] = {}
    if missing:
        with prepared_cursor() as cursor:
            cursor.execute(_DETAILS_SQL, {"ids": missing})
            details = {row[0]: row[1:] for row in cursor.fetchall()}
    hits = []
    for candidate, opening, closures in chosen:
        found = candidate[_DETAILS:] or details.get(candidate[_ID])  # None: deleted in between
        hit = found and _place_hit(candidate, found, opening, closures)
        if hit:
            hits.append(hit)
    return hits


def _place_hit(
    candidate: tuple, details: tuple, opening: OpeningStatus, closures: tuple[Closure, ...]
) -> PlaceHit | None:
    """A candidate and its details (_DETAIL_NAMES) as a PlaceHit (None if its category or
    commune is gone)."""
    values = place_values(details, _DETAIL_NAMES)
    values.update(
        id=candidate[_ID], lon=candidate[_LON], lat=candidate[_LAT], opening_hours=candidate[_HOURS],
        commune_id=candidate[_COMMUNE],
    )
    return place_hit(values, distance_m=candidate[_DISTANCE], opening=opening, closures=closures)


# One place by id: its columns and closures (JSON [[start, end, reason], …] or NULL).
_DETAIL_SQL = (
    f"SELECT {place_columns_sql()}, (SELECT {CLOSURE_ITEMS_SQL} FROM places_placeclosure pc WHERE pc.place_id = p.id)"
    " FROM places_place p WHERE p.id = %(id)s"
)


def place_detail(*, place_id: int, now: datetime | None = None) -> PlaceHit | None:
    """One place by id, as the search shows it (without distance; names as the search gives
    them, see geofinder.search.place_row), or None."""
    at = (now or timezone.now()).replace(second=0, microsecond=0)
    with read_connection().cursor() as cursor:
        cursor.execute(_DETAIL_SQL, {"id": place_id})
        row = cursor.fetchone()
    if row is None:
        return None
    *columns, closure_items = row
    values = place_values(columns)
    return evaluated_place_hit(values, distance_m=None, closures=closures_from(closure_items), at=at)


def evaluated_place_hit(
    values: dict[str, Any], *, distance_m: float | None, closures: tuple[Closure, ...], at: datetime
) -> PlaceHit | None:
    """A place's values (PLACE_COLUMNS by name) as a PlaceHit with its opening status at the
    minute `at` (as the search evaluates it: its commune's département, sun events at the place),
    or None when its category or commune is gone."""
    hours = values["opening_hours"]
    department = department_code_of_commune(values["commune_id"])
    if department is None:
        return None
    opening = opening_status(hours, department, closures, at, sun_position(hours, values["lon"], values["lat"]))
    return place_hit(values, distance_m=distance_m, opening=opening, closures=closures)


@lru_cache(maxsize=8192)
def opening_status(
    raw: str,
    department_code: str,
    closures: tuple[Closure, ...],
    minute: datetime,
    position: tuple[float, float] | None = None,
) -> OpeningStatus:
    """Opening status, cached: opening_hours rules have a resolution of one minute, so the
    status at the start of a minute holds for the whole minute (and results share a few
    dozen common opening_hours values). `position` (lon, lat) is where sun events are computed
    (`sun_position`: None for values without them, so that they share the cache); without it,
    the département's centre."""
    return evaluate(raw, at=minute, department_code=department_code, closures=closures, position=position)


def place_filter_params(query: SearchQuery) -> dict[str, Any]:
    """The parameters of `place_conditions(query)` (and of QUERY_POINT when there is a point)."""
    params: dict[str, Any] = {"lon": query.where.lon, "lat": query.where.lat} if query.where else {}
    if query.statuses:
        params["statuses"] = list(query.statuses)
    if query.radius_m is not None:
        params["radius"] = query.radius_m
    if query.territory is not None:
        params["territory"] = query.territory.code
    if query.bbox is not None:
        params.update(zip(("bbox_xmin", "bbox_ymin", "bbox_xmax", "bbox_ymax"), query.bbox))
    if query.after is not None:
        params["after_m"], params["after_id"] = query.after
    if query.what.name_query:
        params["name"] = query.what.name_query
        params["name_like"] = "%" + query.what.name_query.replace("\\", "").replace("%", "").replace("_", "") + "%"
    return params


def place_conditions(query: SearchQuery, *, name: bool = True) -> list[str]:
    """SQL conditions of the filters on `places_place p`; fixed fragments only, every value is a
    parameter (see place_filter_params). Categories are not among them: callers scan by category;
    nor the name without `name` (the search places it itself)."""
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
    if query.bbox is not None:
        # A point overlaps a box exactly when the box contains it, edges included (in_bbox); a
        # condition of the (category, location::geometry) index as of the geometry one.
        conditions.append(
            "p.location::geometry && ST_MakeEnvelope(%(bbox_xmin)s, %(bbox_ymin)s, %(bbox_xmax)s, %(bbox_ymax)s, 4326)"
        )
    if query.after is not None:
        if query.where is None:
            raise ValueError("a cursor needs a point (query.where)")
        # The next page: strictly after the cursor in the search's order (geodesic metres, id),
        # the same ST_Distance the candidates are ordered by (no offset: nothing read twice).
        conditions.append(f"(ST_Distance(p.location, {QUERY_POINT}), p.id) > (%(after_m)s::float8, %(after_id)s::bigint)")
    if query.artisan is not None:
        conditions.append("p.artisan" if query.artisan else "NOT p.artisan")
    if query.verified:
        conditions.append("p.verified_at IS NOT NULL")
    if query.what.name_query and name:
        conditions.append(_NAME_SQL.format(name="p.name"))
    return conditions


def every_match_conditions(query: SearchQuery) -> tuple[list[str], dict[str, Any]]:
    """The SQL conditions over `places_place p` and their parameters of every place matching
    `query` (no limit, no scan by category: the exports, the map's clusters): place_conditions,
    and its categories as the place's category or a secondary one (SecondaryLocation)."""
    conditions = place_conditions(query)
    params = place_filter_params(query)
    if query.what.categories:
        conditions.append(
            "(p.category_id = ANY(%(category_ids)s) OR p.id IN"
            " (SELECT s.place_id FROM places_secondarylocation s WHERE s.category_id = ANY(%(category_ids)s)))"
        )
        params["category_ids"] = [category.id for category in query.what.categories]
    return conditions, params


def _candidates_of(scans: list[str], params: dict[str, Any], *, locate: bool, outer: str, prepared: bool) -> list[tuple]:
    """The candidates of these scans (see _ID…_DETAILS), the commune at the point with them if
    `locate`: by a statement prepared once per connection, or planned for its values."""
    # The commune at the point: an uncorrelated subquery, run once for the statement (InitPlan).
    where_commune = f"({COMMUNE_CONTAINING_SQL})" if locate else "NULL::bigint"
    sql = (
        f"SELECT k.id, k.scan, k.knn, ST_Distance(k.location, {QUERY_POINT}), k.opening_hours, k.commune_id,"
        f" cl.items, {where_commune}, ST_X(k.location::geometry), ST_Y(k.location::geometry){outer}"
        f" FROM ({' UNION ALL '.join(scans)}) AS k {_CANDIDATE_CLOSURES}"
    )
    # Prepared: one statement text per set of filters and `fetch` (a few dozen in all); else
    # bound on the client, planned for its values.
    with prepared_cursor() if prepared else read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _territory_condition(territory: TerritoryFilter) -> str:
    try:
        return _TERRITORY_SQL[territory.kind]
    except KeyError:
        raise ValueError(f"unknown territory kind {territory.kind!r}") from None


def sphere_metres_beyond(degrees: float, lat: float, *, max_abs_lat: float = 90.0) -> float:
    """A lower bound of the sphere distance (metres) from a point at latitude `lat` to any point
    farther than `degrees` from it in the planar lon/lat metric (longitudes not wrapping round
    the antimeridian), no farther from the equator than `max_abs_lat`; 0 when there is none.

    With c = cos(max(|lat|, min(|lat| + degrees, max_abs_lat))), a point whose latitude differs
    by less than `degrees` has hav(angle) >= c² (hav(dlat) + hav(dlon)) >= c² hav(degrees), hav
    being concave in the squared angle; one whose latitude differs by more is farther than
    `degrees` anyway."""
    degrees = min(degrees, 180.0)
    reach = max(abs(lat), min(abs(lat) + degrees, max_abs_lat))
    if reach >= 90:
        return 0.0
    half = math.radians(degrees) / 2
    return 2 * EARTH_RADIUS_M * math.asin(math.cos(math.radians(reach)) * math.sin(half))


# The farthest latitude from the equator of the places of some categories, in two index probes
# each: the nearest places to horizontal lines far north and far south of any point.
_MAX_ABS_LATITUDE_SQL = """
SELECT max(greatest(n.lat, -s.lat)) FROM unnest(%(categories)s::bigint[]) AS cat(id)
CROSS JOIN LATERAL (SELECT ST_Y(p.location::geometry) AS lat FROM places_place p WHERE p.category_id = cat.id
    ORDER BY p.location::geometry <-> ST_SetSRID('LINESTRING(-1000 1000, 1000 1000)'::geometry, 4326) LIMIT 1) n
CROSS JOIN LATERAL (SELECT ST_Y(p.location::geometry) AS lat FROM places_place p WHERE p.category_id = cat.id
    ORDER BY p.location::geometry <-> ST_SetSRID('LINESTRING(-1000 -1000, 1000 -1000)'::geometry, 4326) LIMIT 1) s
"""


def max_abs_latitude(category_ids: list[int]) -> float:
    """How far from the equator (degrees) the places of these categories lie at most (90 when
    there are none)."""
    with prepared_cursor() as cursor:
        cursor.execute(_MAX_ABS_LATITUDE_SQL, {"categories": category_ids})
        (value,) = cursor.fetchone()
    return 90.0 if value is None else value


def open_slot_of(query: SearchQuery, *, now: datetime) -> int | None:
    """The half-hour of the week (geofinder/opening/slots.py) whose places may be open at
    `query.open_at`, when the slots of every place hold then: from a day before their newest
    computation (and before `now`, the instant the search runs at: none is later) to a year
    after their oldest; None otherwise (no prefilter)."""
    at = query.open_at
    if at is None or at < now - WINDOW_BEFORE:
        return None
    oldest, newest = open_slots_span()
    if oldest is not None and (at >= oldest + timedelta(days=WINDOW_DAYS) or at < newest - WINDOW_BEFORE):
        return None
    return week_slot(at)


def slots_index_serves(slot: int) -> bool:
    """Whether the slots index should skip the closed places in this half-hour: fewer than
    OPEN_SLOTS_INDEX_BELOW of the places may be open then (or any time), or no statistics say."""
    shares = open_slot_shares()
    if not shares:
        return True
    return shares.get(slot, 0.0) + shares.get(ANY_TIME_SLOT, 0.0) < OPEN_SLOTS_INDEX_BELOW


def _nearest_candidates(
    categories: list[int | None], *, query: SearchQuery, params: dict[str, Any], fetch: int, details: bool,
    locate: bool, prepared: bool, sphere: bool = False,
) -> tuple[list[tuple], float, bool]:
    """The `fetch` nearest matches of each category as candidates (see _ID…_DETAILS), with
    their details if asked and the commune containing the point if `locate`, the sphere
    distance below which no place was left out (infinity when every category was exhausted), and
    whether a scan of secondary places read all it was allowed, fewer than `fetch`.

    A category is walked in planar order (its (category, location::geometry) index: the
    cheapest, for the first pass, or with the opening prefilter of the slots index) or, with
    `sphere`, in sphere order (its (category, location) geography index: the order of the
    answer but for the spheroid's margin, for the passes after the first, when the planar order
    left the answer uncertain or short). Secondary categories are always walked on the sphere.

    `prepared`: by a statement prepared once per connection with a plan for any values (the
    first pass of most searches); otherwise planned for these values (the later passes, rare:
    far from any match, or few open then, they read thousands of candidates, and a plan that
    knows how many places the category has reads them faster: 8 ms instead of 220 for 1,175
    candidates in French Guiana)."""
    named = categories == [None] and bool(query.what.name_query)
    conditions, columns, outer = _scan_parts(query, params, named=named, details=details)
    # The slots index (planar) serves the opening prefilter: its scans stay planar.
    sphere = sphere and not ("open_slot" in params and slots_index_serves(params["open_slot"]))
    planar_scans = set()
    secondary = secondary_category_ids()
    # A category's secondary places are few beside its own: on the first pass, SECONDARY_FIRST_FETCH
    # of them (any number keeps the bound exact: a scan that reads its whole limit bounds what it
    # left out, and where they are many, the next pass reads more); `fetch` when a filter may
    # reject some (open at an instant) and on the later passes (which read more of every scan
    # until the answer is certain).
    secondary_fetch = fetch if query.open_at is not None or sphere else min(fetch, SECONDARY_FIRST_FETCH)
    limits: dict[int, int] = {}
    scans = []
    for position, category_id in enumerate(categories):
        where = list(conditions)
        if category_id is not None:
            params[f"category_{position}"] = category_id
            # Cast: psycopg sends small ints as int2/int4, and btree_gist has no cross-type
            # operator, so without it the category is a filter, not a condition of the index.
            where.append(f"p.category_id = %(category_{position})s::bigint")
        if category_id is not None and not sphere:
            knn = f"p.location::geometry <-> {_QUERY_GEOMETRY}"  # planar degrees
            planar_scans.add(position)
        else:
            knn = f"p.location <-> {QUERY_POINT}"  # sphere metres
        selected = columns.format(position=position, knn=knn)
        if category_id in secondary:
            # The places of that category as a secondary one (SecondaryLocation), nearest first
            # in its own (category, location) index: another scan, bounded alike.
            # Each place through its primary key, beside the index's order (LATERAL … OFFSET 0: a
            # plan for any values joined the whole places table to the few secondary rows, 13 s).
            secondary_knn = f"s.location <-> {QUERY_POINT}"
            scans.append(
                f"(SELECT q.* FROM places_secondarylocation s CROSS JOIN LATERAL"
                f" (SELECT {columns.format(position=len(categories) + position, knn=secondary_knn)}"
                f" FROM places_place p WHERE {' AND '.join(['p.id = s.place_id', *conditions])} OFFSET 0) q"
                f" WHERE s.category_id = %(category_{position})s::bigint ORDER BY {secondary_knn}"
                f" LIMIT {int(secondary_fetch)})"
            )
            limits[len(categories) + position] = secondary_fetch
        if named:
            # The places of that name among the nearest ones (see NAME_NEAREST_SCAN).
            scans.append(
                f"(SELECT * FROM (SELECT {selected}, p.name AS place_name FROM places_place p"
                f" WHERE {' AND '.join(where) or 'true'} ORDER BY {knn} LIMIT {NAME_NEAREST_SCAN}) near"
                f" WHERE {_NAME_SQL.format(name='near.place_name')} ORDER BY near.knn LIMIT {int(fetch)})"
            )
        else:
            scans.append(
                f"(SELECT {selected} FROM places_place p WHERE {' AND '.join(where) or 'true'}"
                f" ORDER BY {knn} LIMIT {int(fetch)})"
            )
    candidates = _candidates_of(scans, params, locate=locate, outer=outer, prepared=prepared)
    if named and len(candidates) < fetch:
        # Fewer of that name among the nearest places: the nearest among every place of that
        # name, found by the trigram index first (MATERIALIZED: not by walking the nearest).
        knn = f"p.location <-> {QUERY_POINT}"
        where = [_NAME_SQL.format(name="p.name"), *conditions]
        scan = (
            f"(WITH named AS MATERIALIZED (SELECT {columns.format(position=0, knn=knn)} FROM places_place p"
            f" WHERE {' AND '.join(where)}) SELECT * FROM named ORDER BY knn LIMIT {int(fetch)})"
        )
        candidates = _candidates_of([scan], params, locate=locate, outer=outer, prepared=False)
    counts: dict[int, int] = {}
    reaches: dict[int, float] = {}  # the farthest `knn` of each scan
    for candidate in candidates:
        scan = candidate[_SCAN]
        counts[scan] = counts.get(scan, 0) + 1
        reaches[scan] = max(reaches.get(scan, 0.0), candidate[_KNN])
    full = [scan for scan, count in counts.items() if count >= limits.get(scan, fetch)]
    # Whether a scan of secondary places stopped at a smaller limit than the others'.
    cut = any(limits.get(scan, fetch) < fetch for scan in full)
    if not full:
        return candidates, float("inf"), cut
    bound = min((reaches[scan] for scan in full if scan not in planar_scans), default=float("inf"))
    planar = [reaches[scan] for scan in full if scan in planar_scans]
    if not planar:
        return candidates, bound, cut  # sphere metres already
    lat = query.where.lat
    cap = 90.0
    if abs(lat) + max(planar) > LOOSE_REACH:
        # Far reaching (overseas, rare categories, open at night): the bound grows loose, unless
        # it knows how far from the equator the places lie (mainland France, not the pole).
        cap = max_abs_latitude(categories)
    return candidates, min(bound, *(sphere_metres_beyond(reach, lat, max_abs_lat=cap) for reach in planar)), cut


def _scan_parts(query: SearchQuery, params: dict[str, Any], *, named: bool, details: bool) -> tuple[list[str], str, str]:
    """What every scan of a search shares: the conditions of its filters (the name's too unless
    `named`, where the scan places it itself), the columns of a candidate (with `{position}`
    and `{knn}` to fill in), and the outer columns of its details when asked."""
    conditions = place_conditions(query, name=not named)
    if "open_slot" in params:
        # Only the places that may be open in the instant's half-hour, or any time: a condition
        # of the slots index when few may be, else a filter of the rows of the category index
        # (IS TRUE: an expression no index serves).
        may_be_open = f"p.open_slots && ARRAY[%(open_slot)s, {ANY_TIME_SLOT}]::integer[]"
        conditions.append(may_be_open if slots_index_serves(params["open_slot"]) else f"({may_be_open}) IS TRUE")
    # The details come from the rows the scans read anyway (no second statement), when few
    # candidates are expected to be left aside (no opening filter, or the index's prefilter).
    inner = f", {place_columns_sql(_DETAIL_NAMES)}" if details else ""
    outer = "".join(f", k.{name}" for name in _DETAIL_NAMES) if details else ""
    columns = f"p.id, {{position}} AS scan, {{knn}} AS knn, p.location, p.opening_hours, p.commune_id{inner}"
    return conditions, columns, outer


def _candidates_within(
    categories: list[int | None], *, query: SearchQuery, params: dict[str, Any], metres: float, details: bool
) -> list[tuple]:
    """Every place matching the search within `metres` (geodesic) of its point, as candidates
    (see _ID…_DETAILS): by category, in the composite index's boxes that hold the circle (see
    boxes_around), then by exact distance; without a category, in the geography
    index. Planned for its values (the box's size varies by orders of magnitude)."""
    conditions, columns, outer = _scan_parts(query, params, named=False, details=details)
    secondary = secondary_category_ids()
    lon, lat = query.where.lon, query.where.lat
    # A centimetre beyond: ST_DWithin and ST_Distance need not round alike at the boundary.
    params = {**params, "within": metres + 0.01}
    # Without a category, ST_DWithin: a condition of the geography index. With one, the boxes are
    # the index's condition, and the distance only a filter of their rows (ST_DWithin would add
    # the geography index's box of every category to AND with them: 150 ms at 400 km).
    within = f"ST_DWithin(p.location, {QUERY_POINT}, %(within)s)"
    within_filter = f"ST_Distance(p.location, {QUERY_POINT}) <= %(within)s"
    scans = []
    # The circle as strips of boxes, each a condition of the (category, location) index.
    boxes = boxes_around(lon, lat, metres + 0.01)
    for index, box in enumerate(boxes):
        params.update({f"box_{index}_{corner}": value for corner, value in zip(("x0", "y0", "x1", "y1"), box)})
    in_boxes = " OR ".join(
        f"{{location}} && ST_MakeEnvelope(%(box_{index}_x0)s, %(box_{index}_y0)s, %(box_{index}_x1)s, %(box_{index}_y1)s, 4326)"
        for index in range(len(boxes))
    )
    for position, category_id in enumerate(categories):
        where = [*conditions, within if category_id is None else within_filter]
        if category_id is not None:
            params[f"category_{position}"] = category_id
            where += [f"p.category_id = %(category_{position})s::bigint", f"({in_boxes.format(location='p.location::geometry')})"]
        selected = columns.format(position=position, knn="0::float8")
        scans.append(f"(SELECT {selected} FROM places_place p WHERE {' AND '.join(where)})")
        if category_id in secondary:
            secondary = columns.format(position=len(categories) + position, knn="0::float8")
            where = [*conditions, f"ST_DWithin(s.location, {QUERY_POINT}, %(within)s)",
                     f"s.category_id = %(category_{position})s::bigint"]
            scans.append(
                f"(SELECT {secondary} FROM places_secondarylocation s JOIN places_place p ON p.id = s.place_id"
                f" WHERE {' AND '.join(where)})"
            )
    return _candidates_of(scans, params, locate=False, outer=outer, prepared=False)


# Boxes of latitude strips that together hold a circle of the search (see boxes_around): the
# more, the closer their union to the circle; the index reads each (a bitmap OR).
CIRCLE_STRIPS = 8


def boxes_around(lon: float, lat: float, metres: float, *, strips: int = CIRCLE_STRIPS) -> list[tuple[float, float, float, float]]:
    """Boxes (xmin, ymin, xmax, ymax) in lon/lat degrees whose union holds every point within
    `metres` of (lon, lat) on the WGS84 spheroid, hugging that circle: `strips` strips of
    latitude, each as wide as the circle within it (one box is 4/pi of the circle's area, and its
    corners may reach a dense city 300 km from a point at sea; the strips, a few percent more).
    One box of every longitude when the circle holds a pole or crosses the antimeridian."""
    whole = box_around(lon, lat, metres)
    if whole[0] == -180.0 and whole[2] == 180.0:
        return [whole]
    angle = metres * (1 + SPHERE_MARGIN) / EARTH_RADIUS_M
    phi0 = math.radians(lat)
    # The circle's widest latitude (its half-width there is box_around's).
    widest = math.asin(max(-1.0, min(1.0, math.sin(phi0) / math.cos(angle))))

    def half_width(phi: float) -> float:
        """Half the longitude span of the circle at latitude `phi` (radians)."""
        cosine = (math.cos(angle) - math.sin(phi0) * math.sin(phi)) / (math.cos(phi0) * math.cos(phi))
        return math.acos(max(-1.0, min(1.0, cosine)))

    ymin, ymax = whole[1], whole[3]
    step = (ymax - ymin) / strips
    boxes = []
    for index in range(strips):
        south, north = ymin + index * step, ymin + (index + 1) * step
        a, b = math.radians(south), math.radians(north)
        width = half_width(widest) if a <= widest <= b else max(half_width(a), half_width(b))
        dlon = math.degrees(width) + 1e-9
        boxes.append((lon - dlon, south - 1e-9, lon + dlon, north + 1e-9))
    return boxes


def box_around(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in lon/lat degrees holding every point within `metres` of
    (lon, lat) on the WGS84 spheroid: the box of the spherical cap of that radius (plus
    SPHERE_MARGIN, which covers spheroid against sphere); every longitude when the cap holds a
    pole or crosses the antimeridian."""
    angle = metres * (1 + SPHERE_MARGIN) / EARTH_RADIUS_M
    dlat = math.degrees(angle)
    ymin, ymax = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    reach = math.sin(angle) / math.cos(math.radians(lat)) if abs(lat) < 90 else 2.0
    if angle >= math.pi / 2 or ymin <= -90 or ymax >= 90 or reach >= 1:
        return (-180.0, ymin, 180.0, ymax)
    # The widest longitude of a spherical cap of angular radius `angle` around latitude `lat`.
    dlon = math.degrees(math.asin(reach)) + 1e-9
    if lon - dlon < -180 or lon + dlon > 180:
        return (-180.0, ymin, 180.0, ymax)
    return (lon - dlon, ymin - 1e-9, lon + dlon, ymax + 1e-9)
