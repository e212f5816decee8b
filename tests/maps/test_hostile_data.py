"""Hostile data on a static map: place names, addresses, websites, category labels, a territory's
name, the title and the tiles' attribution that look like Jinja2 templates, HTML or javascript:
links are shown as typed, and nothing runs (geofinder/maps/elements.py StaticPage, popup.py).

folium used to render what its elements wrote as a second Jinja2 template: a name could run a
shell command, show 49 for {{7*7}} or abort the map. The last test opens a rendered map in
Chromium and reads it as a resident would.
"""

import html as html_lib
import re
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import folium
import pytest
from branca.element import Element, JavascriptLink
from django.core.management import call_command

from geofinder.maps.elements import OfflineMap
from geofinder.maps.page import RawHtml, StaticPage
from geofinder.maps.query import map_query_from
from geofinder.maps.render import render_map
from geofinder.places.models import Category
from geofinder.search.what import clear_category_cache
from geofinder.territories.models import Commune, CurrentCommune
from tests.hostile import COMMAND_OUTPUT, IMG, LINKS, NAMES, NOT_LINKS, SVG
from tests.maps.helpers import marker_rows, popups_by_id

T0 = datetime(2026, 12, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
LABEGE = (1.5206, 43.5391)
WEBSITES = (*NOT_LINKS, *LINKS)
BOULANGERIE = 'Boulangerie {{7*7}} <img src=x onerror="window.__pwned=1">'
FROMAGERIE = "Fromagerie {% x </script><script>window.__pwned=1</script>"
COMMUNE = 'Labège {# <svg onload="window.__pwned=1"> {{7*7}}'


@pytest.fixture
def hostile(make_place):
    """Places named, addressed and linked with every payload, in Labège, 160 m apart; two
    categories and the commune renamed too (in the test's transaction)."""
    for slug, label in (("boulangerie", BOULANGERIE), ("fromagerie", FROMAGERIE)):
        category = Category.objects.get(slug=slug)
        category.label = label
        category.save()
    Commune.objects.filter(code="31254").update(name=COMMUNE)
    CurrentCommune.objects.filter(code="31254").update(name=COMMUNE)  # the labels' name
    places = []
    for index, name in enumerate(NAMES):
        row, column = divmod(index, 3)
        places.append(make_place(
            name=name, category=("boulangerie", "fromagerie")[index % 2], commune="31254",
            lon=LABEGE[0] + 0.002 * column, lat=LABEGE[1] + 0.0015 * row,
            street=NAMES[(index + 1) % len(NAMES)], postcode="31670", city=IMG,
            phone=SVG, website=WEBSITES[index % len(WEBSITES)], shop_url=WEBSITES[(index + len(NAMES)) % len(WEBSITES)],
            opening_hours="Mo-Sa 08:00-19:00",
        ))
    yield places
    clear_category_cache()  # the process's taxonomy, read while the labels were the hostile ones


def hostile_query():
    return map_query_from({"category": "boulangerie,fromagerie", "territory": "commune:31254"})


def title():
    return f"{BOULANGERIE}, {FROMAGERIE} — {COMMUNE} (31254)"


def test_no_name_address_or_label_is_read_as_a_template(hostile):
    rendered = render_map(query=hostile_query(), tiles="", now=T0)  # no TemplateSyntaxError
    page = rendered.html
    assert COMMAND_OUTPUT not in page  # the command did not run
    rows = {row[0]: row for row in marker_rows(page)}
    popups = popups_by_id(page)
    for place in hostile:
        assert rows[place.id][4] == html_lib.escape(place.name)  # the tooltip, escaped and intact
        assert f'<strong class="gf-name">{html_lib.escape(place.name)}</strong>' in popups[place.id]
        assert f"<p>{html_lib.escape(place.street)}</p>" in popups[place.id]
    assert rendered.layers == [(BOULANGERIE, 4), (FROMAGERIE, 3)]
    # Legend and page title: escaped, as typed.
    assert f"<title>{html_lib.escape(title())}</title>" in page
    assert f"<h1>{html_lib.escape(title())}</h1>" in page
    for label, count in rendered.layers:
        assert f"{html_lib.escape(label)} ({count})</li>" in page
    # The layer control's names (HTML for Leaflet: escaped, then JSON) and the outline's name (JSON).
    assert "\\u0026lt;img src=x onerror=\\u0026quot;window.__pwned=1\\u0026quot;\\u0026gt; (4)" in page
    assert '"properties":{"name":"Labège {# \\u003Csvg onload=\\"window.__pwned=1\\"\\u003E {{7*7}}"}' in page
    # Nothing from the data closes a script or opens an element.
    assert page.count("window.__pwned=1</script>") == 0
    assert "<img src=x" not in page and "<svg onload" not in page


def test_merchants_announcements_are_in_the_popups_as_text_while_they_run(hostile):
    from datetime import timedelta

    from geofinder.places.models import Announcement

    day = T0.date()
    running, ended = hostile[0], hostile[1]
    Announcement.objects.create(place=running, kind="promotion", title=NAMES[2], text=NAMES[3],
                                start=day - timedelta(days=1), end=day)
    Announcement.objects.create(place=ended, kind="news", title="Finie hier", text="x",
                                start=day - timedelta(days=3), end=day - timedelta(days=1))
    page = render_map(query=hostile_query(), tiles="", now=T0).html
    popups = popups_by_id(page)
    assert (f'<span class="gf-announcement"><strong>{html_lib.escape(NAMES[2])}</strong> : '
            f"{html_lib.escape(NAMES[3])}</span>") in popups[running.id]
    assert "Finie hier" not in page
    assert COMMAND_OUTPUT not in page and "<img src=x" not in page and "<svg onload" not in page


def test_websites_become_links_only_for_http_addresses(hostile):
    popups = popups_by_id(render_map(query=hostile_query(), tiles="", now=T0).html)
    for place in hostile:
        hrefs = re.findall(r'<a href="([^"]*)"', popups[place.id])
        for label, value in (("Site web", place.website), ("Boutique en ligne", place.shop_url)):
            if value in LINKS:
                # The address a browser follows (LINKS gives it resolved: scheme lower-cased, "/" path).
                assert html_lib.unescape(hrefs.pop(0)).lower().rstrip("/") == LINKS[value].rstrip("/")
            else:
                assert f"<p>{label} : {html_lib.escape(value)}</p>" in popups[place.id]
        assert hrefs == []


def test_a_title_and_an_attribution_given_by_the_operator_stay_text(hostile, tmp_path):
    out = tmp_path / "map.html"
    call_command(
        "render_map", "--category", "boulangerie", "--territory", "commune:31254", "--out", str(out),
        "--title", "{{7*7}} {% if %} <b>Carte</b>", "--tiles", "https://127.0.0.1/{z}/{x}/{y}.png",
        "--tiles-attribution", "© {{7*7}} {# contributeurs", "--no-progress", stdout=StringIO(), stderr=StringIO(),
    )
    page = out.read_text(encoding="utf-8")
    assert "<title>{{7*7}} {% if %} &lt;b&gt;Carte&lt;/b&gt;</title>" in page
    # The attribution is HTML by design (a setting or an option, never data), yet not a template.
    assert '"attribution": "\\u00a9 {{7*7}} {# contributeurs"' in page
    assert "<h1>{{7*7}} {% if %} &lt;b&gt;Carte&lt;/b&gt;</h1>" in page


def test_the_page_keeps_what_elements_rendered_as_text():
    page = StaticPage()
    page.script.add_child(Element("var a = '{{ 7*7 }}';\n"), name="a")  # as MacroElement.render does
    assert isinstance(page.script._children["a"], RawHtml)
    assert "\n    var a = '{{ 7*7 }}';\n</script>" in page.render()  # as Jinja2 writes text: no trailing newline
    with pytest.raises(TypeError):  # anything else would be rendered as a template: refused
        page.header.add_child(JavascriptLink("https://cdn.example/leaflet.js"))


def test_a_folium_element_that_would_write_a_template_is_refused():
    fmap = OfflineMap(location=[43.5, 1.5], tiles=None)
    folium.Marker([43.5, 1.5], tooltip="{{7*7}}").add_to(fmap)  # branca's MacroElement.render
    with pytest.raises(TypeError, match="Marker would write its output as a template"):
        fmap.get_root().render()


@pytest.mark.browser
def test_chromium_shows_every_text_as_typed_and_runs_nothing(hostile, browser, tmp_path):
    rendered = render_map(query=hostile_query(), tiles="", now=T0)
    path = tmp_path / "map.html"
    path.write_text(rendered.html, encoding="utf-8")
    context = browser.new_context(bypass_csp=True, locale="fr-FR", timezone_id="Europe/Paris")
    elsewhere, dialogs, errors = [], [], []

    def only_the_file(route):
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for place in hostile:
            page.goto("about:blank")
            page.goto(f"{path.as_uri()}#place={place.id}")  # the page opens that place's popup
            popup = page.locator(".leaflet-popup-content")
            assert popup.locator(".gf-name").text_content() == place.name
            paragraphs = popup.locator("p").all_text_contents()
            assert place.street in paragraphs
            assert "31670 " + IMG in paragraphs
            assert "Tél. " + SVG in paragraphs
            for label, value in (("Site web", place.website), ("Boutique en ligne", place.shop_url)):
                if value not in LINKS:
                    assert f"{label} : {value}" in paragraphs
            hrefs = popup.locator("a").evaluate_all("links => links.map((a) => a.href)")
            assert set(hrefs) <= set(LINKS.values())
            assert popup.locator("img, svg, script").count() == 0
            # Hovering the marker shows its name.
            marker = page.evaluate_handle("(id) => window.geofinderMarkers[id][0].getElement()", str(place.id))
            marker.as_element().hover()
            tooltip = page.locator(".leaflet-tooltip")
            assert tooltip.text_content() == place.name
            assert tooltip.locator("*").count() == 0
        # Legend and layer control.
        legend = page.locator(".gf-legend")
        assert legend.locator("h1").text_content() == title()
        assert legend.locator("li").all_text_contents() == [f"{label} ({count})" for label, count in rendered.layers]
        names = page.locator(".leaflet-control-layers-overlays label span span").all_text_contents()
        overlays = [text.strip() for text in names]
        assert overlays == [f"Limite : {COMMUNE}", f"{BOULANGERIE} (4)", f"{FROMAGERIE} (3)"]
        assert page.title() == title()
        assert page.locator(".gf-legend img, .gf-legend svg, .leaflet-control-layers img").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert (dialogs, errors, elsewhere) == ([], [], [])
    finally:
        context.close()


def test_a_merchants_closure_reason_never_reaches_the_popup_as_markup(hostile):
    from datetime import timedelta

    from geofinder.places.models import PlaceClosure

    reason = 'Travaux {{7*7}} <b onmouseover="window.__pwned=1">'
    closed = hostile[0]
    PlaceClosure.objects.create(place=closed, start=T0.date(), end=T0.date() + timedelta(days=2), reason=reason)
    page = render_map(query=hostile_query(), tiles="", now=T0).html
    popup = popups_by_id(page)[closed.id]
    assert "fermé (Fermeture exceptionnelle)" in popup  # the closure applies (its reason is not shown today)
    # Whether the reason is shown or not, never as markup nor as a template.
    assert "<b onmouseover" not in page and "Travaux 49" not in page
