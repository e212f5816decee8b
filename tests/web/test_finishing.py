"""Issue 17 in a real headless Chromium, against a running geofinder on the real data (see
conftest.py): a phone of 390×844 first (results in view after a search, 44 px targets, the
detail as a sheet, a list/map switch), honest answers (distances, elision, why a list is empty),
"Voir plus", "Rechercher dans cette zone" and the "Exporter" menu."""

from __future__ import annotations

import csv
import re
import io
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from playwright.sync_api import expect

from tests.web.test_browser import LABEGE, assert_clean, markers, results

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
PARIS_CENTRE = (2.3488, 48.8534)  # Hôtel de Ville: hundreds of restaurants within a km
MIN_TARGET_PX = 44


def ids(page) -> list[int]:
    return [int(button.get_attribute("data-id")) for button in results(page).all()]


def small_targets(page) -> list[str]:
    """The visible controls smaller than MIN_TARGET_PX either way (a checkbox counts with its
    label, which activates it too; links inside text are exempt, WCAG 2.5.8)."""
    return page.evaluate(
        """(min) => {
          const seen = [];
          const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
            && getComputedStyle(e).visibility !== "hidden"; };
          const targets = [...document.querySelectorAll(
            "button, select, input:not([type=checkbox]), summary, .gf-nav a, .gf-export-menu a, .leaflet-control-zoom a, "
            + "#gf-map .gf-marker, #gf-map .marker-cluster")];
          for (const box of document.querySelectorAll("input[type=checkbox]")) {
            const label = document.querySelector(`label[for="${box.id}"]`);
            if (label) targets.push(label);
          }
          for (const e of targets) {
            if (!visible(e)) continue;
            const r = e.getBoundingClientRect();
            // 0.01 px: a box placed at a sub-pixel offset measures 43.99999 px (float rounding).
            if (r.height < min - 0.01 || r.width < min - 0.01) seen.push(`${e.tagName}#${e.id}.${e.className} ${Math.round(r.width)}x${Math.round(r.height)}`);
          }
          return seen;
        }""",
        MIN_TARGET_PX,
    )


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


# --- Phone first ---------------------------------------------------------------------------


def test_on_a_phone_the_results_come_into_view_after_a_search(page, sites):
    page.set_viewport_size(PHONE)
    page.goto(f"{sites.geofinder}/")
    expect(page.locator(".gf-filters")).not_to_have_attribute("open", "")  # folded on phones
    page.get_by_label("Quoi ?").fill("restaurant")
    page.get_by_label("Où ?").fill("Paris")
    page.get_by_role("button", name="Rechercher").click()
    expect(results(page)).to_have_count(30)
    first = results(page).first
    page.wait_for_function("() => Math.abs(document.querySelector('.gf-view-switch').getBoundingClientRect().top) < 20", timeout=5000)
    assert in_viewport(page, first), first.bounding_box()
    assert in_viewport(page, page.locator("#gf-status"))
    # The list comes first; the map is one tap away.
    expect(page.locator("#gf-map")).to_be_hidden()
    expect(page.get_by_role("button", name="Liste")).to_have_attribute("aria-pressed", "true")
    assert small_targets(page) == []
    page.locator(".gf-filters summary").click()  # the filters, unfolded, are as easy to tap
    assert small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_clean(page)


def test_on_a_phone_the_map_is_a_switch_away(page, sites):
    page.set_viewport_size(PHONE)
    page.goto(f"{sites.geofinder}/?category=restaurant&near={PARIS_CENTRE[0]},{PARIS_CENTRE[1]}")
    expect(results(page)).to_have_count(30)
    page.get_by_role("button", name="Carte").click()
    expect(page.locator("#gf-map")).to_be_visible()
    expect(page.locator("#gf-results")).to_be_hidden()
    expect(markers(page).first).to_be_visible()
    map_box = page.locator("#gf-map").bounding_box()
    assert map_box["width"] > 300 and map_box["height"] > 300  # sized once shown
    assert small_targets(page) == []  # zoom buttons included
    page.get_by_role("button", name="Liste").click()
    expect(results(page).first).to_be_visible()
    assert_clean(page)


def test_on_a_phone_the_detail_opens_as_a_sheet(page, sites):
    page.set_viewport_size(PHONE)
    page.goto(f"{sites.geofinder}/?category=restaurant&near={PARIS_CENTRE[0]},{PARIS_CENTRE[1]}")
    expect(results(page)).to_have_count(30)
    results(page).nth(1).click()
    detail = page.locator("#gf-detail")
    expect(detail.locator("h2")).to_be_focused()
    assert detail.evaluate("e => getComputedStyle(e).position") == "fixed"
    box = detail.bounding_box()
    assert abs(box["y"] + box["height"] - PHONE["height"]) <= 1 and box["width"] >= PHONE["width"] - 1
    assert box["height"] <= 0.76 * PHONE["height"]
    assert small_targets(page) == []
    page.get_by_role("button", name="Fermer la fiche").click()
    expect(detail).to_be_hidden()
    expect(results(page).nth(1)).to_be_focused()
    assert_clean(page)


