"""manage.py render_map: options read like the API's parameters, a file written, a summary."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from geofinder.places.models import Place
from tests.maps.helpers import marker_rows

LABEGE = "1.5206,43.5391"


def render(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("render_map", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def in_department(slug: str, code: str) -> int:
    return Place.objects.filter(category__slug=slug, commune__department__code=code).exclude(
        status=Place.Status.PERMANENTLY_CLOSED
    ).count()


def test_the_issue_example_writes_the_map_and_prints_a_summary(db, tmp_path):
    out_file = tmp_path / "maps" / "nested" / "boulangeries-31.html"  # folders created
    stdout, _ = render("--category", "boulangerie", "--territory", "department:31", "--out", str(out_file))
    expected = in_department("boulangerie", "31")
    assert expected >= 1
    page = out_file.read_text(encoding="utf-8")
    assert len(marker_rows(page)) == expected
    assert "<title>Boulangerie — Haute-Garonne (31)</title>" in page
    size_kb = out_file.stat().st_size / 1024
    places = "1 place" if expected == 1 else f"{expected} places"
    assert stdout.strip() == f"{places} (Boulangerie {expected}) → {out_file} ({size_kb:,.0f} KB)"


def test_categories_repeated_or_comma_separated_make_one_layer_each(db, tmp_path):
    counts = (in_department("boucherie-charcuterie", "31"), in_department("restaurant", "31"))
    layers = f"(Restaurant {counts[1]}, Boucherie-charcuterie {counts[0]})"  # in the order asked
    repeated, _ = render("--category", "restaurant", "--category", "boucherie-charcuterie",
                         "--territory", "department:31", "--out", str(tmp_path / "a.html"))
    commas, _ = render("--category", "restaurant,boucherie-charcuterie",
                       "--territory", "department:31", "--out", str(tmp_path / "b.html"))
    assert layers in repeated and layers in commas
    assert (tmp_path / "b.html").read_text(encoding="utf-8").count("L.markerClusterGroup(") == 2


def test_a_radius_around_a_place_and_the_open_filter(make_place, tmp_path):
    always = make_place(name="Toujours ouverte", opening_hours="24/7")
    never = make_place(name="Jamais ouverte", opening_hours="off")
    out_file = tmp_path / "open.html"
    render("--category", "boulangerie", "--near", LABEGE, "--radius", "50", "--open", "2026-12-24T12:00",
           "--out", str(out_file))
    page = out_file.read_text(encoding="utf-8")
    ids = {row[0] for row in marker_rows(page)}
    assert always.id in ids and never.id not in ids
    assert "Lieux ouverts le 24/12/2026 à 12:00" in page
    assert "à 0,05 km de Position 1.52060, 43.53910" in page


def test_tiles_from_the_setting_an_option_or_none(db, tmp_path, settings):
    settings.GEOFINDER_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    args = ["--category", "boulangerie", "--territory", "department:31"]
    render(*args, "--out", str(tmp_path / "default.html"))
    assert '"https://tiles.example.org/{z}/{x}/{y}.png"' in (tmp_path / "default.html").read_text()
    render(*args, "--tiles", "https://other.example.net/{z}/{x}/{y}.png", "--tiles-attribution", "Other tiles",
           "--out", str(tmp_path / "option.html"))
    option = (tmp_path / "option.html").read_text()
    assert '"https://other.example.net/{z}/{x}/{y}.png"' in option and "tiles.example.org" not in option
    assert '"attribution": "Other tiles"' in option
    render(*args, "--tiles", "none", "--out", str(tmp_path / "none.html"))
    assert "L.tileLayer(" not in (tmp_path / "none.html").read_text()


def test_title_option_and_a_name_search_warning(make_place, tmp_path):
    make_place(name="Chez Marcel et Fils")
    out_file = tmp_path / "marcel.html"
    _, stderr = render("--what", "chez marcel", "--territory", "commune:31254", "--title", "Marcel & co",
                       "--out", str(out_file))
    assert "no category recognised, searching place names" in stderr
    page = out_file.read_text(encoding="utf-8")
    assert "<title>Marcel &amp; co</title>" in page
    assert any("Chez Marcel et Fils" in row[3] for row in marker_rows(page))


@pytest.mark.parametrize(
    "args, message",
    [
        (["--category", "boulangrie", "--territory", "department:31"],
         "--category: unknown category 'boulangrie'; see /api/v1/categories/ (close: boulangerie"),
        (["--category", "boulangerie", "--territory", "department:999"], "--territory: no department with code '999'"),
        (["--category", "boulangerie", "--territory", "canton:31"], "--territory: expected <kind>:<INSEE code>"),
        (["--category", "boulangerie", "--near", "200,43", "--radius", "500"],
         "--near: longitude 200 is out of range [-180, 180]"),
        (["--category", "boulangerie", "--near", LABEGE], "--radius: a map around a point or a place needs a radius"),
        (["--category", "boulangerie", "--near", LABEGE, "--radius", "-3"], "--radius: must be more than 0"),
        (["--category", "boulangerie", "--territory", "department:31", "--open", "demain"], "--open: expected 'now'"),
        (["--category", "boulangerie", "--territory", "department:31", "--services", "wifi"],
         "--services: unknown service 'wifi'"),
        (["--category", "boulangerie", "--what", "pain", "--territory", "department:31"],
         "--category: give either category or what, not both"),
        ([], "--territory: give what to show"),
    ],
)
def test_bad_options_name_the_option(db, tmp_path, args, message):
    out_file = tmp_path / "never.html"
    with pytest.raises(CommandError) as caught:
        render(*args, "--out", str(out_file))
    assert str(caught.value).startswith("Invalid options: ")
    assert message in str(caught.value)
    assert not out_file.exists()


def test_every_wrong_option_is_reported_at_once(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        render("--category", "boulangrie", "--near", "200,43", "--out", str(tmp_path / "x.html"))
    assert re.findall(r"--(\w+):", str(caught.value)) == ["category", "near", "radius"]


def test_out_is_required(db):
    with pytest.raises(CommandError, match="--out"):
        call_command("render_map", "--category", "boulangerie")
