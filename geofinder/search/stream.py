"""Every place matching a search, streamed: the read path of the exports.

The same filters as the nearest-places search (`place_conditions`, `place_filter_params`,
`PLACE_JOINS` of geofinder.search.selectors), without a limit and with the point optional, in
one transaction. Rows are streamed, `FETCH_SIZE` at a time (libpq's chunked rows mode), or
written whole by PostgreSQL (COPY, places_copy): the server computes the next rows while the
caller writes these out, and memory stays flat whatever the number of places. Closing the
generator (a client that disconnects) cancels the query and rolls the transaction back.

Order: by geodesic distance in metres to the point (`ST_Distance` on geography, the WGS84
spheroid: the `distance_m` of each place), then id, when there is a point; else by id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from geofinder.core.replicas import read_connection
from geofinder.opening import OpeningStatus
from geofinder.opening.batch import OpeningBatch
from geofinder.opening.status import OPEN
from geofinder.places.opening import OPENING_KEYS_BATCH, opening_table
from geofinder.search.query import SearchQuery
from geofinder.search.selectors import (
    CLOSURE_ITEMS_SQL,
    CLOSURES_BY_PLACE,
    PLACE_JOINS,
    QUERY_POINT,
    every_match_conditions,
)
from geofinder.territories.selectors import commune_names

FETCH_SIZE = 2000  # rows per chunk of the stream
NO_LIMIT = 2**62
# Settings of the export's transaction (SET LOCAL).
TRANSACTION_SETTINGS = {
    # A named cursor (the opening keys of places_copy) is planned for its first 10 % by default;
    # an export reads it all.
    "cursor_tuple_fraction": "1.0",
    # JIT compilation of the row expressions costs more than it saves here, and parallel workers
    # would pass every built row through shared memory queues (both measured).
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    # Sorts of a few hundred thousand places stay in memory (the database server's).
    "work_mem": "64MB",
    # Floats as text with every digit (the shortest exact form), whatever the server's default.
    "extra_float_digits": "1",
    # An export streams for as long as it takes: the requests' statement timeout
    # (geofinder.core.timeouts) does not apply to it.
    "statement_timeout": "0",
}

# Joins of the export columns, besides PLACE_JOINS (p, c, co, d, r), aggregated once rather
# than per row: the closures of each place (`cl.items`, JSON [[start, end, reason], …] by start;
# `cl.objects`, the same as {start, end, reason}), its secondary category slugs (`sc.slugs`,
# JSON, in the order of the source) and the merchant's announcements shown on the day the
# statement runs in Paris (`an.items`, JSON {kind, title, text, start, end} by start; few).
_TODAY_SQL = "(statement_timestamp() AT TIME ZONE 'Europe/Paris')::date"
STREAM_JOINS = f"""
    LEFT JOIN (SELECT pc.place_id,
                      {CLOSURE_ITEMS_SQL}::text AS items,
                      json_agg(json_build_object('start', pc.start, 'end', pc."end", 'reason', pc.reason)
                               ORDER BY pc.start, pc.id)::text AS objects
                 FROM places_placeclosure pc GROUP BY pc.place_id) cl ON cl.place_id = p.id
    LEFT JOIN (SELECT ps.place_id, json_agg(sc_c.slug ORDER BY ps.id)::text AS slugs
                 FROM places_place_secondary_categories ps JOIN places_category sc_c ON sc_c.id = ps.category_id
                GROUP BY ps.place_id) sc ON sc.place_id = p.id
    LEFT JOIN (SELECT a.place_id,
                      json_agg(json_build_object('kind', a.kind, 'title', a.title, 'text', a.text,
                                                 'start', a.start, 'end', a."end") ORDER BY a.start, a.id)::text AS items
                 FROM places_announcement a WHERE a.start <= {_TODAY_SQL} AND a."end" >= {_TODAY_SQL}
                GROUP BY a.place_id) an ON an.place_id = p.id