# --- Honest answers ------------------------------------------------------------------------


def test_far_results_are_announced_with_their_distances_not_as_near(page, sites):
    page.goto(f"{sites.geofinder}/?what=boulangerie&where=Lab%C3%A8ge")
    expect(results(page)).to_have_count(30)
    status = page.locator("#gf-status")
    expect(status).to_contain_text("30 résultats, de ")
    expect(status).to_contain_text(" km de Labège")
    expect(status).not_to_contain_text("près de")


def test_near_results_are_near_and_names_are_elided(page, sites):
    page.goto(f"{sites.geofinder}/?category=restaurant&where=Paris")
    expect(page.locator("#gf-status")).to_contain_text("30 résultats près de Paris")
    page.goto(f"{sites.geofinder}/?category=restaurant&where=Albi")
    expect(page.locator("#gf-status")).to_contain_text("d’Albi")
    expect(page.locator("#gf-status")).not_to_contain_text("de Albi")
    page.goto(f"{sites.geofinder}/en/?category=restaurant&where=Albi")
    expect(page.locator("#gf-status")).to_contain_text("from Albi")


def test_open_now_without_known_hours_says_so_and_offers_them_all(page, sites):
    # The Alim'confiance boulangeries near Labège have no opening hours.
    page.goto(f"{sites.geofinder}/?category=boulangerie&near={LABEGE[0]},{LABEGE[1]}&open=now")
    explain = page.locator("#gf-explain")
    expect(explain).to_contain_text("Aucun des 30 lieux les plus proches n’a d’horaires connus")
    expect(results(page)).to_have_count(0)
    explain.get_by_role("button", name="Les afficher sans le filtre « Ouvert maintenant »").click()
    expect(results(page)).to_have_count(30)
    assert not page.get_by_label("Ouvert maintenant").is_checked()
    assert "open" not in parse_qs(urlsplit(page.url).query)
    assert_clean(page)


def test_a_category_without_places_says_so_and_is_marked(page, sites):
    page.goto(f"{sites.geofinder}/?category=plombier&where=Lab%C3%A8ge")
    expect(page.locator("#gf-explain")).to_contain_text("Aucun lieu de la catégorie « Plombier » n’est référencé dans ce secteur.")
    option = page.locator("#gf-category option[value=plombier]")
    expect(option).to_contain_text("aucun lieu référencé")
    expect(page.locator("#gf-category option[value=patisserie]")).to_be_disabled()
    expect(page.locator("#gf-category option[value=boulangerie]")).to_be_enabled()


def test_radius_too_small_says_where_the_nearest_is(page, sites):
    page.goto(f"{sites.geofinder}/?category=boulangerie&where=Lab%C3%A8ge&radius=1000")
    explain = page.locator("#gf-explain")
    expect(explain).to_contain_text("le plus proche est à ")
    explain.get_by_role("button", name="Retirer le rayon, le territoire et les services").click()
    expect(results(page)).to_have_count(30)
    assert page.get_by_label("Rayon").input_value() == ""


def test_voir_plus_adds_the_next_page_in_order_without_duplicates(page, sites):
    from django.http import QueryDict

    from geofinder.search.contract import search_query_from
    from geofinder.search.selectors import place_search

    near = f"{PARIS_CENTRE[0]},{PARIS_CENTRE[1]}"
    query = search_query_from(QueryDict(f"category=restaurant&near={near}&limit=90"))
    expected = [hit.id for hit in place_search(query=query).hits]
    page.goto(f"{sites.geofinder}/?category=restaurant&near={near}")
    expect(results(page)).to_have_count(30)
    more = page.get_by_role("button", name="Voir plus de résultats")
    more.click()
    expect(results(page)).to_have_count(60)
    expect(results(page).nth(30)).to_be_focused()  # the reader goes on from the first new one
    more.click()
    expect(results(page)).to_have_count(90)
    assert ids(page) == expected
    expect(page.locator("#gf-status")).to_contain_text("90 résultats")
    assert_clean(page)


def test_a_french_page_says_api_errors_in_french(page, sites):
    page.goto(f"{sites.geofinder}/?what=boulangerie&where=Zzyzxqwv")
    errors = page.locator("#gf-errors")
    expect(errors).to_contain_text("Lieu « Zzyzxqwv » non reconnu")
    expect(errors).not_to_contain_text("no commune")


def test_the_address_falls_back_to_the_commune_and_phones_are_french(page, sites):
    from geofinder.places.models import Place
    from tests.servers import own_connection
    from django.db import connection

    place = Place.objects.filter(commune__name="Labège").first() or Place.objects.filter(
        commune__department__code="31").first()
    with own_connection(connection.settings_dict) as own:
        saved = own.execute("SELECT street, postcode, city, phone FROM places_place WHERE id = %s", [place.pk]).fetchone()
        own.execute("UPDATE places_place SET street = '', postcode = '', city = '', phone = '0561000000' WHERE id = %s", [place.pk])
        try:
            page.goto(f"{sites.geofinder}/?category={place.category.slug}&near={place.location.x},{place.location.y}&place={place.pk}")
            detail = page.locator("#gf-detail")
            expect(detail).to_contain_text(place.commune.name)
            phone = detail.get_by_role("link", name="05 61 00 00 00")
            assert phone.get_attribute("href") == "tel:0561000000"
        finally:
            own.execute("UPDATE places_place SET street = %s, postcode = %s, city = %s, phone = %s WHERE id = %s",
                        [*saved, place.pk])


