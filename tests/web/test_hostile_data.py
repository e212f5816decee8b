"""Hostile data on the map page and the embed, in Chromium with the Content-Security-Policy
switched off (bypass_csp): what keeps the reader safe is the page itself (geofinder/web/static/
web/js: text nodes only, links.js). The payloads are those of tests/hostile.py.

The rows are written through a connection of the test's own, committed, so that the server sees
them, and put back after the test (the opening_hours fixture of conftest.py does the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from psycopg import sql

from tests.hostile import IMG, LINKS, NAMES, NOT_LINKS, SVG
from tests.servers import own_connection
from tests.web.test_browser import LABEGE, assert_clean, nearest_boulangeries, results

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

HOME = f"/?category=boulangerie&near={LABEGE[0]},{LABEGE[1]}"
EMBED = f"/embed/?categories=boulangerie&center={LABEGE[0]},{LABEGE[1]}&zoom=11"
WEBSITES = (*NOT_LINKS, *LINKS)
# E-mails and phones: a link only for an address of their kind, the value as text otherwise.
EMAILS = {"contact@boulangerie.example.fr": "mailto:contact@boulangerie.example.fr",
          "javascript:window.__pwned=1": None, "a@example.fr?bcc=b@example.fr": None, IMG: None}
PHONES = {"+33 5 61 00 00 00": "tel:+33561000000", "javascript:window.__pwned=1": None, SVG: None}
COLUMNS = ("name", "street", "city", "website", "shop_url", "email", "phone")
# A commune without places whose postcode is its own (31750): its name becomes the search's label.
ESCALQUENS = "31169"
COMMUNE = 'Escalquens <img src=x onerror="window.__pwned=1"> {{7*7}}'


@dataclass
class Hostile:
    id: int
    name: str
    street: str
    city: str
    website: str
    shop_url: str
    email: str
    phone: str

    @property
    def address(self) -> str:
        return f"{self.street}, 31000 {self.city}"


def rewrite_rows(own, table: str, rows: dict[int, dict[str, str]]) -> dict[int, dict[str, str]]:
    """Set these columns of these rows; gives what they held (to put back with the same call)."""
    saved = {}
    for row_id, values in rows.items():
        columns = [sql.Identifier(column) for column in values]
        select = sql.SQL("SELECT {} FROM {} WHERE id = %s").format(sql.SQL(", ").join(columns), sql.Identifier(table))
        saved[row_id] = dict(zip(values, own.execute(select, [row_id]).fetchone()))
        update = sql.SQL("UPDATE {} SET {} WHERE id = %s").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.SQL("{} = %s").format(column) for column in columns)
        )
        own.execute(update, [*values.values(), row_id])
    return saved


@pytest.fixture
def hostile_places():
    """The boulangeries nearest Labège, named, addressed and linked with the payloads."""
    from django.db import connection

    places = [
        Hostile(
            id=place_id, name=name, street=NAMES[(index + 1) % len(NAMES)], city=IMG,
            website=WEBSITES[index % len(WEBSITES)], shop_url=WEBSITES[(index + len(NAMES)) % len(WEBSITES)],
            email=list(EMAILS)[index % len(EMAILS)], phone=list(PHONES)[index % len(PHONES)],
        )
        for index, (place_id, name) in enumerate(zip(nearest_boulangeries(len(NAMES)), NAMES))
    ]
    rows = {place.id: {column: getattr(place, column) for column in COLUMNS} for place in places}
    for values in rows.values():
        values["postcode"] = "31000"
    with own_connection(connection.settings_dict) as own:
        saved = rewrite_rows(own, "places_place", rows)
        try:
            yield places
        finally:
            rewrite_rows(own, "places_place", saved)


@pytest.fixture
def hostile_commune():
    from django.db import connection

    with own_connection(connection.settings_dict) as own:
        # The 2018 commune and the commune of today (the labels' names) alike.
        (commune_id,) = own.execute("SELECT id FROM territories_commune WHERE code = %s", [ESCALQUENS]).fetchone()
        (today_id,) = own.execute("SELECT id FROM territories_currentcommune WHERE code = %s", [ESCALQUENS]).fetchone()
        saved = rewrite_rows(own, "territories_commune", {commune_id: {"name": COMMUNE}})
        saved_today = rewrite_rows(own, "territories_currentcommune", {today_id: {"name": COMMUNE}})
        try:
            yield COMMUNE
        finally:
            rewrite_rows(own, "territories_commune", saved)
            rewrite_rows(own, "territories_currentcommune", saved_today)


def watch(page) -> list[str]:
    """The messages of the dialogs the page opens (none expected), dismissed."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


