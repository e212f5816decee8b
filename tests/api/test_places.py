"""GET /api/v1/places/: a GeoJSON FeatureCollection of the nearest places (RFC 7946)."""

from datetime import date

import pytest

from geofinder.places.models import Place
from tests.factories import PlaceClosureFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/places/"
LABEGE = "1.5206,43.5391"


def test_category_near_a_point_is_a_feature_collection(client):
    response = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 5})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == len(body["features"]) == 5
    assert body["where"] == {"label": body["where"]["label"], "lon": 1.5206, "lat": 43.5391, "kind": "point", "commune_code": "31254"}
    sources = {licence["source"] for licence in body["licences"]}
    assert {"alimconfiance", "territories"} <= sources
    feature = body["features"][0]
    assert feature["type"] == "Feature" and isinstance(feature["id"], int)
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    place = Place.objects.get(pk=feature["id"])
    assert (lon, lat) == pytest.approx((place.location.x, place.location.y), abs=1e-6)
    properties = feature["properties"]
    assert properties["category"] == {"slug": "boulangerie", "label": place.category.label}
    assert properties["commune"]["code"] == place.commune.code
    assert properties["department"]["code"] == place.commune.department.code
    assert properties["region"]["code"] == place.commune.department.region.code
    assert properties["opening"] == {"state": "unknown", "next_change": None, "label": "Horaires inconnus"}
    assert set(properties["services"]) == {"click_and_collect", "delivery", "takeaway", "appointment"}
    assert properties["source"] == "alimconfiance"
    for key in ("name", "address", "postcode", "distance_m", "opening_hours", "phone", "website", "status", "updated_at"):
        assert key in properties
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == sorted(distances)


def test_where_text_is_resolved_and_echoed(client):
    body = client.get(URL, {"what": "boulangeries", "where": "Labege"}).json()
    assert body["where"]["kind"] == "commune"
    assert body["where"]["commune_code"] == "31254"
    assert body["what"]["categories"][0]["slug"] == "boulangerie"
    assert body["count"] == 20


@pytest.mark.parametrize(
    ("where", "kind", "commune_code", "label"),
    [
        ("Évry-Courcouronnes", "commune", "91228", "Évry-Courcouronnes (91)"),  # commune nouvelle, 2019
        ("Saint-Ouen-sur-Seine", "commune", "93070", "Saint-Ouen-sur-Seine (93)"),  # renamed, 2018
        ("Paris XIe", "postcode", "75056", "75011 Paris 11e"),
        ("Cayenne", "commune", "97302", "Cayenne (973)"),
    ],
)
def test_where_of_today_is_echoed_with_its_commune(client, where, kind, commune_code, label):
    response = client.get(URL, {"what": "boulangerie", "where": where, "limit": 1})
    assert response.status_code == 200
    echoed = response.json()["where"]
    assert (echoed["kind"], echoed["commune_code"], echoed["label"]) == (kind, commune_code, label)


def test_a_point_in_a_former_commune_is_echoed_in_the_commune_of_today(client):
    # Inside the 2018 Courcouronnes (91182): Évry-Courcouronnes (91228) since 2019.
    body = client.get(URL, {"category": "boulangerie", "near": "2.4119,48.6217", "limit": 1}).json()
    assert body["where"]["commune_code"] == "91228"


def test_unknown_words_come_with_suggestions(client):
    body = client.get(URL, {"what": "boulangrie", "near": LABEGE}).json()
    assert "boulangerie" in [s["slug"] for s in body["what"]["suggestions"]]


def test_open_now_with_opening_hours(client):
    nearest = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 2}).json()["features"]
    Place.objects.filter(pk=nearest[0]["id"]).update(opening_hours="24/7")
    Place.objects.filter(pk=nearest[1]["id"]).update(opening_hours="off")
    body = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 2, "open": "now"}).json()
    assert [f["id"] for f in body["features"]] == [nearest[0]["id"]]
    assert body["features"][0]["properties"]["opening"]["state"] == "open"
    assert body["features"][0]["properties"]["opening_hours"] == "24/7"


def test_open_at_a_date_time(client):
    nearest = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 1}).json()["features"][0]
    Place.objects.filter(pk=nearest["id"]).update(opening_hours="Mo-Sa 07:00-13:00")
    sunday = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 1, "open": "2026-11-29T10:00"}).json()
    assert nearest["id"] not in [f["id"] for f in sunday["features"]]
    monday = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 1, "open": "2026-11-30T10:00+01:00"}).json()
    assert [f["id"] for f in monday["features"]] == [nearest["id"]]
    assert monday["features"][0]["properties"]["opening"]["next_change"] == "2026-11-30T13:00:00+01:00"


def test_closures_and_update_time_are_written_in_iso_8601(client):
    nearest = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 1}).json()["features"][0]
    PlaceClosureFactory(place=nearest["id"], start=date(2026, 12, 24), end=date(2027, 1, 2), reason="congés")
    body = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 1}).json()
    properties = body["features"][0]["properties"]
    assert properties["closures"] == [{"start": "2026-12-24", "end": "2027-01-02", "reason": "congés"}]
    updated_at = Place.objects.get(pk=nearest["id"]).updated_at
    assert properties["updated_at"] == updated_at.isoformat()


def test_a_category_given_twice_is_searched_once(client):
    once = client.get(URL, {"category": "boulangerie", "near": LABEGE, "limit": 6}).json()
    twice = client.get(URL, {"category": "boulangerie, boulangerie", "near": LABEGE, "limit": 6}).json()
    ids = [feature["id"] for feature in twice["features"]]
    assert len(set(ids)) == len(ids) == 6
    assert ids == [feature["id"] for feature in once["features"]]
    assert [c["slug"] for c in twice["what"]["categories"]] == ["boulangerie"]


def test_place_detail(client):
    place = Place.objects.get(name="LE BOUKAROU", commune__code="31555")
    response = client.get(f"{URL}{place.pk}/")
    assert response.status_code == 200
    feature = response.json()
    assert feature["id"] == place.pk and feature["properties"]["name"] == place.name
    assert feature["properties"]["distance_m"] is None
    assert client.get(f"{URL}0/").status_code == 404
    assert client.get(f"{URL}99999999999999999999999/").status_code == 404
