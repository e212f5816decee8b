"""Database helpers shared by the apps: model expressions, and prepared statements for the
few statements every search runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import BooleanField, F, Func

from geofinder.core.replicas import read_connection


def is_valid_geometry(field_name: str) -> Func:
    """`ST_IsValid(field)`, for a CheckConstraint that keeps invalid polygons out of the database."""
    return Func(F(field_name), function="ST_IsValid", output_field=BooleanField())


_NEVER_BY_COUNT = 2**31 - 1


def plan_prepared_statements_once(sender, connection, **kwargs) -> None:
    """On each new connection (Django's connection_created signal): prepared statements are
    planned once, for any parameters (generic plans), not again at every execution.

    PostgreSQL otherwise compares five plans made for the values given with a generic one, and
    keeps planning for each execution when the generic plan's estimate is higher, which it is
    for the search's statements (a point as parameters): planning then cost 0.2–0.4 ms a
    search. Their generic plans use the same indexes (the search plans its rare passes over
    thousands of candidates for their values). Only statements prepared on the server are
    concerned: those of prepared_cursor and PL/pgSQL (Django binds its parameters on the client).
    Behind a pooler in transaction mode, set plan_cache_mode on the database or role instead."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")


class _PreparingCursor(psycopg.Cursor):
    """Server-side parameter binding, each statement prepared the first time it runs on its
    connection (psycopg keeps the 100 latest per connection), then only executed; results in
    binary (no text to parse for numbers and timestamps)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=True)


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Logs statements with their values in place (Django reads them back from client-side
    binding cursors only)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


@contextmanager
def prepared_cursor() -> Iterator[CursorWrapper]:
    """A Django cursor (errors, query logging and tests' query capture as usual) whose
    statements are parsed and planned once per connection: for the hot read paths, where
    planning costs as much as running. Statement texts must be few (parameters for values).

    Django's own cursors bind parameters on the client (no prepared statements, for poolers in
    transaction mode); PgBouncer supports prepared statements since 1.21 (max_prepared_statements).
    On the connection reads go to (a replica's in a routed request: geofinder/core/replicas.py)."""
    connection = read_connection()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns preparing off (None); only statements asked for are prepared now:
        # Django's client-side binding cursors never prepare, whatever the threshold.
        connection.connection.prepare_threshold = _NEVER_BY_COUNT
    with connection.wrap_database_errors:
        raw = _PreparingCursor(connection.connection)
    wrapper = _PreparedDebugWrapper(raw, connection) if connection.queries_logged else CursorWrapper(raw, connection)
    with wrapper:
        yield wrapper
