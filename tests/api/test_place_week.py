"""GET /api/v1/places/<id>/ also gives the week's opening hours (for the map's detail panel)."""

import pytest

from geofinder.places.models import Place

pytestmark = pytest.mark.django_db


def test_the_place_detail_has_the_week_table(client):
    place = Place.objects.get(name="LE BOUKAROU", commune__code="31555")
    Place.objects.filter(pk=place.pk).update(opening_hours="Mo-Fr 08:30-12:30,14:00-19:00; Sa 09:00-12:00")
    week = client.get(f"/api/v1/places/{place.pk}/").json()["properties"]["week"]
    assert [day["weekday"] for day in week] == ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert sum(day["today"] for day in week) == 1
    assert week[5]["intervals"] == ["09:00–12:00"]
    assert week[6]["intervals"] == []
    assert all(day["intervals"] == ["08:30–12:30", "14:00–19:00"] or day["note"] for day in week[:5])


def test_without_opening_hours_the_week_is_empty(client):
    place = Place.objects.get(name="LE BOUKAROU", commune__code="31555")
    Place.objects.filter(pk=place.pk).update(opening_hours="")
    assert client.get(f"/api/v1/places/{place.pk}/").json()["properties"]["week"] == []


def test_search_results_do_not_carry_the_week(client):
    body = client.get("/api/v1/places/", {"category": "boulangerie", "near": "1.5206,43.5391", "limit": 2}).json()
    assert all("week" not in feature["properties"] for feature in body["features"])
