"""GET /api/v1/clusters/{z}/{x}/{y}/: the places of a map tile matching the search's filters,
counted by cell (geofinder.search.clusters), against an oracle that files every matching place
in its tile and cell in Python (Web Mercator, the OSM tile scheme) from the ORM."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q
from django.utils import timezone

from geofinder.places.models import Place

pytestmark = pytest.mark.django_db

URL = "/api/v1/clusters/{z}/{x}/{y}/"
# Paris and its near suburbs, in zoom-10 tiles: x 517–519, y 351–353 (the test data's restaurants
# are densest there).
Z, XS, YS = 10, range(517, 520), range(351, 354)
CATEGORY = "restaurant"


def tile_of(lon: float, lat: float, z: int, cells: int = 1) -> tuple[int, int]:
    """The tile (or, with `cells`, the cell of the 2^z·cells grid) of a point: the slippy-map formula."""
    n = 2**z * cells
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return math.floor(x), math.floor(y)


def restaurants():
    return Place.objects.filter(
        Q(category__slug=CATEGORY) | Q(secondary_categories__slug=CATEGORY)
    ).exclude(status="permanently_closed").distinct()


def expected_by_tile(places, z: int, cells: int = 1) -> Counter:
    return Counter(tile_of(p.location.x, p.location.y, z, cells) for p in places)


def tiles(client, params: dict, z: int = Z, xs=XS, ys=YS) -> dict[tuple[int, int], dict]:
    answers = {}
    for x in xs:
        for y in ys:
            response = client.get(URL.format(z=z, x=x, y=y), params)
            assert response.status_code == 200, response.content
            answers[(x, y)] = response.json()
    return answers


def test_counts_of_each_tile_and_cell_are_the_places_there(client):
    places = list(restaurants())
    by_tile = expected_by_tile(places, Z)
    by_cell = expected_by_tile(places, Z, cells=4)
    answers = tiles(client, {"category": CATEGORY})
    assert sum(by_tile[key] for key in answers) > 50  # the area holds many of them
    for (x, y), body in answers.items():
        assert body["kind"] == "clusters"
        assert body["count"] == by_tile[(x, y)] == sum(f["properties"]["count"] for f in body["features"])
        for feature in body["features"]:
            lon, lat = feature["geometry"]["coordinates"]
            # A cluster is at the mean of its places: inside its cell.
            cell = tile_of(lon, lat, Z, cells=4)
            assert (cell[0] // 4, cell[1] // 4) == (x, y)
            assert feature["properties"]["count"] == by_cell[cell]
        assert len(body["features"]) == len([c for c in by_cell if (c[0] // 4, c[1] // 4) == (x, y)])


def test_the_tiles_of_a_zoom_add_up_whatever_the_zoom(client):
    # At zoom 9: 2 × 2 tiles around Paris (a larger area than the 3 × 3 tiles of zoom 10 above).
    xs, ys = range(258, 260), range(175, 177)
    total_9 = sum(body["count"] for body in tiles(client, {"category": CATEGORY}, 9, xs, ys).values())
    shown = {(x, y) for x in xs for y in ys}
    assert total_9 == len([p for p in restaurants() if tile_of(p.location.x, p.location.y, 9) in shown]) > 100


def test_filters_artisan_verified_and_open(client):
    places = list(restaurants().order_by("id"))
    in_area = [p for p in places if tile_of(p.location.x, p.location.y, Z) in {(x, y) for x in XS for y in YS}]
    artisans, verified, open_ones = in_area[:3], in_area[3:5], in_area[5:9]

    def total(params):
        return sum(body["count"] for body in tiles(client, {"category": CATEGORY, **params}).values())

    all_count = total({})
    at = datetime(2026, 6, 3, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))  # a Wednesday, no holiday
    assert total({"open": at.isoformat()}) == 0  # their hours are unknown: none is counted open
    Place.objects.filter(id__in=[p.id for p in artisans]).update(artisan=True)
    Place.objects.filter(id__in=[p.id for p in verified]).update(verified_at=timezone.now())
    Place.objects.filter(id__in=[p.id for p in open_ones]).update(opening_hours="Mo-Sa 08:00-19:00")
    assert total({"artisan": "true"}) == 3
    assert total({"artisan": "false"}) == all_count - 3
    assert total({"verified": "true"}) == 2
    assert total({"open": at.isoformat()}) == 4
    assert total({"open": at.replace(hour=21).isoformat()}) == 0


def test_zoomed_in_a_tile_gives_its_places(client):
    place = restaurants().order_by("id").first()
    x, y = tile_of(place.location.x, place.location.y, 16)
    body = client.get(URL.format(z=16, x=x, y=y), {"category": CATEGORY}).json()
    assert body["kind"] == "points"
    expected = {p.id for p in restaurants() if tile_of(p.location.x, p.location.y, 16) == (x, y)}
    assert {f["id"] for f in body["features"]} == expected
    feature = next(f for f in body["features"] if f["id"] == place.id)
    # The name as data (the map makes a text node of it), with the opening state.
    assert feature["properties"]["name"] == place.name
    assert feature["properties"]["state"] in {"open", "closed", "unknown"}
    assert feature["properties"]["category"] == place.category.slug


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("6/32/22", "z"), ("20/1/1", "z"), ("abc/1/1", "z"), ("10/1024/1", "x"), ("10/1/1024", "y"),
        ("10/-1/3", "x"), ("10/1/99999999", "y"), ("10/1.5/3", "x"),
    ],
)
def test_bad_tiles_are_400_naming_the_field(client, path, field):
    response = client.get(f"/api/v1/clusters/{path}/")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_bad_filters_are_400(client):
    response = client.get(URL.format(z=10, x=516, y=374), {"category": "no-such-thing", "open": "yesterday"})
    assert response.status_code == 400
    assert {"category", "open"} <= set(response.json()["errors"])
