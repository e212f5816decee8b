"""render_map: a self-contained folium page of every place a search finds, escaped, with opening
statuses that the page re-evaluates (geofinder/maps/render.py, popup.py, opening.py)."""

import html as html_lib
import os
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict

from geofinder.maps.opening import HORIZON_DAYS, opening_timeline
from geofinder.maps.popup import safe_url
from geofinder.maps.query import map_query_from
from geofinder.maps.render import render_map
from geofinder.opening import evaluate
from geofinder.places.models import Place
from geofinder.search.contract import search_query_from
from geofinder.search.errors import ParamErrors
from geofinder.search.query import MAX_LIMIT
from tests.maps.helpers import marker_rows, opening_data, popups_by_id, tags

PARIS = ZoneInfo("Europe/Paris")
# Wednesday 23 December 2026, 10:00 in Toulouse: Christmas (a public holiday) is two days ahead.
T0 = datetime(2026, 12, 23, 10, 0, tzinfo=PARIS)
HOURS = "Mo-Sa 08:00-19:00; PH off"


def matching(category: str, department: str):
    return Place.objects.filter(category__slug=category, commune__department__code=department).exclude(
        status=Place.Status.PERMANENTLY_CLOSED
    )


def test_every_place_of_the_territory_beyond_the_api_limit(db):
    expected = set(matching("restaurant", "84").values_list("id", flat=True))
    assert len(expected) > MAX_LIMIT  # the real data: Vaucluse has more restaurants than one API page
    query = map_query_from({"category": "restaurant", "territory": "department:84"})
    rendered = render_map(query=query, tiles="", now=T0)
    assert rendered.count == len(expected)
    assert {row[0] for row in marker_rows(rendered.html)} == expected
    assert rendered.layers == [("Restaurant", len(expected))]


def test_page_is_self_contained(db):
    query = map_query_from({"category": "restaurant", "territory": "department:31"})
    page = render_map(query=query, now=T0).html
    for tag, attrs in tags(page):
        assert not (tag == "script" and attrs.get("src")), attrs
        assert tag != "link", attrs  # no stylesheet loaded from anywhere
    # Leaflet and markercluster inlined, folium's CDN extras (jQuery, Bootstrap, awesome-markers) left out.
    assert "Leaflet 1.9.4" in page and "L.MarkerClusterGroup" in page
    for absent in ("jquery", "bootstrap", "awesome-markers", "cdn.jsdelivr", "cdnjs", "$(`"):
        assert absent not in page.lower()
    # Images of Leaflet's CSS inlined; the tiles URL (a setting) is the only network address used.
    assert "url(images/" not in page and "data:image/png;base64," in page
    assert '"https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in page


def test_one_clustered_layer_per_category_with_a_layer_control(db):
    counts = {slug: matching(slug, "31").count() for slug in ("restaurant", "boucherie-charcuterie")}
    assert all(counts.values())
    query = map_query_from({"category": "boucherie-charcuterie,restaurant", "territory": "department:31"})
    rendered = render_map(query=query, tiles="", now=T0)
    # Layers in the order asked (what.categories), each a markercluster group listed in the control.
    assert rendered.layers == [
        ("Boucherie-charcuterie", counts["boucherie-charcuterie"]),
        ("Restaurant", counts["restaurant"]),
    ]
    page = rendered.html
    assert page.count("L.markerClusterGroup(") == 2
    assert f'"Boucherie-charcuterie ({counts["boucherie-charcuterie"]})" : marker_cluster_' in page
    assert f'"Restaurant ({counts["restaurant"]})" : marker_cluster_' in page
    assert '"Limite : Haute-Garonne" : boundary_layer_' in page
    assert "L.control.layers(" in page
    assert "<h1>Boucherie-charcuterie, Restaurant — Haute-Garonne (31)</h1>" in page


