"""axe-core on every page, desktop and 390×844 phone, in the states a reader brings them to
(results, the detail open, the export menu open; the API docs with an operation open and tried):
no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import results

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.10.2" / "axe.min.js").read_text()
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SEARCH = "category=restaurant&where=Paris"


def serious_violations(page) -> list:
    page.add_script_tag(content=AXE)
    return page.evaluate(
        """async () => (await axe.run(document)).violations
             .filter((v) => v.impact === "serious" || v.impact === "critical")
             .map((v) => [v.id, v.nodes.slice(0, 3).map((n) => n.target.join(" "))])"""
    )


def test_the_map_page_with_results_the_detail_and_the_export_menu(page_without_csp, sites):
    # Without CSP: axe's script is added to the page (the pages refuse any script of their own).
    page = page_without_csp
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(f"{sites.geofinder}/")
        assert serious_violations(page) == [], name
        page.goto(f"{sites.geofinder}/?{SEARCH}")
        expect(results(page)).to_have_count(30)
        assert serious_violations(page) == [], name
        page.get_by_text("Exporter", exact=True).click()
        assert serious_violations(page) == [], name
        results(page).first.click()
        expect(page.locator("#gf-detail h2")).to_be_focused()
        assert serious_violations(page) == [], name
        page.goto(f"{sites.geofinder}/en/?category=plombier&where=Lab%C3%A8ge")
        expect(page.locator("#gf-explain")).to_be_visible()
        assert serious_violations(page) == [], name


def test_the_embed_and_the_builder(page_without_csp, sites):
    page = page_without_csp
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(f"{sites.geofinder}/embed/?where=Paris&categories=restaurant")
        expect(results(page)).to_have_count(30)
        assert serious_violations(page) == [], name
        page.goto(f"{sites.geofinder}/integrer/")
        expect(page.frame_locator("#b-preview").locator("#gf-results .gf-result").first).to_be_visible()
        page.locator(".gf-advanced summary").click()
        assert serious_violations(page) == [], name


def test_the_api_docs(page_without_csp, sites):
    page = page_without_csp
    for name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.goto(f"{sites.geofinder}/api/v1/docs/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        operation = page.locator("#operations-places-places_search")
        expect(operation).to_be_visible()
        assert serious_violations(page) == [], name
        operation.locator(".opblock-summary-control").click()
        page.get_by_role("button", name="Try it out").click()
        expect(page.get_by_role("button", name="Execute")).to_be_visible()
        assert serious_violations(page) == [], name
