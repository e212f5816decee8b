"""Place.announced_until, kept by triggers on places_announcement: the answers read the
announcements of the places that may show some, and only theirs."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from geofinder.places.edits import Author, announcement_add, announcement_remove
from geofinder.places.models import Announcement, Place

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/places/"
LABEGE = {"category": "boulangerie", "near": "1.5206,43.5391", "limit": 3}


@pytest.fixture
def author():
    return Author(get_user_model().objects.create_user("merchant@example.org", "merchant@example.org", "x").pk)


def _until(place):
    place.refresh_from_db()
    return place.announced_until


def test_the_last_day_shown_follows_every_insert_update_and_delete(author):
    place, other = Place.objects.filter(commune__department__code="31")[:2]
    today = timezone.localdate()
    assert _until(place) is None
    first = announcement_add(place=place, kind="news", title="A", text="a", start=today, end=today + timedelta(days=3),
                             author=author)
    second = announcement_add(place=place, kind="event", title="B", text="b", start=today,
                              end=today + timedelta(days=9), author=author)
    assert _until(place) == today + timedelta(days=9)
    Announcement.objects.filter(pk=second.pk).update(place=other)  # moved: both places change
    assert (_until(place), _until(other)) == (today + timedelta(days=3), today + timedelta(days=9))
    announcement_remove(announcement=first, author=author)
    assert _until(place) is None


def test_an_announcement_without_any_confirmed_field_is_shown(client, author):
    first = client.get(SEARCH, LABEGE).json()["features"]
    place = Place.objects.get(pk=first[1]["id"])
    assert place.verified_at is None
    today = timezone.localdate()
    announcement_add(place=place, kind="promotion", title="Galette", text="-10 %", start=today,
                     end=today + timedelta(days=1), author=author)
    features = client.get(SEARCH, LABEGE).json()["features"]
    assert [[a["title"] for a in f["properties"]["announcements"]] for f in features] == [[], ["Galette"], []]
    detail = client.get(f"/api/v1/places/{place.pk}/").json()["properties"]
    assert [a["title"] for a in detail["announcements"]] == ["Galette"]


def test_a_page_of_places_without_merchant_facts_reads_no_announcements(client, author):
    first = client.get(SEARCH, LABEGE).json()["features"]
    assert all(f["properties"]["verified_at"] is None for f in first)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, LABEGE).status_code == 200
    assert not [q for q in queries.captured_queries if "places_announcement" in q["sql"]]
    # An announcement that ended yesterday does not make it read them either.
    yesterday = timezone.localdate() - timedelta(days=1)
    announcement_add(place=Place.objects.get(pk=first[0]["id"]), kind="news", title="Passée", text="x",
                     start=yesterday, end=yesterday, author=author)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, LABEGE).status_code == 200
    assert not [q for q in queries.captured_queries if "places_announcement" in q["sql"]]
    # One shown today does (the statement is seen here when it runs).
    announcement_add(place=Place.objects.get(pk=first[0]["id"]), kind="news", title="Today", text="x",
                     start=yesterday, end=yesterday + timedelta(days=1), author=author)
    with CaptureQueriesContext(connection) as queries:
        features = client.get(SEARCH, LABEGE).json()["features"]
    assert [q for q in queries.captured_queries if "places_announcement" in q["sql"]]
    assert [a["title"] for a in features[0]["properties"]["announcements"]] == ["Today"]
