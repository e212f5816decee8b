"""An export re-imported gives back the same places: import_osm (GeoJSON), import_csv (CSV)."""

import json

import pytest
from django.core.management import call_command

from geofinder.places.models import Place
from tests.exports.helpers import export

pytestmark = pytest.mark.django_db

PUBS = "osm/toulouse-pubs_2017-01-11_overpass.geojson"
# Haute-Garonne: Alim'confiance places and the real OpenStreetMap pubs of Toulouse.
PARAMS = {"territory": "department:31"}
COMMANDS = {"geojson": ("import_osm", {}), "csv": ("import_csv", {"format": "geofinder"})}
FIELDS = [
    "source", "source_id", "name", "category__slug", "street", "postcode", "city", "commune__code", "phone",
    "email", "website", "shop_url", "click_and_collect", "delivery", "takeaway", "appointment", "opening_hours",
    "opening_hours_warning", "status", "location_precision", "extra", "content_hash",
]


# Values a spreadsheet would take for formulas (the CSV export puts a quote before them), and
# values that start with a quote already.
FORMULA_TAGS = [
    {"name": '=HYPERLINK("http://x","y")', "phone": "+33 5 61 00 00 00", "addr:street": "-"},
    {"name": "@RESTAURANT", "addr:city": "\tToulouse", "email": "\rpub@example.org"},
    {"name": "'t Hoekje", "website": "'quoted", "addr:postcode": "''31000", "addr:street": "=1+1"},
]


@pytest.fixture
def places_31(data_dir, tmp_path):
    """Haute-Garonne's places, with the real OSM pubs of Toulouse; one of them with a name that
    CSV must quote and a secondary category, others with values that start like spreadsheet
    formulas (through the import: the one write path)."""
    pubs = json.loads((data_dir / PUBS).read_text(encoding="utf-8"))
    tags = pubs["features"][0]["properties"]
    tags.update({"name": 'Le "Pub", Toulouse\nchez Txus', "cuisine": "pizza", "phone": "05 61 00 00 00"})
    for feature, planted in zip(pubs["features"][1:], FORMULA_TAGS):
        feature["properties"].update(planted)
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps(pubs), encoding="utf-8")
    call_command("import_osm", str(path), report=tmp_path / "osm.json", no_progress=True, verbosity=0)
    places = Place.objects.filter(commune__department__code="31")
    assert places.filter(secondary_categories__isnull=False, source="osm").exists()
    assert places.filter(name="'t Hoekje", postcode="''31000", street="=1+1").exists()
    return places


def snapshot(places) -> dict:
    rows = {}
    for place in places.order_by("id"):
        values = {name: value for name, value in zip(FIELDS, places.filter(pk=place.pk).values_list(*FIELDS).get())}
        values["lon"], values["lat"] = place.location.x, place.location.y
        values["secondary"] = sorted(place.secondary_categories.values_list("slug", flat=True))
        rows[(place.source, place.source_id)] = values
    return rows


def reimport(fmt: str, path, tmp_path) -> dict:
    command, options = COMMANDS[fmt]
    report = tmp_path / f"{fmt}-report.json"
    call_command(command, str(path), report=report, no_progress=True, verbosity=0, **options)
    return json.loads(report.read_text())


# The GeoJSON exports in both layouts of their properties (nested, and flat as the CSV's columns).
LAYOUTS = {"geojson": ("geojson", {}), "geojson-flat": ("geojson", {"properties": "flat"}), "csv": ("csv", {})}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_reimporting_an_export_changes_nothing_then_recreates_deleted_places(client, places_31, tmp_path, layout):
    fmt, options = LAYOUTS[layout]
    before = snapshot(places_31)
    assert {source for source, _ in before} == {"alimconfiance", "osm"} and len(before) > 60
    response, body = export(client, fmt, {**PARAMS, **options})
    if options:
        assert b'"category_slug":' in body and b'"category":{' not in body
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(body)
    if fmt == "csv":  # neutralised in the file, restored by the reader
        assert b'"\'=HYPERLINK(""http://x"",""y"")"' in body and b'"\'\'\'31000"' in body

    report = reimport(fmt, path, tmp_path)
    assert (report["created"], report["updated"], report["rejected_count"]) == (0, 0, 0)
    assert report["unchanged"] == len(before) == report["rows_read"]

    Place.objects.filter(pk__in=places_31.values("pk")).delete()
    report = reimport(fmt, path, tmp_path)
    assert (report["created"], report["updated"], report["unchanged"]) == (len(before), 0, 0)
    after = snapshot(Place.objects.filter(commune__department__code="31"))
    assert after.keys() == before.keys()
    for key, values in before.items():
        again = after[key]
        assert (again["lon"], again["lat"]) == pytest.approx((values["lon"], values["lat"]), abs=1e-7)
        assert again == values  # every field, the content hash included: a later import sees them unchanged