# True once the marker titled `title` lies inside the map and has not moved since the last poll.
MARKER_SETTLED = """([title]) => {
  const map = document.getElementById("gf-map").getBoundingClientRect();
  const marker = [...document.querySelectorAll("#gf-map .gf-marker")].find((m) => m.title === title);
  if (!marker) return false;
  const box = marker.getBoundingClientRect();
  const where = `${box.left},${box.top}`;
  const still = window.__markerBox === where;
  window.__markerBox = where;
  return still && box.top >= map.top && box.bottom <= map.bottom && box.left >= map.left && box.right <= map.right;
}"""


def wait_for_marker_in_view(page, title: str) -> None:
    """Selecting a place zooms into its cluster, then pans to it: wait until both are done."""
    page.wait_for_function(MARKER_SETTLED, arg=[title], polling=250)


def assert_nothing_ran(page, dialogs: list[str]) -> None:
    page.wait_for_load_state("networkidle")  # an injected <img src=x> would have failed by now
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert_clean(page)  # no script error (a refused link would be one), nothing fetched outside


@pytest.mark.parametrize("path", [HOME, EMBED], ids=["page", "embed"])
def test_names_addresses_and_links_stay_text(page_without_csp, sites, hostile_places, path):
    page = page_without_csp
    dialogs = watch(page)
    page.goto(sites.geofinder + path)
    expect(results(page)).to_have_count(30)
    for place in hostile_places:
        # The list.
        item = page.locator(f'#gf-results .gf-result[data-id="{place.id}"]')
        assert item.locator(".gf-result-name").text_content() == place.name
        assert item.locator(".gf-result-address").text_content() == place.address
        assert item.locator("img, script, iframe").count() == 0
        # The detail panel.
        item.click()
        detail = page.locator("#gf-detail")
        expect(detail.locator("h2")).to_have_text(place.name)
        assert detail.locator("h2").text_content() == place.name
        values = detail.locator("dd").all_text_contents()
        assert place.address in values
        links = dict(detail.locator("dd a").evaluate_all("links => links.map((a) => [a.href, a.textContent])"))
        for value in (place.website, place.shop_url):
            if value in LINKS:
                assert LINKS[value] in links
            else:
                assert value in values  # shown as typed, not linked
        expected_contacts = {EMAILS[place.email], PHONES[place.phone]} - {None}
        assert set(links) == {LINKS[v] for v in (place.website, place.shop_url) if v in LINKS} | expected_contacts
        for contact in (place.email, place.phone):
            assert contact in values
        assert detail.locator("img, script, iframe").count() == 0
        assert detail.locator("svg").count() == detail.locator(".gf-symbol svg").count()  # the status symbol
        # Hovering its marker (brought into view by the selection) shows the name as text.
        wait_for_marker_in_view(page, place.name)
        page.locator("#gf-map").get_by_title(place.name, exact=True).hover()
        tooltip = page.locator("#gf-map .leaflet-tooltip")
        expect(tooltip).to_have_count(1)
        assert tooltip.text_content() == place.name
        assert tooltip.locator("img, svg, script").count() == 0
        page.keyboard.press("Escape")  # close the panel
        expect(detail).to_be_hidden()
    assert_nothing_ran(page, dialogs)


# The search centre is not interactive, so no hover ever opens its tooltip: the page is given a
# way to open it as Leaflet would (the layers a tooltip is bound to, kept as Leaflet loads).
KEEP_TOOLTIP_LAYERS = """
(() => {
  let leaflet;
  window.__tooltipLayers = [];
  Object.defineProperty(window, "L", {
    configurable: true,
    get: () => leaflet,
    set: (value) => {
      leaflet = value;
      const bind = value.Layer.prototype.bindTooltip;
      value.Layer.prototype.bindTooltip = function (...args) {
        window.__tooltipLayers.push(this);
        return bind.apply(this, args);
      };
    },
  });
})();
"""


def test_a_place_name_from_the_gazetteer_stays_text(page_without_csp, sites, hostile_commune):
    page = page_without_csp
    dialogs = watch(page)
    page.add_init_script(KEEP_TOOLTIP_LAYERS)
    page.goto(f"{sites.geofinder}/?category=boulangerie&where=31750")
    expect(results(page)).to_have_count(30)
    label = f"31750 {hostile_commune}"
    status = page.locator("#gf-status").text_content()
    assert status.startswith("30 résultats, de ") and status.endswith(f" km de {label}.")  # far: distances said
    # The territory filter offers the commune by its name.
    expect(page.locator("#gf-territory option[value='commune:31169']")).to_have_text(f"Commune : {hostile_commune}")
    page.evaluate("() => window.__tooltipLayers.filter((l) => l instanceof L.CircleMarker).at(-1).openTooltip()")
    tooltip = page.locator("#gf-map .leaflet-tooltip")
    assert tooltip.text_content() == label
    assert page.locator("#gf-map .leaflet-tooltip img, #gf-status img, #gf-territory img").count() == 0
    # The embed of that commune searches around its middle, named after it.
    page.goto(f"{sites.geofinder}/embed/?categories=boulangerie&territory=commune:{ESCALQUENS}")
    expect(page.locator("#gf-status")).not_to_have_text("")
    assert page.get_by_label("Où ?").input_value() == hostile_commune
    assert_nothing_ran(page, dialogs)


