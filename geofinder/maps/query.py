"""The search behind a static map, read from the same parameters as the API.

The options of `render_map` go through `geofinder.api.params.search_query_from` as an export's
(no limit, location optional), so that the command and the API accept and reject the same
values with the same messages (ParamErrors, field → messages). A map shows every matching place;
a point or a place (near, where) only makes sense with a radius or a territory.
"""

from __future__ import annotations

from django.http import QueryDict

from geofinder.api.params import ParamErrors, search_query_from
from geofinder.search.query import SearchQuery

FIELDS = ("category", "what", "territory", "near", "where", "radius", "open", "services")


def map_query_from(options: dict[str, str], *, include_closed: bool = False) -> SearchQuery:
    """The SearchQuery of a map from the API's parameters (`FIELDS`, values as strings).
    Raises ParamErrors naming each wrong field."""
    values = {name: (options.get(name) or "").strip() for name in FIELDS}
    params = QueryDict(mutable=True)
    for name, value in values.items():
        if value:
            params[name] = value
    if include_closed:
        params["include_closed"] = "true"
    errors = ParamErrors()
    try:
        query = search_query_from(params, export=True)
    except ParamErrors as exc:
        errors = exc
    located = values["near"] or values["where"]
    if not any(values[name] for name in ("category", "what", "territory")) and not located:
        errors.add("territory", "give what to show (category, what) or where (territory, or near/where with a radius)")
    if located and not values["territory"] and not values["radius"]:
        errors.add("radius", "a map around a point or a place needs a radius in metres (or a territory)")
    if errors.errors:
        raise errors
    return query
