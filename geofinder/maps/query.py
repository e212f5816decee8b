"""The search behind a static map, read by the same query contract as the API.

The options of `render_map` are the export parameters of `geofinder.search.contract` (no limit,
location optional), so that the command and the API accept and reject the same values with the
same messages (ParamErrors, field → messages). A map shows every matching place; a point or a
place (near, where) only makes sense with a radius or a territory.
"""

from __future__ import annotations

from collections.abc import Mapping

from geofinder.search.contract import MAP_PARAMS, search_query_from
from geofinder.search.errors import ParamErrors
from geofinder.search.query import SearchQuery

FIELDS = tuple(MAP_PARAMS)


def map_query_from(options: Mapping[str, str]) -> SearchQuery:
    """The SearchQuery of a map from the contract's parameters (`FIELDS`, values as strings).
    Raises ParamErrors naming each wrong field."""
    values = {name: str(options.get(name) or "") for name in FIELDS}
    errors = ParamErrors()
    try:
        query = search_query_from(values, export=True)
    except ParamErrors as exc:
        errors = exc
    located = any(MAP_PARAMS[name].given(values) for name in ("near", "where"))
    if not any(MAP_PARAMS[name].given(values) for name in ("category", "what", "territory")) and not located:
        errors.add("territory", "give what to show (category, what) or where (territory, or near/where with a radius)")
    if located and not MAP_PARAMS["territory"].given(values) and not MAP_PARAMS["radius"].given(values):
        errors.add("radius", "a map around a point or a place needs a radius in metres (or a territory)")
    if errors.errors:
        raise errors
    return query
