"""Issue 17, the rest of items 2 and 5 in a real headless Chromium on the real data, desktop
and 390×844 phone: the builder frames the embed by moving its map (as uMap's builder does); an
embed limited to a territory names it ("en Haute-Garonne") and searches from its chef-lieu or
from the framed centre, never from "Position lon, lat"; the pages "Voir plus" showed are kept in
the permalink, and a shared link reopens the same list."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.web.test_accessibility import serious_violations
from tests.web.test_browser import assert_clean, results
from tests.web.test_finishing import PARIS_CENTRE, drag_map, ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
TOULOUSE = (1.4328, 43.6007)  # the chef-lieu's point (geo.api.gouv.fr's centre of 31555)


def expected_ids(query: str) -> list[int]:
    """What the search selector answers for `query` (the one search path)."""
    from django.http import QueryDict

    from geofinder.search.contract import search_query_from
    from geofinder.search.selectors import place_search

    return [hit.id for hit in place_search(query=search_query_from(QueryDict(query))).hits]


def departments_of(place_ids: list[int]) -> set[str]:
    from geofinder.places.models import Place

    return set(Place.objects.filter(pk__in=place_ids).values_list("commune__department__code", flat=True))


# --- An embed of a territory ---------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_an_embed_of_a_territory_names_it_and_searches_from_its_chef_lieu(page, sites, viewport):
    # The demo data holds 17 restaurants in Haute-Garonne, most of them in or near Toulouse.
    expected = expected_ids(f"category=restaurant&territory=department:31&near={TOULOUSE[0]},{TOULOUSE[1]}&limit=30")
    assert 1 < len(expected) < 30 and departments_of(expected) == {"31"}
    page.set_viewport_size(viewport)
    page.goto(f"{sites.geofinder}/embed/?territory=department:31&categories=restaurant")
    expect(results(page)).to_have_count(len(expected))
    status = page.locator("#gf-status")
    expect(status).to_contain_text(f"{len(expected)} résultats en Haute-Garonne, ")
    expect(status).to_contain_text(" de Toulouse.")
    expect(status).not_to_contain_text("Position")
    assert page.get_by_label("Où ?").input_value() == "Toulouse"
    expect(page.locator("h1")).to_have_text("Commerces et artisans en Haute-Garonne")
    # The nearest restaurants of the département to Toulouse, in order.
    assert ids(page) == expected
    assert_clean(page)


def test_an_embed_of_a_region_and_one_in_english(page, sites):
    page.goto(f"{sites.geofinder}/embed/?territory=region:76&categories=restaurant")
    expect(results(page).first).to_be_visible()
    expect(page.locator("#gf-status")).to_contain_text(" résultats en Occitanie, ")
    expect(page.locator("#gf-status")).to_contain_text(" de Toulouse.")
    page.goto(f"{sites.geofinder}/embed/?territory=department:31&categories=restaurant&lang=en")
    expect(results(page).first).to_be_visible()
    expect(page.locator("#gf-status")).to_contain_text(" results in Haute-Garonne, ")
    expect(page.locator("#gf-status")).to_contain_text("Toulouse")
    assert_clean(page)


def test_an_embed_of_a_territory_framed_by_hand_searches_from_the_framed_centre(page, sites):
    centre = (1.26, 43.18)  # south of Toulouse, inside Haute-Garonne
    page.goto(f"{sites.geofinder}/embed/?territory=department:31&categories=restaurant&center={centre[0]},{centre[1]}&zoom=11")
    expect(results(page).first).to_be_visible()
    status = page.locator("#gf-status")
    expect(status).to_contain_text("en Haute-Garonne")
    expect(status).to_contain_text("du centre de la carte")
    expect(status).not_to_contain_text("Position")
    found = ids(page)
    assert found == expected_ids(f"category=restaurant&territory=department:31&near={centre[0]},{centre[1]}&limit=30")
    assert_clean(page)


# --- The builder: framing by moving the map ------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_the_builder_frames_the_embed_by_moving_its_map(page_without_csp, sites, viewport):
    # Without CSP: axe's script is added to the page at the end.
    page = page_without_csp
    page.set_viewport_size(viewport)
    page.goto(f"{sites.geofinder}/integrer/")
    page.get_by_label("Lieu de départ (commune ou code postal)").fill("")
    page.get_by_label("Limiter à un territoire (commune, département ou région)").fill("Haute-Garonne (31)")
    snippet = page.locator("#b-snippet")
    expect(snippet).to_have_value(re.compile(r"territory=department%3A31"))
    # The territory is drawn and framed; nothing is framed by hand yet.
    framing = page.locator("#b-framing")
    expect(framing).to_have_text("Cadrage automatique : sur les résultats.")
    expect(page.locator("#b-map .gf-boundary--main")).to_be_attached()
    expect(snippet).not_to_have_value(re.compile("center="))
    preview = page.frame_locator("#b-preview")
    expect(preview.locator("#gf-status")).to_contain_text("en Haute-Garonne")
    expect(preview.locator("#gf-status")).to_contain_text("de Toulouse")

    # Moving the map frames the embed: its centre and zoom go into the code.
    page.locator("#b-map").scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the territory's framing has ended
    drag_map_element(page, "#b-map", -80, 60)
    expect(framing).to_contain_text("Carte cadrée ici (zoom ")
    code = snippet.input_value()
    query = parse_qs(urlsplit(unquote(code.split('src="')[1].split('"')[0]).replace("&amp;", "&")).query)
    lon, lat = map(float, query["center"][0].split(","))
    zoom = int(query["zoom"][0])
    assert 0.0 < lon < 2.5 and 42.5 < lat < 44.5 and 6 <= zoom <= 12, (lon, lat, zoom)
    assert "where" not in query and query["territory"] == ["department:31"]
    assert page.locator("#b-center").input_value() == query["center"][0]
    # Zooming with the map's button changes the zoom of the code.
    page.locator("#b-map .leaflet-control-zoom-in").click()
    expect(page.locator("#b-zoom")).to_have_value(str(zoom + 1))
    expect(snippet).to_have_value(re.compile(rf"zoom={zoom + 1}"))
    # The preview opens there and searches around that centre, in the territory.
    expect(preview.locator("#gf-status")).to_contain_text("du centre de la carte")
    expect(preview.locator("#gf-status")).to_contain_text("en Haute-Garonne")
    expect(preview.locator("#gf-status")).not_to_contain_text("Position")
    assert serious_violations(page) == []

    # Back to the automatic framing.
    page.get_by_role("button", name="Revenir au cadrage automatique").click()
    expect(framing).to_have_text("Cadrage automatique : sur les résultats.")
    expect(snippet).not_to_have_value(re.compile("center="))
    assert page.console_errors == []


def drag_map_element(page, selector: str, dx: int, dy: int) -> None:
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


# --- "Voir plus" in the permalink ----------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_a_shared_link_after_voir_plus_reopens_the_same_list(page, sites, viewport):
    page.set_viewport_size(viewport)
    near = f"{PARIS_CENTRE[0]},{PARIS_CENTRE[1]}"
    page.goto(f"{sites.geofinder}/?category=restaurant&near={near}")
    expect(results(page)).to_have_count(30)
    assert "pages" not in parse_qs(urlsplit(page.url).query)
    more = page.get_by_role("button", name="Voir plus de résultats")
    more.click()
    expect(results(page)).to_have_count(60)
    page.wait_for_function("() => new URLSearchParams(location.search).get('pages') === '2'")
    more.click()
    expect(results(page)).to_have_count(90)
    page.wait_for_function("() => new URLSearchParams(location.search).get('pages') === '3'")
    shown = ids(page)
    assert shown == expected_ids(f"category=restaurant&near={near}&limit=90")
    # A place of the third page selected: the link reopens the three pages and that place.
    results(page).nth(75).click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('place')")
    link = page.url

    shared = page.context.new_page()
    shared.set_viewport_size(viewport)
    shared.goto(link)
    expect(results(shared)).to_have_count(90)
    assert ids(shared) == shown
    expect(shared.locator("#gf-detail")).to_be_visible()
    expect(shared.locator("#gf-results .gf-result[aria-current=true]")).to_have_attribute("data-id", str(shown[75]))
    expect(shared.locator("#gf-status")).to_contain_text("90 résultats")
    shared.close()
    assert_clean(page)


def test_a_hand_written_pages_value_is_bounded(page, sites):
    near = f"{PARIS_CENTRE[0]},{PARIS_CENTRE[1]}"
    page.goto(f"{sites.geofinder}/?category=restaurant&near={near}&pages=abc")
    expect(results(page)).to_have_count(30)
    page.goto(f"{sites.geofinder}/?category=restaurant&near={near}&pages=2")
    expect(results(page)).to_have_count(60)
    # A new search from the form shows one page again, and the permalink says so.
    page.get_by_label("Où ?").fill("Albi")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#gf-status")).to_contain_text("Albi")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('pages')")
    expect(results(page)).to_have_count(30)
    assert_clean(page)
