"""GET /api/v1/places/: the next pages (`after`, the cursor an answer gives as `next_after`) and
the places of a box (`bbox`, nearest to its centre first)."""

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point, Polygon
from django.db.models import Q

from geofinder.places.models import Place
from tests.exports.helpers import geojson_export

pytestmark = pytest.mark.django_db

URL = "/api/v1/places/"
LABEGE = "1.5206,43.5391"
PARIS_CENTRE = "2.3488,48.8534"  # Hôtel de Ville
# Around Paris's centre: a box of a few km holding a few hundred restaurants.
PARIS_BOX = (2.33, 48.85, 2.37, 48.87)


def pages(client, params: dict, size: int, count: int) -> list[list[int]]:
    """The ids of successive pages of `size` places, until `count` places are read (or none is left)."""
    read: list[list[int]] = []
    after = None
    while sum(map(len, read)) < count:
        body = client.get(URL, {**params, "limit": size, **({"after": after} if after else {})}).json()
        read.append([feature["id"] for feature in body["features"]])
        after = body["next_after"]
        if after is None:
            break
    return read


@pytest.mark.parametrize("size", [1, 7, 25])
def test_pages_put_together_are_the_one_big_page(client, size):
    params = {"category": "boulangerie", "near": LABEGE}
    big = [feature["id"] for feature in client.get(URL, {**params, "limit": 75}).json()["features"]]
    assert len(big) == 75
    joined = [place_id for page in pages(client, params, size, 75) for place_id in page][:75]
    assert joined == big
    assert len(set(joined)) == len(joined)  # no place twice


def test_places_at_the_same_distance_are_split_by_id_without_loss(client):
    params = {"category": "restaurant", "near": LABEGE}
    first = [f["id"] for f in client.get(URL, {**params, "limit": 12}).json()["features"]]
    # Four places at the very same point: the same distance, ordered by id.
    twin = Place.objects.get(pk=first[5])
    Place.objects.filter(pk__in=first[6:9]).update(location=twin.location)
    big = [f["id"] for f in client.get(URL, {**params, "limit": 40}).json()["features"]]
    tied = [f for f in client.get(URL, {**params, "limit": 40}).json()["features"] if f["id"] in first[5:9]]
    assert len({f["properties"]["distance_m"] for f in tied}) == 1
    for size in (2, 3, 6):
        joined = [place_id for page in pages(client, params, size, 40) for place_id in page][:40]
        assert joined == big


def test_a_page_that_is_not_full_has_no_next(client):
    body = client.get(URL, {"category": "boulangerie", "near": LABEGE, "radius": 3000, "limit": 100}).json()
    assert body["count"] < 100
    assert body["next_after"] is None


def test_the_cursor_keeps_the_filters(client):
    params = {"category": "restaurant", "near": PARIS_CENTRE, "radius": 500}
    big = [f["id"] for f in client.get(URL, {**params, "limit": 100}).json()["features"]]
    assert 10 < len(big) < 100
    joined = [place_id for page in pages(client, params, 4, 100) for place_id in page]
    assert joined == big


@pytest.mark.parametrize(
    "value", ["abc", "12", "12,", ",12", "-1,12", "nan,12", "12,0", "12,1.5", "12,99999999999999999999", "1e999,3"]
)
def test_a_wrong_cursor_is_a_400_naming_it(client, value):
    response = client.get(URL, {"category": "boulangerie", "near": LABEGE, "after": value})
    assert response.status_code == 400
    assert "after" in response.json()["errors"]


def restaurants():
    """The restaurants (primary or secondary category) a search shows, by the ORM."""
    return (
        Place.objects.filter(Q(category__slug="restaurant") | Q(secondary_categories__slug="restaurant"))
        .exclude(status=Place.Status.PERMANENTLY_CLOSED).distinct()
    )


