"""The map page, the permalink and the embed in a real headless Chromium, against a running
geofinder on the real data (see conftest.py). Screenshots go to var/test-artifacts/browser/.

Real data: the Alim'confiance list has no boulangerie in Labège itself, so "near Labège" shows
the nearest ones, some km away; their opening hours are empty (state unknown), so the tests
that need hours set them on a few places for the test's duration (fixture opening_hours).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

# django_db: the session's test database is set up (the tests only read it; see opening_hours).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

LABEGE = (1.5206, 43.5391)
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def nearest_boulangeries(count: int) -> list[int]:
    """Ids of the boulangeries nearest Labège, through the search selector."""
    from django.http import QueryDict

    from geofinder.search.contract import search_query_from
    from geofinder.search.selectors import place_search

    query = search_query_from(QueryDict(f"category=boulangerie&near={LABEGE[0]},{LABEGE[1]}&limit={count}"))
    return [hit.id for hit in place_search(query=query).hits]


def results(page):
    return page.locator("#gf-results .gf-result")


def markers(page):
    return page.locator("#gf-map .gf-marker, #gf-map .marker-cluster")


def assert_clean(page):
    """No script error, no CSP violation, nothing fetched outside this machine (no tiles, no CDN)."""
    assert page.console_errors == []
    assert page.outside_requests == []


def test_search_boulangerie_near_labege_shows_markers_and_list(page, sites):
    page.goto(f"{sites.geofinder}/")
    page.get_by_label("Quoi ?").fill("boulangerie")
    page.get_by_label("Où ?").fill("Labège")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#gf-status")).to_contain_text(" km de Labège")  # far: the distances, not "près de"
    expect(results(page)).to_have_count(30)
    expect(markers(page).first).to_be_attached()  # markers drawn (the map may follow the list)
    assert "Boulangerie" in results(page).first.inner_text()
    # Offline map: no tile was asked for, yet the markers and the commune boundary are drawn.
    assert page.locator("#gf-map img.leaflet-tile").count() == 0
    expect(page.locator("#gf-map path.gf-boundary").first).to_be_attached()
    query = parse_qs(urlsplit(page.url).query)
    assert query["what"] == ["boulangerie"] and query["where"] == ["Labège"]
    assert_clean(page)


def test_open_now_changes_the_list(page, sites, opening_hours):
    ids = nearest_boulangeries(6)
    opening_hours({ids[0]: "24/7", ids[2]: "24/7", ids[1]: "off", ids[3]: "off"})
    page.goto(f"{sites.geofinder}/?category=boulangerie&near={LABEGE[0]},{LABEGE[1]}")
    expect(results(page)).to_have_count(30)
    first = results(page).first
    expect(first.locator(".gf-opening-label")).to_have_text("Ouvert 24h/24")
    expect(results(page).nth(1).locator(".gf-opening-label")).to_have_text("Fermé")
    page.get_by_label("Ouvert maintenant").check()
    expect(results(page)).to_have_count(2)
    assert [int(b.get_attribute("data-id")) for b in results(page).all()] == [ids[0], ids[2]]
    assert "open=now" in page.url
    # Open places show the open symbol (blue circle with a tick), in the list and on the map.
    expect(results(page).locator(".gf-symbol--open")).to_have_count(2)
    expect(page.locator("#gf-map .gf-marker--open")).to_have_count(2)  # the map is redrawn after the list
    page.get_by_label("Ouvert maintenant").uncheck()
    expect(results(page)).to_have_count(30)
    assert_clean(page)


def test_a_permalink_restores_the_search_the_filters_and_the_place(page, sites, opening_hours):
    nearest = nearest_boulangeries(1)[0]  # about 10 km from Labège
    opening_hours({nearest: "Mo-Su 00:00-24:00"})
    page.goto(f"{sites.geofinder}/")
    page.get_by_label("Quoi ?").fill("boulangerie")
    page.get_by_label("Où ?").fill("Labège")
    page.get_by_label("Rayon").select_option("50000")
    page.get_by_label("Ouvert maintenant").check()
    page.get_by_role("button", name="Rechercher").click()
    expect(results(page)).to_have_count(1)
    page.wait_for_load_state("networkidle")  # the searches started by the form are all answered
    results(page).first.click()
    expect(page.locator("#gf-detail h2")).to_be_focused()
    permalink = page.url
    assert {"what", "where", "radius", "open", "place"} <= set(parse_qs(urlsplit(permalink).query))

    other = page.context.new_page()
    other.goto(permalink)
    expect(other.locator("#gf-detail")).to_be_visible()
    expect(other.locator("#gf-detail h2")).to_have_text(results(page).first.locator(".gf-result-name").inner_text())
    assert other.get_by_label("Quoi ?").input_value() == "boulangerie"
    assert other.get_by_label("Où ?").input_value() == "Labège"
    assert other.get_by_label("Rayon").input_value() == "50000"
    assert other.get_by_label("Ouvert maintenant").is_checked()
    expect(results(other)).to_have_count(1)
    expect(results(other).first).to_have_attribute("aria-current", "true")
    # The week table, today highlighted.
    expect(other.locator(".gf-week tr")).to_have_count(7)
    expect(other.locator(".gf-week tr[aria-current=date]")).to_have_count(1)
    directions = other.get_by_role("link", name="Itinéraire (OpenStreetMap)").get_attribute("href")
    assert directions.startswith("https://www.openstreetmap.org/directions?to=43.")
    other.screenshot(path=str(page_artifact("permalink-restored")), full_page=True)
    other.close()
    assert_clean(page)


def page_artifact(name: str):
    from tests.web.conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def test_keyboard_alone_selects_a_place_and_comes_back(page, sites):
    page.goto(f"{sites.geofinder}/?what=boulangerie&where=Lab%C3%A8ge")
    expect(results(page)).to_have_count(30)
    results(page).nth(2).focus()
    page.keyboard.press("Enter")
    expect(page.locator("#gf-detail h2")).to_be_focused()
    assert "place=" in page.url
    page.keyboard.press("Escape")
    expect(page.locator("#gf-detail")).to_be_hidden()
    expect(results(page).nth(2)).to_be_focused()
    assert "place=" not in page.url
    assert_clean(page)


def test_phone_width_and_english(page, sites):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{sites.geofinder}/en/?what=boulangerie&where=Lab%C3%A8ge")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#gf-status")).to_contain_text(" km from Labège")
    expect(results(page).first).to_contain_text("Bakery")
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_clean(page)


def test_around_me_uses_the_browser_position(page, sites):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": LABEGE[1], "longitude": LABEGE[0]})
    page.goto(f"{sites.geofinder}/")
    page.get_by_label("Quoi ?").fill("boulangerie")
    page.get_by_role("button", name="Autour de moi").click()
    expect(results(page)).to_have_count(30)
    assert parse_qs(urlsplit(page.url).query)["near"] == ["1.52060,43.53910"]
    assert page.get_by_label("Où ?").input_value() == "Autour de moi"


def test_opening_labels_stay_live_without_reloading(page, sites, opening_hours):
    paris_today = datetime.now(ZoneInfo("Europe/Paris")).date()
    in_three_days = paris_today + timedelta(days=3)
    place = nearest_boulangeries(1)[0]
    opening_hours({place: f"{OSM_DAYS[in_three_days.weekday()]} 10:00-12:00"})
    page.clock.install()
    page.goto(f"{sites.geofinder}/?category=boulangerie&near={LABEGE[0]},{LABEGE[1]}")
    label = results(page).first.locator(".gf-opening-label")
    weekday = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")[in_three_days.weekday()]
    expect(label).to_have_text(f"Fermé · ouvre {weekday} à 10:00")
    page.clock.fast_forward("48:00:00")  # two days later, the same page
    expect(label).to_have_text("Fermé · ouvre demain à 10:00")


def framed_url(page, selector: str) -> str:
    """The URL the frame ended on: chrome-error://… when the browser refused to show it."""
    page.wait_for_load_state("load")
    return page.locator(selector).element_handle().content_frame().url


