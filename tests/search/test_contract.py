"""The query contract: the values every reader accepts and the 400s naming what is wrong, alike
for the API, the exports, the embed and the static maps; no input reaches the database or
Python's date arithmetic unchecked."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from geofinder.search import contract
from geofinder.search.contract import (
    FREE_TEXT_MAX_LENGTH,
    MAX_CATEGORIES,
    SEARCH_PARAMS,
    geocode_query_from,
    search_query_from,
)
from geofinder.search.errors import ParamErrors

pytestmark = pytest.mark.django_db

NEAR = "1.5206,43.5391"
SEARCH, EXPORT, GEOCODE, EMBED = "/api/v1/places/", "/api/v1/export/places.csv", "/api/v1/geocode/", "/embed/"


def errors_of(values: dict, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ParamErrors) as caught:
        search_query_from(values, **kwargs)
    return caught.value.errors


# --- What used to be a 500 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"open": "0001-01-01T00:00"}, "open", "years 1970 to 2099"),
        ({"open": "9999-12-31T23:59-12:00"}, "open", "years 1970 to 2099"),
        ({"open": "2026-12-24T18:30\x00"}, "open", "control characters"),
        ({"open": "２０２６-12-24T18:30"}, "open", "ISO 8601"),
        ({"territory": "department:\x00"}, "territory", "control characters, got U+0000"),
        ({"where": "Lab\x00ège"}, "where", "control characters"),
        ({"what": "pain\x00"}, "what", "control characters"),
        ({"limit": "²"}, "limit", "whole number"),
        ({"limit": "١٢"}, "limit", "whole number"),  # Arabic-Indic digits: int() reads them as 12
        ({"radius": "٥٠٠٠"}, "radius", "number of metres"),
        ({"near": "١,٤٣"}, "near", "decimal numbers"),
    ],
)
def test_inputs_that_raised_500s_are_400s_naming_the_field(client, params, field, words):
    base = {"category": "boulangerie"} if {"near", "where"} & params.keys() else {"near": NEAR}
    response = client.get(SEARCH, {**base, **params})
    assert response.status_code == 400, response.content
    messages = response.json()["errors"][field]
    assert any(words in message for message in messages), messages


def test_a_nul_byte_is_refused_on_every_reader(client):
    assert client.get(SEARCH, {"near": NEAR, "territory": "department:\x00"}).status_code == 400
    export = client.get(EXPORT, {"territory": "department:\x00"})
    assert export.status_code == 400 and "territory" in export.json()["errors"]
    embed = client.get(EMBED, {"territory": "department:\x00"})
    assert embed.status_code == 400 and "<code>territory</code>" in embed.content.decode()
    geocode = client.get(GEOCODE, {"q": "Toulouse\x00"})
    assert geocode.status_code == 400 and "q" in geocode.json()["errors"]


def test_non_ascii_digits_are_refused_by_the_geocoder_and_the_embed(client):
    geocode = client.get(GEOCODE, {"q": "Toulouse", "limit": "²"})
    assert geocode.status_code == 400
    assert geocode.json()["errors"]["limit"] == ["must be a whole number between 1 and 20, got '²'"]
    embed = client.get(EMBED, {"center": NEAR, "zoom": "²"})
    assert embed.status_code == 400 and "<code>zoom</code>" in embed.content.decode()


def test_dates_at_the_ends_of_the_range_are_accepted():
    first = search_query_from({"near": NEAR, "open": "1970-01-01T00:00+00:00"})
    last = search_query_from({"near": NEAR, "open": "2099-12-31T23:59-12:00"})
    assert first.open_at.year == 1970 and last.open_at.year == 2099


# --- Bounded work ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["what", "where"])
def test_free_text_is_capped(client, name):
    other = {"category": "boulangerie"} if name == "where" else {"near": NEAR}
    long_text = " ".join(["ab"] * 650)  # 3 KB of short words: 30 s of fuzzy matching before
    response = client.get(SEARCH, {**other, name: long_text})
    assert response.status_code == 400
    assert response.json()["errors"][name] == [
        f"must be at most {FREE_TEXT_MAX_LENGTH} characters long, got {len(long_text)}"
    ]
    assert client.get(SEARCH, {**other, name: "a" * FREE_TEXT_MAX_LENGTH}).status_code in {200, 400}


def test_geocoding_text_is_capped(client):
    response = client.get(GEOCODE, {"q": "x" * (FREE_TEXT_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert "at most 200 characters" in response.json()["errors"]["q"][0]


def test_category_lists_are_capped(client):
    from geofinder.places.models import Category

    # the shortest slugs, one too many: the count is over its cap, the text within its own
    slugs = sorted(Category.objects.values_list("slug", flat=True), key=len)[: MAX_CATEGORIES + 1]
    assert len(slugs) > MAX_CATEGORIES
    response = client.get(SEARCH, {"near": NEAR, "category": ",".join(slugs)})
    assert response.status_code == 400
    assert response.json()["errors"]["category"] == [f"at most {MAX_CATEGORIES} categories, got {len(slugs)}"]
    assert client.get(SEARCH, {"near": NEAR, "category": ",".join(slugs[:MAX_CATEGORIES])}).status_code == 200


def test_every_parameter_has_a_length_cap_no_bigger_than_it_needs():
    for param in SEARCH_PARAMS.values():
        assert 0 < param.max_length <= MAX_CATEGORIES * 41, param.name
        if param.schema.get("type") == "string":
            assert param.schema["maxLength"] == param.max_length, param.name


# --- One contract for every reader ----------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"category": "boulangrie", "near": "200,43", "radius": "-5", "services": "wifi"},
        {"territory": "department:\x00", "open": "0001-01-01T00:00", "limit": "²"},
        {"what": "x" * 201, "status": "open", "include_closed": "peut-être"},
    ],
)
def test_the_api_the_export_command_and_render_map_give_the_same_messages(client, values, tmp_path):
    from_api = client.get(EXPORT, values).json()["errors"]
    assert from_api == errors_of(values, export=True)
    options = {name: value for name, value in values.items() if name in contract.EXPORT_PARAMS}
    with pytest.raises(CommandError) as command:
        call_command("export", out=str(tmp_path / "x.csv"), format="csv", no_progress=True, **options)
    for name, messages in from_api.items():
        assert f"--{name.replace('_', '-')}: " + "; ".join(messages) in str(command.value)


def test_blank_values_are_no_values():
    query = search_query_from({"near": NEAR, "radius": "", "limit": " ", "open": "", "services": "", "category": ","})
    assert query.radius_m is None and query.limit == 20 and query.open_at is None and query.services == ()
    assert query.what.kind == "all"


@pytest.mark.parametrize("word", ["now", "maintenant", "true", "1", "oui"])
def test_open_now_is_read_alike_by_the_api_and_the_embed(client, word):
    assert search_query_from({"near": NEAR, "open": word}).open_at is not None
    response = client.get(EMBED, {"open": word})
    assert response.status_code == 200
    assert '"open": true' in response.content.decode()


def test_the_embed_passes_a_date_time_on_to_the_page(client):
    response = client.get(EMBED, {"open": "2026-12-24T18:30"})
    assert response.status_code == 200
    assert '"open": "2026-12-24T18:30"' in response.content.decode()
    assert search_query_from({"near": NEAR, "open": "2026-12-24T18:30"}).open_at.isoformat() == (
        "2026-12-24T18:30:00+01:00"
    )


@pytest.mark.parametrize("word", ["false", "0", "non"])
def test_open_false_is_no_filter(word):
    assert search_query_from({"near": NEAR, "open": word}).open_at is None


def test_geocode_query_requires_its_text():
    with pytest.raises(ParamErrors) as caught:
        geocode_query_from({"q": "  "})
    assert caught.value.errors == {"q": ["is required"]}
    assert geocode_query_from({"q": " Labège ", "limit": "3"}) == ("Labège", 3)


# --- JSON errors of the API -----------------------------------------------------------------


def test_a_place_id_that_is_not_a_number_is_a_json_404(client):
    response = client.get("/api/v1/places/abc/")
    assert response.status_code == 404
    assert response.json() == {"detail": "no place with id 'abc'"}


def test_an_unknown_api_address_is_a_json_404_and_a_page_stays_html(client):
    api = client.get("/api/v1/nowhere/")
    assert api.status_code == 404 and api.json()["detail"].startswith("nothing at /api/v1/nowhere/")
    page = client.get("/nulle-part/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("commune:31254", "31254"), ("commune:91182", "91228"), ("commune:75111", "75056"), ("commune:15031", "15031")],
)
def test_a_commune_territory_is_the_commune_of_today_continuing_its_code(raw, code):
    # 91182 Courcouronnes is in Évry-Courcouronnes since 2019, 75111 is an arrondissement of
    # Paris, 15031 Celles was restored in 2025 (no 2018 polygon of its own).
    query = search_query_from({"near": NEAR, "territory": raw})
    assert (query.territory.kind, query.territory.code) == ("commune", code)


def test_a_commune_code_split_between_several_is_refused_naming_it():
    assert errors_of({"near": NEAR, "territory": "commune:51385"}) == {"territory": ["no commune with code '51385'"]}


def test_a_what_naming_no_category_is_a_name_of_at_most_64_characters(client):
    name = "Au Vieux Moulin de la Grande Rue du Pont Neuf et de la Place"
    assert len(name) <= contract.NAME_MAX_LENGTH
    assert client.get(SEARCH, {"near": NEAR, "what": name}).status_code == 200
    long_name = name + " et des Environs Proches"
    response = client.get(SEARCH, {"near": NEAR, "what": long_name})
    assert response.status_code == 400
    assert "too long for a shop's name (at most 64 characters)" in response.json()["errors"]["what"][0]
    # A long text of category words is read as categories.
    words = "boulangerie pâtisserie fromagerie boucherie poissonnerie et caviste du quartier ouvert"
    assert len(words) > contract.NAME_MAX_LENGTH
    assert client.get(SEARCH, {"near": NEAR, "what": words}).status_code == 200