def test_popup_shows_the_details_of_the_place(make_place):
    place = make_place(
        name="Au Bon Pain", street="3 rue de la Poste", postcode="31670", city="Labège", phone="05 61 00 00 00",
        website="https://boulangerie.example.fr/", delivery=True, opening_hours=HOURS,
    )
    query = map_query_from({"category": "boulangerie", "near": "1.5206,43.5391", "radius": "50"})
    popup = popups_by_id(render_map(query=query, tiles="", now=T0).html)[place.id]
    for text in ("Au Bon Pain", "Boulangerie", "3 rue de la Poste", "31670 Labège", "Tél. 05 61 00 00 00",
                 "Services : livraison", "Horaires de la semaine du 21/12/2026", "<li>lundi : 08:00–19:00</li>",
                 '<li class="gf-today">mercredi : 08:00–19:00</li>', "<li>vendredi : fermé (Jour férié)</li>",
                 "<li>dimanche : fermé</li>"):
        assert text in popup
    assert HOURS not in popup  # the week in words, not the OSM syntax
    assert '<a href="https://boulangerie.example.fr/" target="_blank" rel="noopener noreferrer">Site web</a>' in popup
    # Status at the render instant, stamped; the page replaces it when the popup opens.
    status = evaluate(HOURS, at=T0, department_code="31")
    assert status.label == "Ouvert · ferme à 19:00"
    assert f'data-place="{place.id}"' in popup and f">{status.label}</span>" in popup
    assert "statut calculé le 23/12/2026 à 10:00" in popup


def test_names_addresses_and_websites_are_escaped(make_place):
    place = make_place(
        name="<script>alert(1)</script>",
        street='"quotes" & ampersands',
        city="<img src=x onerror=\"document.title='pwned'\">",
        website="javascript:alert(1)",
        opening_hours="Mo-Fr 08:00-12:00 \"</script><script>alert(2)</script>\"",
    )
    query = map_query_from({"category": "boulangerie", "near": "1.5206,43.5391", "radius": "50"})
    page = render_map(query=query, tiles="", now=T0).html
    # Nothing breaks out of the inline scripts: the page has only the script elements it should
    # (Leaflet, markercluster and the opening-status script inlined, folium's switches, the
    # timelines' JSON, the legend's folding on phones and folium's map script).
    assert [tag for tag, _attrs in tags(page)].count("script") == 7
    assert [tag for tag, _attrs in tags(page) if tag == "img"] == []
    assert "<script>alert" not in page and "</script><script>alert" not in page
    row = next(row for row in marker_rows(page) if row[0] == place.id)
    popup, tooltip = row[3], row[4]
    assert "<strong class=\"gf-name\">&lt;script&gt;alert(1)&lt;/script&gt;</strong>" in popup
    assert "&quot;quotes&quot; &amp; ampersands" in popup
    assert "&lt;img src=x onerror=&quot;document.title=&#x27;pwned&#x27;&quot;&gt;" in popup
    assert "javascript:" not in popup.replace("Site web : javascript:alert(1)", "")
    assert "href" not in popup
    assert tooltip == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html_lib.unescape(tooltip) == place.name


def test_title_is_escaped(db):
    query = map_query_from({"category": "restaurant", "territory": "commune:31555"})
    page = render_map(query=query, title="Restos <b>& bars</b>", tiles="", now=T0).html
    assert "<title>Restos &lt;b&gt;&amp; bars&lt;/b&gt;</title>" in page
    assert "<h1>Restos &lt;b&gt;&amp; bars&lt;/b&gt;</h1>" in page


