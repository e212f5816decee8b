"""The places of a static map: every place matching the search, through the search's stream.

The filters, joins and order are those of `geofinder.search.stream.places_stream` (the read path
of the exports); the columns are those of a place row (geofinder.search.place_row), so that a
map's places are PlaceHits named like the search's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import orjson

from geofinder.opening.batch import closures_from
from geofinder.search.place_row import PLACE_COLUMNS, PlaceHit, place_columns_sql, place_hit, place_values
from geofinder.search.query import SearchQuery
from geofinder.search.stream import places_stream

_COLUMNS = place_columns_sql(alias=False)
_PLACE_WIDTH = len(PLACE_COLUMNS)


def map_places(*, query: SearchQuery, now: datetime) -> Iterator[PlaceHit]:
    """Every place matching `query` (no limit), as PlaceHits with their status at
    `query.open_at` or `now`; with `query.open_at`, only the places open then. A map has no
    distance to show."""
    for batch in places_stream(
        query=query, select=_COLUMNS, render=lambda status: status, now=now, joins=""
    ):
        for row, status in batch:
            # The stream's own columns follow the place's: opening hours, commune, closures (JSON text).
            closure_items = row[-1]
            closures = closures_from(orjson.loads(closure_items) if closure_items else None)
            hit = place_hit(place_values(row[:_PLACE_WIDTH]), distance_m=None, opening=status, closures=closures)
            if hit is not None:
                yield hit