def restaurants_in(box):
    """The restaurants in and around the box (the geography's && is loose: its boxes are
    geocentric); `inside` says which are in it."""
    xmin, ymin, xmax, ymax = box
    envelope = Polygon.from_bbox((xmin - 0.01, ymin - 0.01, xmax + 0.01, ymax + 0.01))
    envelope.srid = 4326
    return restaurants().filter(location__bboverlaps=envelope)


def inside(box, lon, lat) -> bool:
    xmin, ymin, xmax, ymax = box
    return xmin <= lon <= xmax and ymin <= lat <= ymax


def test_bbox_alone_gives_the_places_inside_nearest_to_its_centre_first(client):
    box = ",".join(map(str, PARIS_BOX))
    body = client.get(URL, {"category": "restaurant", "bbox": box, "limit": 100}).json()
    xmin, ymin, xmax, ymax = PARIS_BOX
    assert (body["where"]["lon"], body["where"]["lat"]) == pytest.approx(((xmin + xmax) / 2, (ymin + ymax) / 2))
    assert body["filters"]["bbox"] == list(PARIS_BOX)
    features = body["features"]
    assert len(features) == 100
    assert all(inside(PARIS_BOX, *f["geometry"]["coordinates"]) for f in features)
    distances = [f["properties"]["distance_m"] for f in features]
    assert distances == sorted(distances)
    # The 100 restaurants of the box nearest to its centre, by the ORM.
    centre = Point((xmin + xmax) / 2, (ymin + ymax) / 2, srid=4326)
    rows = restaurants_in(PARIS_BOX).annotate(d=Distance("location", centre)).values_list("id", "d", "location")
    nearest = sorted((d.m, place_id) for place_id, d, location in rows if inside(PARIS_BOX, location.x, location.y))
    assert [f["id"] for f in features] == [place_id for _, place_id in nearest[:100]]


def test_bbox_with_a_point_orders_from_the_point_and_pages_alike(client):
    params = {"category": "restaurant", "bbox": ",".join(map(str, PARIS_BOX)), "near": PARIS_CENTRE}
    big = [f["id"] for f in client.get(URL, {**params, "limit": 60}).json()["features"]]
    assert len(big) == 60
    joined = [place_id for page in pages(client, params, 16, 60) for place_id in page][:60]
    assert joined == big


def test_an_empty_box_is_an_empty_answer(client):
    body = client.get(URL, {"category": "boulangerie", "bbox": "-30.5,40.1,-30.4,40.2"}).json()  # the Atlantic
    assert body["count"] == 0 and body["next_after"] is None


@pytest.mark.parametrize(
    "value", ["1,2,3", "1,2,3,x", "1.5,43,1.4,44", "1,44,2,43", "1,2,3,4,5", "-181,1,2,3", "1,-91,2,3", "1,1,1,1"]
)
def test_a_wrong_bbox_is_a_400_naming_it(client, value):
    response = client.get(URL, {"category": "boulangerie", "bbox": value})
    assert response.status_code == 400
    assert "bbox" in response.json()["errors"]


def test_an_export_of_a_box_holds_every_place_inside(client):
    data = geojson_export(client, {"category": "restaurant", "bbox": ",".join(map(str, PARIS_BOX))})
    expected = {
        place_id for place_id, location in restaurants_in(PARIS_BOX).values_list("id", "location")
        if inside(PARIS_BOX, location.x, location.y)
    }
    assert {f["id"] for f in data["features"]} == expected
    assert all(inside(PARIS_BOX, *f["geometry"]["coordinates"]) for f in data["features"])
    distances = [f["properties"]["distance_m"] for f in data["features"]]
    assert distances == sorted(distances)


@pytest.mark.parametrize("name", ["status", "services"])
def test_a_list_of_commas_only_is_a_400_naming_it(client, name):
    # Found by the schema fuzz test: "status=," was read as no filter, though the schema's enum
    # has no empty value.
    response = client.get(URL, {"category": "boulangerie", "near": LABEGE, name: ","})
    assert response.status_code == 400
    assert name in response.json()["errors"]