def test_opening_timelines_are_embedded_and_the_computation_is_stamped(make_place):
    with_hours = make_place(name="Ouverte", opening_hours=HOURS)
    without = make_place(name="Sans horaires")
    query = map_query_from({"category": "boulangerie", "near": "1.5206,43.5391", "radius": "50"})
    page = render_map(query=query, tiles="", now=T0).html
    data = opening_data(page)
    assert data["computed"] == T0.timestamp() * 1000
    assert data["until"] == (T0 + timedelta(days=HORIZON_DAYS)).timestamp() * 1000
    assert str(without.id) not in data["places"]  # "Horaires inconnus" whatever the day
    timeline = data["timelines"][data["places"][str(with_hours.id)]]
    assert timeline["z"] == "Europe/Paris"
    first = timeline["p"][0]
    assert first[:2] == [T0.timestamp() * 1000, "open"]
    assert first[2] == [datetime(2026, 12, 23, 19, 0, tzinfo=PARIS).timestamp() * 1000, "19:00", "mercredi", "23/12"]
    # Christmas: closed all day for the public holiday, said so.
    christmas = datetime(2026, 12, 25, tzinfo=PARIS).timestamp() * 1000
    assert [christmas, "closed"] == next(piece[:2] for piece in timeline["p"] if piece[0] == christmas)
    assert next(piece[3] for piece in timeline["p"] if piece[0] == christmas) == "Fermé · jour férié"
    assert "Statuts d&#x27;ouverture calculés le 23/12/2026 à 10:00 (heure de Paris)" in page
    assert "réévalués à l&#x27;ouverture de chaque fiche jusqu&#x27;au 06/01/2027" in page
    assert popups_by_id(page)[without.id].count("statut calculé") == 0


@pytest.mark.parametrize(
    "raw, department",
    [
        (HOURS, "31"),
        ("Mo-Sa 08:00-19:00; PH off", "67"),  # Alsace: 26 December is a holiday there too
        ("Tu-Su 18:00-02:00", "31"),  # nights past midnight
        ("Mo-Fr 09:00-17:00", "974"),  # La Réunion: its own time zone
        ("24/7", "31"),
    ],
)
def test_timeline_gives_the_status_evaluate_gives_at_any_instant(raw, department):
    timeline = opening_timeline(raw, start=T0, department_code=department)
    for hours in range(0, HORIZON_DAYS * 24, 5):
        instant = T0 + timedelta(hours=hours, minutes=17)
        piece = piece_at(timeline.pieces, instant)
        expected = evaluate(raw, at=instant, department_code=department)
        assert (piece.state, piece.change) == (expected.state, expected.next_change), instant
        if expected.label in ("Fermé · jour férié", "Fermé · fermeture exceptionnelle"):
            assert piece.note == expected.label


def piece_at(pieces, instant):
    return [piece for piece in pieces if piece.start <= instant][-1]


def test_alsace_moselle_second_christmas_day_is_a_holiday():
    boxing_day_noon = datetime(2026, 12, 26, 12, 0, tzinfo=PARIS)  # a Saturday
    strasbourg = piece_at(opening_timeline(HOURS, start=T0, department_code="67").pieces, boxing_day_noon)
    assert (strasbourg.state, strasbourg.note) == ("closed", "Fermé · jour férié")
    assert strasbourg.change == datetime(2026, 12, 28, 8, 0, tzinfo=PARIS)
    toulouse = piece_at(opening_timeline(HOURS, start=T0, department_code="31").pieces, boxing_day_noon)
    assert (toulouse.state, toulouse.change) == ("open", datetime(2026, 12, 26, 19, 0, tzinfo=PARIS))


def test_map_query_reads_the_api_parameters_as_an_export(db):
    # Every bakery of France: no location needed, no limit.
    query = map_query_from({"category": "boulangerie"})
    assert query.where is None and query.territory is None
    with pytest.raises(ParamErrors) as caught:
        map_query_from({})
    assert list(caught.value.errors) == ["territory"]
    with pytest.raises(ParamErrors) as caught:
        map_query_from({"category": "boulangerie", "near": "1.52,43.54"})
    assert list(caught.value.errors) == ["radius"]
    # The same wrong values get the API's messages.
    bad = {"category": "boulangrie", "near": "200,43", "radius": "-5", "services": "wifi", "territory": "department:31"}
    with pytest.raises(ParamErrors) as from_map:
        map_query_from(bad)
    params = QueryDict(mutable=True)
    params.update(bad)
    with pytest.raises(ParamErrors) as from_api:
        search_query_from(params, export=True)
    assert from_map.value.errors == from_api.value.errors
    assert set(from_map.value.errors) == {"category", "near", "radius", "services"}


