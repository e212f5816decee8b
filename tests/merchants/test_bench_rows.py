"""bench/merchants.py (the bench's manager accounts and history rows), and that the search reads
neither the accounts, nor the manager links, nor the history."""

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from geofinder.merchants.models import Manager
from geofinder.places.models import Place

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from merchants import PREFIX, REASON, merchant_rows_generate  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic_places():
    """Some real places relabelled "synthetic" (what bench/synthetic.py writes, without its cost)."""
    ids = list(Place.objects.order_by("id").values_list("id", flat=True)[:400])
    Place.objects.filter(id__in=ids).update(source="synthetic")
    return ids


def _history_rows() -> int:
    return Place.history.filter(history_change_reason=REASON).count()


def test_managers_and_history_rows_are_written_set_based_and_idempotently(synthetic_places):
    with CaptureQueriesContext(connection) as first:
        counts = merchant_rows_generate(managers=100, history=1_000)
    assert counts == {"managers": 100, "manager_links": 110, "history_rows": 1_000}
    assert len(first.captured_queries) < 20  # a few statements, not a save per row
    links = Manager.objects.filter(user__username__startswith=PREFIX)
    assert links.count() == 110 and set(links.values_list("place__source", flat=True)) == {"synthetic"}
    assert links.values("place").distinct().count() > 100  # spread over places, not piled on one
    rows = Place.history.filter(history_change_reason=REASON)
    # Each history row is a change of a managed place by one of its managers.
    row = rows.select_related("history_user").first()
    assert Manager.objects.filter(user=row.history_user, place_id=row.id).exists()
    assert row.name == Place.objects.get(pk=row.id).name and row.history_type == "~"

    again = merchant_rows_generate(managers=100, history=1_000)
    assert again == counts and _history_rows() == 1_000
    assert merchant_rows_generate(managers=50, history=200) == {"managers": 50, "manager_links": 55, "history_rows": 200}
    assert merchant_rows_generate(managers=0, history=0) == {"managers": 0, "manager_links": 0, "history_rows": 0}


def test_too_few_synthetic_places_is_a_clear_error(synthetic_places):
    with pytest.raises(ValueError, match="synthetic places"):
        merchant_rows_generate(managers=1_000, history=0)


@pytest.mark.parametrize("params", [
    {"category": "boulangerie", "near": "1.4442,43.6045", "limit": 20},
    {"what": "boulangerie", "near": "1.4442,43.6045", "open": "2027-03-09T10:30:00+01:00"},
    {"what": "restaurant", "where": "Toulouse"},
])
def test_a_search_reads_no_account_manager_or_history_table(client, synthetic_places, params):
    merchant_rows_generate(managers=100, history=1_000)
    with CaptureQueriesContext(connection) as search:
        response = client.get("/api/v1/places/", params)
    assert response.status_code == 200
    # (the open search may find nothing: the test data has hardly any hours; its SQL ran all the same)
    assert response.json()["features"] or "open" in params
    sql = " ".join(query["sql"] for query in search.captured_queries).lower()
    for table in ("auth_user", "merchants_manager", "merchants_claim", "merchants_proposal", "historical"):
        assert table not in sql, table


def test_a_places_detail_reads_no_account_manager_or_history_table(client, synthetic_places):
    merchant_rows_generate(managers=100, history=1_000)
    managed = Manager.objects.filter(user__username__startswith=PREFIX).values_list("place_id", flat=True).first()
    with CaptureQueriesContext(connection) as detail:
        response = client.get(f"/api/v1/places/{managed}/")
    assert response.status_code == 200 and response.json()["id"] == managed
    sql = " ".join(query["sql"] for query in detail.captured_queries).lower()
    for table in ("auth_user", "merchants_manager", "historical"):
        assert table not in sql, table
