"""The 400 matrix: every bad parameter gets HTTP 400 and a JSON body naming it; never a 500."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/places/"
NEAR = "1.5206,43.5391"


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"near": "200,43.5"}, "near", "longitude 200 is out of range"),
        ({"near": "1.5,-91"}, "near", "latitude -91 is out of range"),
        ({"near": "1.5"}, "near", "expected <longitude>,<latitude>"),
        ({"near": "abc,def"}, "near", "decimal numbers"),
        ({"near": "nan,43"}, "near", "longitude nan is out of range"),
        ({}, "where", "a location is required"),
        ({"where": "   "}, "where", "a location is required"),
        ({"near": NEAR, "where": "Labège"}, "near", "not both"),
        ({"where": "Zzyzxville-sur-Rien"}, "where", "Zzyzxville"),
        ({"where": "99999"}, "where", "99999"),
        ({"near": NEAR, "category": "licorne"}, "category", "unknown category 'licorne'"),
        ({"near": NEAR, "category": "boulangerie", "what": "pain"}, "category", "not both"),
        ({"near": NEAR, "radius": "0"}, "radius", "more than 0"),
        ({"near": NEAR, "radius": "-5"}, "radius", "more than 0"),
        ({"near": NEAR, "radius": "5000000"}, "radius", "at most"),
        ({"near": NEAR, "radius": "loin"}, "radius", "number of metres"),
        ({"near": NEAR, "limit": "0"}, "limit", "between 1 and 100"),
        ({"near": NEAR, "limit": "101"}, "limit", "between 1 and 100"),
        ({"near": NEAR, "limit": "ten"}, "limit", "whole number"),
        ({"near": NEAR, "open": "tomorrow"}, "open", "ISO 8601"),
        ({"near": NEAR, "open": "2026-13-40T10:00"}, "open", "ISO 8601"),
        ({"near": NEAR, "services": "delivery,teleportation"}, "services", "teleportation"),
        ({"near": NEAR, "territory": "planet:3"}, "territory", "kind one of region"),
        ({"near": NEAR, "territory": "department:999"}, "territory", "no department with code '999'"),
        ({"near": NEAR, "include_closed": "maybe"}, "include_closed", "true or false"),
    ],
)
def test_bad_parameter_gets_400_naming_it(client, params, field, words):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"], body
    assert any(words in message for message in body["errors"][field]), body["errors"][field]


def test_every_wrong_field_is_named_at_once(client):
    body = client.get(URL, {"near": "500,500", "limit": "1000", "radius": "-1", "open": "soon"}).json()
    assert set(body["errors"]) == {"near", "limit", "radius", "open"}
    assert len(body["errors"]["near"]) == 2  # both longitude and latitude


def test_unknown_category_suggests_close_ones(client):
    body = client.get(URL, {"near": NEAR, "category": "boulangeri"}).json()
    assert "boulangerie" in [hint["slug"] for hint in body["hints"]["category"]]


def test_ambiguous_where_lists_candidates(client):
    body = client.get(URL, {"where": "Saint-Martin"}).json()
    assert "where" in body["errors"]
    assert len(body["hints"]["where"]) > 1


def test_a_where_matching_nothing_is_a_400_with_suggestions_not_a_far_commune(client):
    response = client.get(URL, {"what": "boulangerie", "where": "xyzville"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["where"] == ["no commune matches 'xyzville'"]
    suggestions = body["hints"]["where"]
    assert suggestions and all(hint["kind"] == "commune" and hint["commune_code"] for hint in suggestions)
    assert "features" not in body


def test_a_postcode_of_no_commune_of_today_is_a_400_naming_it(client):
    body = client.get(URL, {"what": "boulangerie", "where": "98714"}).json()
    assert any("postcode 98714 (Papeete) is outside" in message for message in body["errors"]["where"])


def test_other_endpoints_reject_bad_input(client):
    assert client.get("/api/v1/geocode/").status_code == 400
    assert "q" in client.get("/api/v1/geocode/").json()["errors"]
    assert "limit" in client.get("/api/v1/geocode/", {"q": "Labège", "limit": "500"}).json()["errors"]
    assert client.get("/api/v1/territories/planet/3/").status_code == 404
    assert client.get("/api/v1/territories/department/999/").status_code == 404
