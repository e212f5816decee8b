"""The residents' page at /: French by default, English under /en/, the map's shell served by
the instance itself (vendored Leaflet, no CDN), the directory counts in the footer."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.pages import script_config

pytestmark = pytest.mark.django_db


def test_the_home_page_is_french_by_default_with_the_counts_in_its_footer(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert '<label for="gf-what">Quoi ?</label>' in html and "Autour de moi" in html
    footer = html[html.index('<footer class="gf-footer">'):]
    assert "Communes" in footer and "35357" in footer and "Commerces et artisans" in footer
    config = script_config(response)
    assert config["lang"] == "fr"
    assert config["strings"]["open_closes_at"] == "Ouvert · ferme à %(time)s"
    assert config["api"] == {
        "places": "/api/v1/places/",
        "categories": "/api/v1/categories/",
        "geocode": "/api/v1/geocode/",
        "territories": "/api/v1/territories/",
        "export": "/api/v1/export/places.{format}",
        "clusters": "/api/v1/clusters/",
    }


def test_english_under_en(client):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert '<label for="gf-what">What?</label>' in html and "Around me" in html
    assert '<a href="/" data-keep-query lang="fr" hreflang="fr">Français</a>' in html
    config = script_config(response)
    assert config["lang"] == "en"
    assert config["strings"]["open_closes_at"] == "Open · closes at %(time)s"
    assert config["strings"]["service_click_and_collect"] == "click and collect"


def test_scripts_and_styles_come_from_the_instance(client):
    html = client.get("/").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert "/static/vendor/leaflet-1.9.4/leaflet.js" in sources
    assert "/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js" in sources
    assert "/static/web/js/main.js" in sources
    assert all(s.startswith("/static/") or s.startswith("data:") for s in sources), sources
    # No inline script: only the JSON configuration, which is not executed.
    assert re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) == [' id="gf-config" type="application/json"']


def test_static_files_are_served(client):
    for path in ("/static/web/js/main.js", "/static/web/geofinder.css", "/static/vendor/leaflet-1.9.4/leaflet.js"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_tiles_are_settings(client, settings):
    settings.GEOFINDER_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    settings.GEOFINDER_TILE_ATTRIBUTION = "© Example"
    response = client.get("/")
    assert script_config(response)["tiles"] == {"url": settings.GEOFINDER_TILE_URL, "attribution": "© Example"}
    assert "img-src 'self' data: https://*.tile.example.org;" in response["Content-Security-Policy"]


def test_offline_without_tiles(client, settings):
    settings.GEOFINDER_TILE_URL = ""
    response = client.get("/")
    assert script_config(response)["tiles"]["url"] == ""
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]
    # Offline, the boundaries overlay is on from the start.
    assert '<input id="gf-boundaries" type="checkbox" checked>' in response.content.decode()


def test_the_embedding_builder_page(client):
    response = client.get("/integrer/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Intégrer cette carte" in html and 'data-embed-url="/embed/"' in html
    assert 'value="boulangerie"' in html
    assert '<iframe id="b-preview"' in html


def test_the_footer_counts_are_reused_for_a_while(client):
    """Counting millions of places takes over a second: the home page reuses its counts for
    DIRECTORY_STATS_TTL_S seconds."""
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "35357" in html
    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
