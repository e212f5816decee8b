"""Bounded work per request: every statement a request runs is cancelled by PostgreSQL past
GEOFINDER_STATEMENT_TIMEOUT_MS, and the API answers 503 instead of holding a worker.

The timeout is set on each database connection the first time a request uses it (once per
connection, not per request: connections live for CONN_MAX_AGE). Management commands (imports,
refreshes, migrations) never pass through here and keep no timeout; exports, which stream for as
long as they need, lift it inside their own transaction (geofinder.search.stream).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse
from psycopg import errors as pg_errors

from geofinder.core.replicas import read_connection

_APPLIED = "_geofinder_statement_timeout_ms"


def apply_statement_timeout(milliseconds: int | None = None, *, alias: str | None = None) -> None:
    """Give the connection this thread reads from (the primary's, or the replica's chosen for
    the request), or that of `alias`, the requests' statement timeout (0: none)."""
    connection = connections[alias] if alias else read_connection()
    milliseconds = settings.GEOFINDER_STATEMENT_TIMEOUT_MS if milliseconds is None else milliseconds
    connection.ensure_connection()
    raw = connection.connection
    if getattr(raw, _APPLIED, None) == milliseconds:
        return
    with connection.cursor() as cursor:
        # set_config(…, false): for the session, not only the transaction a test may run in.
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"])
    setattr(raw, _APPLIED, milliseconds)


class StatementTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        apply_statement_timeout()
        return self.get_response(request)


def is_statement_timeout(exc: BaseException) -> bool:
    """Whether `exc` is PostgreSQL cancelling a statement past its timeout: Django's error, or
    psycopg's own from the raw cursors of the exports and static maps (geofinder/search/stream.py)."""
    if isinstance(exc, pg_errors.QueryCanceled):
        return True
    return isinstance(exc, OperationalError) and isinstance(exc.__cause__, pg_errors.QueryCanceled)
