"""The places of a static map: every place matching the search, through the search's stream.

The filters, joins and order are those of `geofinder.search.stream.places_stream` (the read path
of the exports); only the columns a map shows are chosen here, in the order of
`PlaceHit.from_row`, so that a map's places are PlaceHits like the search's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import orjson

from geofinder.search.query import SearchQuery
from geofinder.search.selectors import PlaceHit, closures_from, hit_columns
from geofinder.search.stream import places_stream

# PlaceHit.from_row's columns over the stream's aliases (p, c, co, d, r, cl); a map has no
# distance to show (NULL).
_COLUMNS = hit_columns(distance="NULL", closures="cl.items")
_CLOSURES = 28  # position of cl.items (JSON text or NULL)


def map_places(*, query: SearchQuery, now: datetime) -> Iterator[PlaceHit]:
    """Every place matching `query` (no limit), as PlaceHits with their status at
    `query.open_at` or `now`; with `query.open_at`, only the places open then."""
    for batch in places_stream(query=query, select=_COLUMNS, render=lambda status: status, now=now):
        for row, status in batch:
            closures = closures_from(orjson.loads(row[_CLOSURES]) if row[_CLOSURES] else None)
            yield PlaceHit.from_row(row, opening=status, closures=closures)