@pytest.mark.parametrize(
    "value, url",
    [
        ("https://example.fr/a?b=1&c=2", "https://example.fr/a?b=1&c=2"),
        ("www.example.fr", "https://www.example.fr"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("mailto:a@example.fr", None),
        ("http://exa mple.fr", None),
        ("", None),
        # Read as a browser reads an href: controls and spaces around stripped, tab/CR/LF removed.
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        (" \x01javascript:alert(1)", None),
        ("\x00JaVaScRiPt:alert(1)", None),
        ("vbscript:alert(1)", None),
        ("http:javascript:alert(1)", None),
        ("https://example.fr/\x7f", None),
        (" \x1fhttps://example.fr/a\n", "https://example.fr/a"),
        ("ht\ttps://example.fr", "https://example.fr"),
        ("HTTPS://example.fr", "HTTPS://example.fr"),
    ],
)
def test_only_http_addresses_become_links(value, url):
    assert safe_url(value) == url


# As the web pages' browser tests (tests/web/conftest.py): GEOFINDER_CHROMIUM or Debian's chromium.
CHROMIUM = shutil.which(os.environ.get("GEOFINDER_CHROMIUM", "/usr/bin/chromium"))


def browser_dom(page: Path, fragment: str) -> str:
    """The DOM of a page in headless Chromium, offline, once its scripts have run."""
    completed = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--window-size=1200,800",
         "--virtual-time-budget=5000", "--dump-dom", f"{page.as_uri()}#{fragment}"],
        capture_output=True, text=True, timeout=90, check=True,
    )
    return completed.stdout


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
@pytest.mark.parametrize(
    "at, status, stamp",
    [
        # Christmas Eve, half an hour before closing.
        ("2026-12-24T18:30:00+01:00", "Ouvert · ferme à 19:00", "statut au 24/12/2026 à 18:30"),
        # Christmas Eve evening: Christmas is off, so it opens on Saturday.
        ("2026-12-24T20:00:00+01:00", "Fermé · ouvre samedi à 08:00", "statut au 24/12/2026 à 20:00"),
        # Three weeks later, beyond the horizon: the stamped status, said to be so.
        ("2027-01-13T12:00:00+01:00", "Ouvert · ferme à 19:00",
         "statut calculé le 23/12/2026 à 10:00 (horaires détaillés connus jusqu'au 06/01/2027)"),
    ],
)
def test_page_shows_the_status_when_the_popup_opens(make_place, tmp_path, at, status, stamp):
    place = make_place(name="<img src=x onerror=\"document.title='pwned'\">", opening_hours=HOURS)
    query = map_query_from({"category": "boulangerie", "near": "1.5206,43.5391", "radius": "50"})
    page = tmp_path / "map.html"
    page.write_text(render_map(query=query, tiles="", now=T0).html, encoding="utf-8")
    dom = browser_dom(page, f"place={place.id}&at={quote(at)}")
    content = re.search(r'<div class="leaflet-popup-content"[^>]*>(.*?)</div>', dom).group(1)
    expected = evaluate(HOURS, at=datetime.fromisoformat(at), department_code="31").label
    if "calculé" not in stamp:
        assert status == expected  # the page says what the server would say at that instant
    assert re.search(rf'<span class="gf-status gf-\w+" data-place="{place.id}"[^>]*>{status}</span>', content)
    assert f'<small class="gf-stamp">{stamp}</small>' in content
    # The name stayed text; the markers are drawn without network.
    assert "&lt;img src=x onerror=" in content and "<title>pwned</title>" not in dom
    assert 'class="leaflet-interactive"' in dom
