"""/embed/: the map without the site's chrome, configured by URL parameters; bad parameters get
a clear 400 page naming them, never a 500."""

import pytest

from tests.web.pages import script_config

pytestmark = pytest.mark.django_db


def test_parameters_become_the_embed_configuration(client):
    response = client.get(
        "/embed/",
        {
            "territory": "department:31",
            "categories": "boulangerie,fromagerie",
            "center": "1.5206,43.5391",
            "zoom": "13",
            "open": "now",
            "services": "delivery",
            "radius": "5000",
            "accent": "#A30",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert 'data-accent="#aa3300"' not in html and 'data-accent="#a30"' in html
    assert "gf-header" not in html and "gf-footer" not in html  # no site chrome
    config = script_config(response)["embed"]
    assert config["center"] == [1.5206, 43.5391] and config["zoom"] == 13
    assert [c["slug"] for c in config["categories"]] == ["boulangerie", "fromagerie"]
    assert config["state"] == {
        "what": "",
        "category": "boulangerie,fromagerie",
        "where": "",
        "near": "1.5206,43.5391",
        "radius": "5000",
        "open": True,
        "services": ["delivery"],
        "territory": "department:31",
        "place": "",
    }
    # The territory as the embed names it and its chef-lieu, the search point when no place is given.
    assert config["territory"] == {
        "value": "department:31", "name": "Haute-Garonne", "in": "en Haute-Garonne",
        "seat": {"code": "31555", "name": "Toulouse", "lon": 1.4328, "lat": 43.6007},
    }
    assert "<h1 class=\"gf-visually-hidden\">Commerces et artisans en Haute-Garonne</h1>" in html
    # The category filter only offers the embed's categories.
    assert '<option value="boulangerie,fromagerie">Toutes celles de cette carte</option>' in html


def test_language_parameter(client):
    response = client.get("/embed/", {"where": "Labège", "lang": "en"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "Open the full map" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"zoom": "42"}, "zoom", "must be between 3 and 19, got 42"),
        ({"accent": "red;background:url(x)"}, "accent", "expected a colour as #rgb or #rrggbb"),
        ({"categories": "boulangerie,dragons"}, "categories", "unknown category &#x27;dragons&#x27;"),
        ({"territory": "department:999"}, "territory", "no department with code &#x27;999&#x27;"),
        ({"center": "200,43"}, "center", "longitude 200 is out of range"),
        ({"lang": "de"}, "lang", "expected one of fr, en"),
        ({"services": "teleportation"}, "services", "unknown service &#x27;teleportation&#x27;"),
        ({"radius": "-3"}, "radius", "must be more than 0"),
        ({"open": "sometimes"}, "open", "expected &#x27;now&#x27; or an ISO 8601 date-time"),
        ({"colour": "#fff"}, "colour", "unknown parameter"),
    ],
)
def test_bad_parameters_get_a_clear_message(client, query, field, message):
    response = client.get("/embed/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cette carte intégrée est mal configurée" in html
    assert f"<li><code>{field}</code> : " in html and message in html
    # Still frameable, so that the embedding site shows the explanation.
    assert "X-Frame-Options" not in response


def test_every_wrong_parameter_is_named_at_once(client):
    html = client.get("/embed/", {"zoom": "0", "accent": "nope", "lang": "xx"}).content.decode()
    assert all(f"<code>{name}</code>" in html for name in ("zoom", "accent", "lang"))