# --- Search this area ----------------------------------------------------------------------


def drag_map(page, dx: int, dy: int) -> None:
    box = page.locator("#gf-map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def test_search_this_area_searches_the_box_and_keeps_it_in_the_permalink(page, sites):
    page.goto(f"{sites.geofinder}/?category=restaurant&where=Paris")
    expect(results(page)).to_have_count(30)
    page.wait_for_load_state("networkidle")
    button = page.get_by_role("button", name="Rechercher dans cette zone")
    expect(button).to_be_hidden()  # the page's own framing offers nothing
    drag_map(page, -250, 120)
    expect(button).to_be_visible()
    button.click()
    expect(button).to_be_hidden()
    page.wait_for_function("() => new URLSearchParams(location.search).has('bbox')")
    query = parse_qs(urlsplit(page.url).query)
    assert "where" not in query and "near" not in query
    xmin, ymin, xmax, ymax = map(float, query["bbox"][0].split(","))
    expect(page.locator("#gf-status")).to_contain_text("dans cette zone")
    assert page.get_by_label("Où ?").input_value() == "Zone de la carte"
    found = ids(page)
    assert found
    from geofinder.places.models import Place

    for place in Place.objects.filter(pk__in=found):
        assert xmin <= place.location.x <= xmax and ymin <= place.location.y <= ymax

    shared = page.context.new_page()
    shared.goto(page.url)
    expect(results(shared)).to_have_count(len(found))
    assert ids(shared) == found
    assert shared.get_by_label("Où ?").input_value() == "Zone de la carte"
    shared.close()
    assert_clean(page)


# --- Exporter ------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_the_export_menu_downloads_the_current_search(page, sites, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{sites.geofinder}/?category=epicerie&territory=department:01&where=Bourg-en-Bresse")
    expect(results(page).first).to_be_visible()
    page.get_by_text("Exporter", exact=True).click()
    spreadsheet = page.get_by_role("link", name="Tableur (CSV pour Excel, LibreOffice)")
    expect(spreadsheet).to_be_visible()
    # French pages offer the French spreadsheets' CSV first.
    assert page.locator(".gf-export-menu a").first.get_attribute("id") == "gf-export-csv-fr"
    if viewport == PHONE:
        assert small_targets(page) == []
    with page.expect_download() as download_info:
        spreadsheet.click()
    body = open(download_info.value.path(), "rb").read()
    assert download_info.value.suggested_filename.endswith(".csv")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows and {row["department_code"] for row in rows} == {"01"}
    assert ';"01";' in body.decode("utf-8-sig").split("\r\n")[1]
    geojson = page.get_by_role("link", name="GeoJSON (SIG, QGIS)").get_attribute("href")
    data = orjson.loads(page.request.get(f"{sites.geofinder}{geojson}").body())
    assert data["type"] == "FeatureCollection" and data["count"] == len(rows)
    assert data["query"]["territory"] == "department:01"
    assert_clean(page)


# --- The builder without syntax ------------------------------------------------------------


def test_the_builder_picks_a_territory_by_its_name(page, sites):
    page.goto(f"{sites.geofinder}/integrer/")
    page.get_by_label("Lieu de départ (commune ou code postal)").fill("")
    name = page.get_by_label("Limiter à un territoire (commune, département ou région)")
    name.fill("Haute-Garonne (31)")  # an entry of the list offered
    expect(page.locator("#b-territory-chosen")).to_have_text("Territoire choisi : Haute-Garonne (31) (département).")
    expect(page.locator("#b-snippet")).to_have_value(re.compile(r"territory=department%3A31"))
    preview = page.frame_locator("#b-preview")
    expect(preview.locator("#gf-results .gf-result").first).to_be_visible()
    # Named after its territory ("en Haute-Garonne") and searched from its chef-lieu, Toulouse
    # (tests/web/test_territory_embed_and_pages.py).
    expect(preview.locator("#gf-status")).to_contain_text("en Haute-Garonne")
    assert preview.get_by_label("Où ?").input_value() == "Toulouse"
    # A commune, looked up by name as it is typed.
    name.fill("Labège")
    option = page.locator("#b-territory-options option[data-territory='commune:31254']")
    expect(option).to_be_attached()
    name.fill(option.get_attribute("value"))
    expect(page.locator("#b-snippet")).to_have_value(re.compile(r"territory=commune%3A31254"))
    name.fill("Nulle-Part-Sur-Mer")
    expect(page.locator("#b-territory-chosen")).to_have_text("Choisissez un territoire dans la liste proposée.")
    expect(page.locator("#b-snippet")).not_to_have_value(re.compile("territory="))
    assert_clean(page)
