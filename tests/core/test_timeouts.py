"""Bounded work per request: the statement timeout of request connections, its 503, and the
exports that lift it."""

from __future__ import annotations

import pytest
from django.db import connection

from geofinder.core.timeouts import apply_statement_timeout
from geofinder.search.stream import _export_transaction

pytestmark = pytest.mark.django_db


def current_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_a_request_gives_its_connection_the_statement_timeout(client, settings):
    settings.GEOFINDER_STATEMENT_TIMEOUT_MS = 1234
    assert client.get("/api/v1/categories/").status_code == 200
    assert current_timeout() == "1234ms"


def test_the_timeout_is_set_once_per_connection(client, settings, django_assert_num_queries):
    settings.GEOFINDER_STATEMENT_TIMEOUT_MS = 4321
    apply_statement_timeout()
    with django_assert_num_queries(0):
        apply_statement_timeout()


def test_a_statement_past_the_timeout_is_a_503_with_retry_after(client, settings):
    # A name matching no place: the search reads every place of the directory (some 10,000
    # real ones), far longer than a millisecond.
    settings.GEOFINDER_STATEMENT_TIMEOUT_MS = 1
    response = client.get("/api/v1/places/", {"what": "Zyxwvutsr Qponmlk", "near": "1.5206,43.5391", "limit": "100"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "too long" in response.json()["detail"]


def test_exports_lift_the_timeout_inside_their_transaction(settings):
    settings.GEOFINDER_STATEMENT_TIMEOUT_MS = 1000
    apply_statement_timeout()
    assert current_timeout() == "1s"
    with _export_transaction():
        # SET LOCAL: back to the request's timeout when the export's transaction ends (here, the
        # test's own transaction outlives it).
        assert current_timeout() == "0"
