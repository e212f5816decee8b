"""Read routing without replica servers (geofinder/core/replicas.py, replica_routing.py); the
tests on a real streaming replica are in tests/replicas/."""

import psycopg
import pytest
from django.db import OperationalError, connection, connections, transaction

from geofinder.api.exports import PlaceExportView
from geofinder.core.replica_routing import _failed_replica, _view_reads_on_primary, reads_on_primary
from geofinder.core.replicas import ReplicaPool, ReplicaRouter, read_connection, read_on, reading_alias
from geofinder.core.timeouts import is_statement_timeout
from tests.servers import free_port

pytestmark = pytest.mark.django_db


def test_without_replicas_every_read_goes_to_the_primary_as_before(client, settings):
    assert settings.DATABASE_REPLICA_URLS == [] and settings.DATABASE_ROUTERS == []
    assert list(settings.DATABASES) == ["default"]
    response = client.get("/api/v1/places/?category=boulangerie&near=1.5206,43.5391&limit=2")
    assert response.status_code == 200 and response.json()["features"]
    assert "geofinder_primary" not in response.cookies
    assert reading_alias() == "default" and read_connection() is connections["default"]
    assert ReplicaPool().choose() == "default"


def test_the_router_reads_where_the_request_reads_and_writes_on_the_primary():
    router = ReplicaRouter()
    previous = read_on("replica_1")
    try:
        assert router.db_for_read(None) == "replica_1"
        assert router.db_for_write(None) == "default"
    finally:
        read_on(previous)
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("default", "places") and not router.allow_migrate("replica_1", "places")


def test_views_that_must_see_the_latest_writes_read_on_the_primary():
    @reads_on_primary
    def merchant_page(request):
        raise AssertionError("not called")

    def search_page(request):
        raise AssertionError("not called")

    export = PlaceExportView.as_view()
    assert _view_reads_on_primary(merchant_page, {})
    assert not _view_reads_on_primary(search_page, {})
    # CSV exports write their opening statuses to a temporary table, which a replica refuses.
    assert _view_reads_on_primary(export, {"fmt": "csv"})
    assert not _view_reads_on_primary(export, {"fmt": "geojson"})


def _past_the_timeout(cursor, error: type[BaseException]) -> BaseException:
    """The error of a statement past a 10 ms timeout on `cursor()` (in a savepoint, which undoes
    the SET LOCAL), checked to be an `error`."""
    with pytest.raises(error) as raised, transaction.atomic(), cursor() as opened:
        opened.execute("SET LOCAL statement_timeout = '10ms'")
        opened.execute("SELECT pg_sleep(1)")
    return raised.value


def test_a_lost_replica_is_told_from_a_timeout_from_django_and_from_raw_psycopg_cursors():
    """The exports and static maps read through raw psycopg cursors, whose errors Django does not
    wrap: a replica failing them must be told from the requests' timeout all the same."""
    # A server that does not answer (nothing listens on the port).
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(host="127.0.0.1", port=free_port(), connect_timeout=2)
    assert _failed_replica(refused.value)
    # The requests' timeout, through the raw connection's cursor and through Django's.
    connection.ensure_connection()
    raw_timeout = _past_the_timeout(lambda: connection.connection.cursor(), psycopg.errors.QueryCanceled)
    django_timeout = _past_the_timeout(connection.cursor, OperationalError)
    for timeout in (raw_timeout, django_timeout):
        assert is_statement_timeout(timeout) and not _failed_replica(timeout)
