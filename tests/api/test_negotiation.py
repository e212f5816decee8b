"""Content negotiation: anything-goes clients get the first renderer without DRF's parsing;
every other Accept header and ?format= are negotiated as DRF does."""

import pytest

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/places/?category=boulangerie&near=1.5206,43.5391&limit=2"


@pytest.mark.parametrize("accept", [None, "*/*", " */* "])
def test_any_media_type_gets_geojson(client, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = client.get(SEARCH, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert response.json()["type"] == "FeatureCollection"


@pytest.mark.parametrize(
    ("accept", "query", "media_type"),
    [
        ("application/json", "", "application/json"),
        ("text/html;q=0.9, application/json", "", "application/json"),
        ("application/geo+json", "", "application/geo+json"),
        (None, "&format=json", "application/json"),
        ("*/*", "&format=json", "application/json"),
    ],
)
def test_other_accept_headers_and_format_are_negotiated(client, accept, query, media_type):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    response = client.get(SEARCH + query, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == media_type


def test_nothing_acceptable_is_406(client):
    response = client.get(SEARCH, HTTP_ACCEPT="text/csv")
    assert response.status_code == 406


def test_unknown_format_is_a_400_naming_format(client):
    # DRF answers 404 for a format no renderer has; it is a wrong parameter like any other.
    response = client.get(SEARCH + "&format=xml")
    assert response.status_code == 400
    assert response.json()["errors"]["format"] == ["unknown format 'xml'; expected one of geojson, json"]
