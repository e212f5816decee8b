"""Who may frame geofinder (Content-Security-Policy frame-ancestors, X-Frame-Options) and who
may call the API from a browser (CORS): only the origins of GEOFINDER_EMBED_ORIGINS."""

import pytest

from geofinder.web.framing import tile_origin

pytestmark = pytest.mark.django_db

ALLOWED = "https://mairie.example.fr"


@pytest.fixture(autouse=True)
def embed_origins(settings):
    settings.GEOFINDER_EMBED_ORIGINS = [ALLOWED]
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]


def frame_ancestors(response) -> str:
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    return next(d for d in directives if d.startswith("frame-ancestors"))


def test_the_embed_may_be_framed_by_the_allowed_origins_only(client):
    response = client.get("/embed/", {"where": "Labège"})
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == f"frame-ancestors 'self' {ALLOWED}"


def test_the_english_embed_too(client):
    response = client.get("/en/embed/")
    assert response.status_code == 200
    assert frame_ancestors(response) == f"frame-ancestors 'self' {ALLOWED}"


@pytest.mark.parametrize("path", ["/", "/en/", "/integrer/", "/api/v1/categories/", "/api/v1/docs/", "/nowhere/"])
def test_every_other_page_refuses_framing(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "frame-ancestors 'none'"


def test_map_pages_load_nothing_from_elsewhere(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'; script-src 'self'; style-src 'self';" in policy
    assert "connect-src 'self';" in policy


def test_the_api_answers_cors_requests_from_the_allowed_origins(client):
    search = {"what": "boulangerie", "where": "Labège", "limit": 1}
    response = client.get("/api/v1/places/", search, HTTP_ORIGIN=ALLOWED)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    preflight = client.options(
        "/api/v1/places/", HTTP_ORIGIN=ALLOWED, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight["Access-Control-Allow-Origin"] == ALLOWED
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_the_api_gives_no_cors_permission_to_other_origins(client):
    response = client.get("/api/v1/categories/", HTTP_ORIGIN="https://ailleurs.example.com")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


def test_pages_are_not_cors_resources(client):
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN=ALLOWED)


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.fr"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("", None),
    ],
)
def test_tile_origin_for_the_policy(template, origin):
    assert tile_origin(template) == origin