def test_embed_in_an_allowed_origin_and_refused_elsewhere(page, sites):
    page.goto(f"{sites.allowed}/?where=Lab%C3%A8ge&categories=boulangerie&accent=%23aa3300")
    embed = page.frame_locator("#embed")
    expect(embed.locator("#gf-results .gf-result")).to_have_count(30)
    assert embed.locator("#gf-map .gf-marker, #gf-map .marker-cluster").count() > 0
    assert embed.locator(".gf-header").count() == 0  # no site chrome
    expect(page.locator("#cors")).to_have_text("ok 3")  # CORS: the API answers this origin
    # Every other page refuses framing, even by an allowed origin.
    assert framed_url(page, "#home").startswith("chrome-error://")
    page.screenshot(path=str(page_artifact("embed-allowed-origin")), full_page=True)

    refused = page.context.new_page()
    refused.goto(f"{sites.refused}/?where=Lab%C3%A8ge&categories=boulangerie")
    expect(refused.locator("#cors")).to_have_text("blocked")
    assert framed_url(refused, "#embed").startswith("chrome-error://")
    assert framed_url(refused, "#home").startswith("chrome-error://")
    refused.screenshot(path=str(page_artifact("embed-refused-origin")), full_page=True)
    refused.close()


def test_embedding_builder_previews_the_snippet(page, sites):
    page.goto(f"{sites.geofinder}/integrer/")
    page.get_by_label("Lieu de départ (commune ou code postal)").fill("Labège")
    page.locator("summary", has_text="Alimentation").click()
    page.get_by_label("Boulangerie", exact=True).check()
    page.get_by_label("Langue").select_option("en")
    snippet = page.locator("#b-snippet").input_value()
    assert snippet.startswith(f'<iframe src="{sites.geofinder}/embed/?where=Lab')
    assert "categories=boulangerie" in snippet and "lang=en" in snippet
    preview = page.frame_locator("#b-preview")
    expect(preview.locator("#gf-results .gf-result")).to_have_count(30)
    expect(preview.locator("html")).to_have_attribute("lang", "en")
    assert_clean(page)


def test_an_ambiguous_place_offers_candidates(page, sites):
    page.goto(f"{sites.geofinder}/?what=boulangerie&where=Saint-Martin")
    errors = page.locator("#gf-errors")
    expect(errors).to_be_visible()
    candidates = errors.get_by_role("button")
    assert candidates.count() > 1
    chosen = candidates.first.inner_text()
    candidates.first.click()
    expect(errors).to_be_hidden()
    expect(results(page)).to_have_count(30)
    assert parse_qs(urlsplit(page.url).query)["where"] == [chosen]
    # Chromium logs the API's 400 answer itself; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []
