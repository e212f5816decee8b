"""Which requests read from a replica, and what happens when that replica fails them.

The rule (by request, decided before the view runs):

- a request that may write (any method but GET, HEAD and OPTIONS) reads and writes the primary,
  and its answer pins the client to the primary for GEOFINDER_REPLICA_PIN_S seconds (a cookie):
  the writer's next reads see what it wrote, whatever the replicas' lag;
- a request from a pinned client reads the primary;
- a view marked `@reads_on_primary` (merchant and moderation pages: what they show must be what
  was just saved), or whose class says so for the given URL arguments
  (`reads_on_primary_for(kwargs)`), reads the primary;
- every other request (searches, place details, exports, territories, maps: GET) reads a
  healthy replica, round robin (geofinder/core/replicas.py), else the primary.

A replica that fails a request (its connection refused or broken, a statement cancelled by
recovery) costs the user nothing: the replica is skipped until its next check and the view runs
again on the next healthy replica or the primary (GET views only read: running one twice is
safe). An export already streaming when its replica fails is cut; it starts on the replica only
after a connection to it was made.

Without DATABASE_REPLICA_URLS this middleware does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve

from geofinder.core.replicas import pool, read_on, reading_alias, replica_aliases
from geofinder.core.timeouts import apply_statement_timeout, is_statement_timeout

PIN_COOKIE = "geofinder_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_ATTEMPTED = "_geofinder_replicas_attempted"


def reads_on_primary(view: Callable) -> Callable:
    """Mark a view whose reads must see the latest writes (the merchant and moderation pages)."""
    view.geofinder_reads_on_primary = True
    return view


def _view_reads_on_primary(view: Callable, kwargs: dict[str, Any]) -> bool:
    if getattr(view, "geofinder_reads_on_primary", False):
        return True
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is None:
        return False
    if getattr(view_class, "geofinder_reads_on_primary", False):
        return True
    for_kwargs = getattr(view_class, "reads_on_primary_for", None)
    return bool(for_kwargs and for_kwargs(kwargs))


def _pinned(request: HttpRequest) -> bool:
    return PIN_COOKIE in request.COOKIES


def _alias_for(request: HttpRequest) -> str:
    if request.method not in SAFE_METHODS or _pinned(request):
        return DEFAULT_DB_ALIAS
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return DEFAULT_DB_ALIAS
    if _view_reads_on_primary(match.func, match.kwargs):
        return DEFAULT_DB_ALIAS
    return _connected_replica(frozenset())


def _connected_replica(exclude: frozenset[str]) -> str:
    """A healthy replica this thread is connected to (connecting now if need be) and whose
    connection has the requests' statement timeout, else the primary. Setting the timeout is
    the new connection's first statement: a replica stopping just after it accepted the
    connection fails it here, where the request can still go elsewhere, not in
    StatementTimeoutMiddleware (which then finds it set)."""
    while True:
        alias = pool.choose(exclude)
        if alias == DEFAULT_DB_ALIAS:
            return alias
        try:
            connections[alias].ensure_connection()
            apply_statement_timeout(alias=alias)
        except DatabaseError as error:
            pool.mark_down(alias, f"connection failed: {error}".strip())
            connections[alias].close()
            exclude |= {alias}
            continue
        return alias


# A replica's failures as Django raises them, and as psycopg does from the raw cursors of the
# exports and static maps (geofinder/search/stream.py), which Django does not wrap.
_CONNECTION_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)


def _failed_replica(exc: BaseException) -> bool:
    """Whether `exc`, raised on a replica, is the replica's failure rather than the request's:
    a connection refused or lost, or a statement cancelled by recovery (not by the requests'
    timeout, which would cancel it on the primary too)."""
    return isinstance(exc, _CONNECTION_ERRORS) and not is_statement_timeout(exc)


def _broken(alias: str) -> bool:
    raw = connections[alias].connection
    return raw is None or raw.closed or raw.broken


def _streamed_on(alias: str, chunks: Iterator) -> Iterator:
    """A streamed answer's chunks read on `alias` (they are read after the view returned)."""
    previous = read_on(alias)
    try:
        yield from chunks
    finally:
        read_on(previous)


class ReplicaRoutingMiddleware:
    """Sends each request's reads to a replica or the primary (module docstring); place before
    StatementTimeoutMiddleware, which sets the timeout on the connection chosen here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        alias = _alias_for(request)
        previous = read_on(alias)
        try:
            response = self.get_response(request)
        finally:
            alias = reading_alias()  # another one when the view ran again (process_exception)
            read_on(previous)
        if alias != DEFAULT_DB_ALIAS and isinstance(response, StreamingHttpResponse):
            response.streaming_content = _streamed_on(alias, response.streaming_content)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.GEOFINDER_REPLICA_PIN_S, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A replica failed the view: run it again on another replica or the primary."""
        alias = reading_alias()
        if alias == DEFAULT_DB_ALIAS or not _failed_replica(exception):
            return None
        attempted = getattr(request, _ATTEMPTED, frozenset()) | {alias}
        setattr(request, _ATTEMPTED, attempted)
        if _broken(alias):  # else a statement cancelled by recovery: the replica still serves
            pool.mark_down(alias, f"failed a request: {exception}".strip())
            connections[alias].close()
        read_on(_connected_replica(attempted))
        apply_statement_timeout()
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        return response