"""
# Distance of a place to the query point, in geodesic metres to 0.1 m, as text (or 'null').
DISTANCE_SQL = f"round(ST_Distance(p.location, {QUERY_POINT})::numeric, 1)::text"


def _matching(query: SearchQuery) -> tuple[str, str, dict[str, Any]]:
    """(WHERE, ORDER BY, parameters) of every place matching `query`, over `places_place p` (no limit;
    a LIMIT never reached still goes with them, see places_stream)."""
    conditions, params = every_match_conditions(query)
    order = f"ST_Distance(p.location, {QUERY_POINT}), p.id" if query.where is not None else "p.id"
    params["no_limit"] = NO_LIMIT
    return " AND ".join(conditions) or "true", order, params


@contextmanager
def _export_transaction() -> Iterator[None]:
    """One transaction with TRANSACTION_SETTINGS; on its own (outside any atomic block), a
    REPEATABLE READ one, so that every statement of an export sees the same places."""
    connection = read_connection()
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            if len(connection.atomic_blocks) == 1:  # not inside another transaction
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute(
                "SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in TRANSACTION_SETTINGS),
                list(TRANSACTION_SETTINGS.values()),
            )
        yield


def places_stream(
    *, query: SearchQuery, select: str, render: Callable[[OpeningStatus], Any], now: datetime | None = None,
    joins: str = PLACE_JOINS, text_as_bytes: bool = False, fetch_size: int = FETCH_SIZE,
) -> Iterator[list[tuple[tuple, Any]]]:
    """Batches of (row, rendered opening status) for every place matching `query`.

    `select` is the SQL select list of a row, over the aliases of `joins` and STREAM_JOINS
    (p, c, co, d, r, cl, sc); `DISTANCE_SQL` is valid only when the query has a point. Without
    `joins` (""), the rows come in id order straight from the primary key (no hash join to
    sort again: an export of every place reads faster). With `text_as_bytes`, text columns
    come as their UTF-8 bytes (the client encoding of the transaction is SQL_ASCII: nothing is
    decoded only to be encoded again). Opening statuses are evaluated at `query.open_at`, else
    `now` (default: this instant); with `query.open_at`, only the places open then are kept, as
    in the search.
    """
    where, order, params = _matching(query)
    sql = (
        f"SELECT {select}, p.opening_hours, p.commune_id, cl.items FROM places_place p {joins} {STREAM_JOINS}"
        f" WHERE {where} ORDER BY {order}"
        # A LIMIT (never reached) makes PostgreSQL compute the select list after the sort, row
        # by row as they are fetched, rather than sort the rows built (make_sort_input_target).
        " LIMIT %(no_limit)s"
    )
    only_open = query.open_at is not None
    with _export_transaction():
        # The département of every commune the places may be in: those this transaction sees
        # (read before the stream: its connection is busy).
        departments = {commune_id: names.department_code for commune_id, names in commune_names(fresh=True).items()}
        opening = OpeningBatch(at=query.open_at or now or timezone.now(), render=render)
        if text_as_bytes:
            with read_connection().cursor() as cursor:
                cursor.execute("SET LOCAL client_encoding = 'SQL_ASCII'")
        raw = read_connection().connection
        with raw.cursor() as cursor, closing(cursor.stream(sql, params, size=fetch_size)) as rows:
            batch, examined = [], 0
            for row in rows:
                status, rendered = opening.status(row[-3], departments[row[-2]], row[-1])
                if not only_open or status.state == OPEN:
                    batch.append((row, rendered))
                examined += 1
                if examined == fetch_size:
                    yield batch
                    batch, examined = [], 0
            if batch:
                yield batch
        if text_as_bytes:  # inside a larger transaction, the setting would outlive this one
            with read_connection().cursor() as cursor:
                cursor.execute("SET LOCAL client_encoding = 'UTF8'")


def places_copy(
    *, query: SearchQuery, select: str, opening: dict[str, Callable[[OpeningStatus], str]], options: str,
    params: dict[str, Any] | None = None, now: datetime | None = None,
) -> Iterator[memoryview]:
    """The rows of `COPY (SELECT select …) TO STDOUT (options)` for every place matching
    `query`, one a row, each ending with its newline: the file is written by PostgreSQL.

    `select` is over the aliases of PLACE_JOINS and STREAM_JOINS, and `o`: the opening status
    of the place, in one text column per entry of `opening` (its name, its value rendered from
    the status) besides `o.state`. Those statuses are evaluated first, once per distinct
    (opening_hours, département, closures) of the matching places, at `query.open_at`, else
    `now` (default: this instant), and kept in a temporary table the COPY joins; with
    `query.open_at`, only the places open then are kept, as in the search. `params` are those of
    `select` (bound client-side, as COPY takes no parameters). A caller that stops
    reading (closes the generator) cancels the COPY and rolls the transaction back.
    """
    at = (query.open_at or now or timezone.now()).replace(second=0, microsecond=0)
    where, order, filter_params = _matching(query)
    params = {**filter_params, **(params or {})}
    if query.open_at is not None:
        where += f" AND o.state = '{OPEN}'"
    sql = (
        f"COPY (SELECT {select} FROM places_place p {PLACE_JOINS} {STREAM_JOINS} {OPENING_JOIN}"
        f" WHERE {where} ORDER BY {order} LIMIT %(no_limit)s) TO STDOUT ({options})"
    )
    with _export_transaction():
        _opening_table(query, OpeningBatch(at=at), opening)
        with read_connection().connection.cursor() as cursor, cursor.copy(sql, params) as copy:
            yield from copy


# The opening status of each exported place, from the table _opening_table fills.
OPENING_TABLE = "geofinder_export_opening"
OPENING_JOIN = f"""
    JOIN {OPENING_TABLE} o ON o.opening_hours = p.opening_hours AND o.department_id = co.department_id
                          AND o.closures = coalesce(cl.items, '')
"""


def _opening_table(
    query: SearchQuery, batch: OpeningBatch, opening: dict[str, Callable[[OpeningStatus], str]]
) -> None:
    """The opening batch's temporary table (dropped at commit) of the status at `batch.at` of
    every distinct (opening_hours, département, closures) of the places matching `query`,
    rendered into the columns of `opening`; read a batch of keys at a time (memory stays flat)."""
    where, _, params = _matching(query)
    # Only the joins the conditions and the key need (place_conditions reads `p` alone).
    with read_connection().connection.cursor(name="geofinder_opening_keys") as keys:
        keys.execute(
            f"SELECT DISTINCT p.opening_hours, co.department_id, coalesce(cl.items::text, '')"
            f" FROM places_place p JOIN territories_commune co ON co.id = p.commune_id"
            f" LEFT JOIN ({CLOSURES_BY_PLACE}) cl ON cl.place_id = p.id WHERE {where}",
            params,
        )
        opening_table(
            table=OPENING_TABLE, keys=iter(lambda: keys.fetchmany(OPENING_KEYS_BATCH), []), batch=batch,
            statuses=opening,
        )
    with read_connection().connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {OPENING_TABLE}")
