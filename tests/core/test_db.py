"""prepared_cursor: statements prepared once per connection, otherwise a Django cursor."""

from datetime import datetime

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext

from geofinder.core.db import prepared_cursor

pytestmark = pytest.mark.django_db

STATEMENT = "SELECT %(n)s::int + 1, now(), %(text)s::text"


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_statement_is_prepared_once_then_executed_with_new_values():
    before = prepared_statements().count("SELECT $1::int + 1, now(), $2::text")
    results = []
    for n in range(3):
        with prepared_cursor() as cursor:
            cursor.execute(STATEMENT, {"n": n, "text": "50 %"})
            results.append(cursor.fetchone())
    assert [row[0] for row in results] == [1, 2, 3]
    assert all(row[2] == "50 %" for row in results)
    assert all(isinstance(row[1], datetime) and row[1].tzinfo is not None for row in results)
    assert prepared_statements().count("SELECT $1::int + 1, now(), $2::text") == max(before, 1)


def test_django_cursors_still_bind_on_the_client_and_prepare_nothing():
    with prepared_cursor() as cursor:
        cursor.execute(STATEMENT, {"n": 1, "text": "x"})
    count = len(prepared_statements())
    for _ in range(10):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::int", [7])
    assert len(prepared_statements()) == count


def test_statements_are_captured_with_their_values_and_errors_are_djangos():
    with CaptureQueriesContext(connection) as queries:
        with prepared_cursor() as cursor:
            cursor.execute(STATEMENT, {"n": 41, "text": "it's"})
    assert "41" in queries.captured_queries[-1]["sql"] and "it''s" in queries.captured_queries[-1]["sql"]
    with pytest.raises(DataError):
        with prepared_cursor() as cursor:
            cursor.execute("SELECT 1 / %(zero)s::int", {"zero": 0})


def test_prepared_statements_get_one_plan_for_any_values():
    """The connection asks for generic plans (connection_created), so that the search's
    statements are not planned again at each execution."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
    statement = "SELECT count(*) FROM territories_commune WHERE code = %(code)s"
    for code in ["31254", "31555", "67482", "97411", "2A004", "31254"]:
        with prepared_cursor() as cursor:
            cursor.execute(statement, {"code": code})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = %s",
            [statement.replace("%(code)s", "$1")],
        )
        assert cursor.fetchone() == (6, 0)