def test_words_typed_by_the_reader_come_back_as_text(page_without_csp, sites):
    page = page_without_csp
    dialogs = watch(page)
    page.goto(f"{sites.geofinder}/")
    page.get_by_label("Quoi ?").fill(SVG)
    page.get_by_label("Où ?").fill(IMG)
    page.get_by_role("button", name="Rechercher").click()
    errors = page.locator("#gf-errors")
    expect(errors).to_be_visible()
    assert IMG in errors.text_content()  # the API's message quotes the place typed
    assert errors.locator("img, svg").count() == 0
    assert page.get_by_label("Où ?").input_value() == IMG
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    # Chromium logs the API's 400 answer itself; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


# A merchant's announcement and closure reason, typed with the payloads.
ANNOUNCEMENT_TITLE = 'Promo {{7*7}} <img src=x onerror="window.__pwned=1">'
ANNOUNCEMENT_TEXT = 'Samedi </script><script>window.__pwned=1</script> <svg onload="window.__pwned=1">'
CLOSURE_REASON = 'Travaux <b onmouseover="window.__pwned=1">'


@pytest.fixture
def hostile_merchant_texts():
    """An announcement running today and a closure of the boulangerie nearest Labège, committed
    (the triggers keep the place's announced_until), removed after the test."""
    from django.db import connection
    from django.utils import timezone

    place_id = nearest_boulangeries(1)[0]
    today = timezone.localdate()
    with own_connection(connection.settings_dict) as own:
        (announcement,) = own.execute(
            'INSERT INTO places_announcement (kind, title, text, start, "end", created_at, place_id) '
            "VALUES ('promotion', %s, %s, %s, %s, now(), %s) RETURNING id",
            [ANNOUNCEMENT_TITLE, ANNOUNCEMENT_TEXT, today, today + timedelta(days=30), place_id],
        ).fetchone()
        (closure,) = own.execute(
            'INSERT INTO places_placeclosure (start, "end", reason, place_id) VALUES (%s, %s, %s, %s) RETURNING id',
            [today, today, CLOSURE_REASON, place_id],  # today: in the detail's week
        ).fetchone()
        try:
            yield place_id
        finally:
            own.execute("DELETE FROM places_announcement WHERE id = %s", [announcement])
            own.execute("DELETE FROM places_placeclosure WHERE id = %s", [closure])


@pytest.mark.parametrize("path", [HOME, EMBED], ids=["page", "embed"])
def test_a_merchants_announcement_and_closure_stay_text(page_without_csp, sites, hostile_merchant_texts, path):
    page = page_without_csp
    dialogs = watch(page)
    page.goto(sites.geofinder + path)
    expect(results(page)).to_have_count(30)
    page.locator(f'#gf-results .gf-result[data-id="{hostile_merchant_texts}"]').click()
    detail = page.locator("#gf-detail")
    announcement = detail.locator(".gf-announcement")
    expect(announcement).to_have_count(1)
    assert announcement.locator("strong").text_content() == ANNOUNCEMENT_TITLE
    assert announcement.locator("span").text_content() == ANNOUNCEMENT_TEXT
    assert detail.locator("img, script, iframe, b").count() == 0
    assert detail.locator("svg").count() == detail.locator(".gf-symbol svg").count()  # the status symbol
    assert CLOSURE_REASON not in page.content()  # not shown, and never as markup
    # The marker's tooltip: the name, then the announcement's title, as text.
    name = page.locator("#gf-detail h2").text_content()
    wait_for_marker_in_view(page, name)
    page.locator("#gf-map").get_by_title(name, exact=True).hover()
    tooltip = page.locator("#gf-map .leaflet-tooltip")
    expect(tooltip).to_have_count(1)
    assert tooltip.text_content() == f"{name} · {ANNOUNCEMENT_TITLE}"
    assert tooltip.locator("img, svg, script").count() == 0
    assert_nothing_ran(page, dialogs)
