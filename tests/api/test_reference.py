"""Categories, territory boundaries, geocoding and the OpenAPI schema and docs."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_categories_by_family(client):
    body = client.get("/api/v1/categories/").json()
    assert body["count"] >= 60
    assert len(body["families"]) >= 6
    slugs = {c["slug"] for family in body["families"] for c in family["categories"]}
    assert {"boulangerie", "plombier", "fleuriste", "restaurant", "coiffeur"} <= slugs


@pytest.mark.parametrize(
    ("kind", "code", "name"),
    [("region", "76", "Occitanie"), ("department", "31", "Haute-Garonne"), ("commune", "31254", "Labège")],
)
def test_territory_boundary_is_a_geojson_feature(client, kind, code, name):
    response = client.get(f"/api/v1/territories/{kind}/{code}/")
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["properties"]["name"] == name and feature["properties"]["code"] == code
    assert feature["geometry"]["type"] == "MultiPolygon"
    ring = feature["geometry"]["coordinates"][0][0]
    assert ring[0] == ring[-1] and len(ring) > 3
    if kind == "commune":
        assert feature["properties"]["department"]["code"] == "31"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/territories/department/99/",  # no such département
        "/api/v1/territories/commune/%00/",  # a NUL byte, which PostgreSQL text refuses
        "/api/v1/territories/commune/31254-x/",
        "/api/v1/territories/canton/3101/",  # not a kind of territory
    ],
)
def test_unknown_territories_are_404_with_a_reason(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_geocode_lists_communes_and_postcodes(client):
    body = client.get("/api/v1/geocode/", {"q": "Labège"}).json()
    assert body["results"][0]["commune_code"] == "31254"
    body = client.get("/api/v1/geocode/", {"q": "31670"}).json()
    assert body["results"][0]["kind"] == "postcode"


def test_openapi_schema_describes_the_search(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    parameters = {p["name"] for p in schema["paths"]["/api/v1/places/"]["get"]["parameters"]}
    assert {"what", "category", "near", "where", "radius", "limit", "open", "services", "territory"} <= parameters
    assert "/api/v1/territories/{kind}/{code}/" in schema["paths"]


def test_docs_are_served_without_any_cdn(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]
    scripts = [url for url in assets if url.endswith(".js")]
    assert scripts
    for url in scripts:
        assert client.get(url).status_code == 200, url
