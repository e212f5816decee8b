"""Secondary categories are searchable (issue 13, item 4): `category=horloger` finds a jeweller
who is also a watchmaker, in the search, the API and the exports, and follows the write path
(a moved place, a secondary category taken away)."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from geofinder.imports.report import ImportReport
from geofinder.places.models import Place, SecondaryLocation
from geofinder.places.records import PlaceRecord
from geofinder.places.services import places_upsert
from geofinder.search.query import SearchQuery
from geofinder.search.selectors import place_search
from geofinder.search.what import What, category_by_slug
from geofinder.search.where import where_from_point
from geofinder.territories.selectors import commune_at_point

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
CAPITOLE = (1.4434, 43.6045)
JEWELLER = (1.4450, 43.6040)


def jeweller(*, lon=JEWELLER[0], lat=JEWELLER[1], secondary=("horloger",)) -> PlaceRecord:
    commune = commune_at_point(lon=lon, lat=lat)
    return PlaceRecord(
        source_id="bijou-1", name="Bijouterie du Capitole", category="bijouterie", lon=lon, lat=lat,
        secondary_categories=list(secondary), commune_id=commune.id,
    )


def upsert(record: PlaceRecord) -> Place:
    places_upsert(source="test-secondary", records=[record], report=ImportReport(name="test-secondary"))
    return Place.objects.get(source="test-secondary", source_id=record.source_id)


def nearest(*slugs, point=CAPITOLE, limit=20):
    what = What(text="", categories=tuple(category_by_slug(slug) for slug in slugs), name_query=None, suggestions=())
    return place_search(query=SearchQuery(where=where_from_point(*point), what=what, limit=limit), now=NOW)


def test_a_place_is_found_under_its_secondary_category():
    place = upsert(jeweller())
    hits = nearest("horloger").hits
    assert place.id in [hit.id for hit in hits]
    hit = next(hit for hit in hits if hit.id == place.id)
    assert hit.category_slug == "bijouterie"  # shown under its own category
    assert hit.distance_m == pytest.approx(130, abs=20)


def test_a_place_of_two_categories_asked_is_shown_once():
    place = upsert(jeweller())
    ids = [hit.id for hit in nearest("horloger", "bijouterie", limit=100).hits]
    assert ids.count(place.id) == 1


def test_the_secondary_location_follows_the_place_and_its_categories():
    place = upsert(jeweller())
    assert SecondaryLocation.objects.filter(place=place).count() == 1
    moved = upsert(jeweller(lon=1.4600, lat=43.6100))  # about 1.5 km away
    assert moved.id == place.id
    hit = next(hit for hit in nearest("horloger").hits if hit.id == place.id)
    assert hit.distance_m > 1_000
    location = SecondaryLocation.objects.get(place=place).location
    assert (location.x, location.y) == pytest.approx((1.4600, 43.6100))
    upsert(jeweller(lon=1.4600, lat=43.6100, secondary=()))
    assert not SecondaryLocation.objects.filter(place=place).exists()
    assert place.id not in [hit.id for hit in nearest("horloger", limit=100).hits]
    Place.objects.filter(pk=place.pk).delete()
    assert not SecondaryLocation.objects.filter(place_id=place.pk).exists()


def test_the_api_and_the_exports_find_it_under_its_secondary_category(client):
    place = upsert(jeweller())
    answer = client.get("/api/v1/places/", {"category": "horloger", "near": f"{CAPITOLE[0]},{CAPITOLE[1]}"})
    assert answer.status_code == 200
    assert place.id in [feature["id"] for feature in answer.json()["features"]]
    export = client.get("/api/v1/export/places.csv", {"category": "horloger"})
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert str(place.id) in [row["id"] for row in rows]
