"""The excel-fr CSV dialect (dialect=excel-fr): what a French spreadsheet opens right —
semicolons, UTF-8 with a byte order mark, decimal commas, codes quoted as text — and free text
still neutralised against formulas."""

import csv
import io

import pytest

from geofinder.places.models import Place
from tests.exports.helpers import csv_export, export

pytestmark = pytest.mark.django_db

AIN = {"category": "epicerie", "territory": "department:01"}


def excel_fr(client, params: dict) -> bytes:
    response, body = export(client, "csv", {**params, "dialect": "excel-fr"})
    assert response.status_code == 200, body[:300]
    assert response["Content-Type"].startswith("text/csv")
    return body


def test_excel_fr_has_a_bom_semicolons_and_codes_quoted_as_text(client):
    body = excel_fr(client, AIN)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("id;lon;lat;name;category_slug;category_label;")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    # The same places as the default dialect's, in the same order.
    assert [row["id"] for row in rows] == [row["id"] for row in csv_export(client, AIN)] != []
    assert {row["department_code"] for row in rows} == {"01"}
    # UTF-8 read as such (not "Ã‰picerie").
    assert {row["category_label"] for row in rows if row["category_slug"] == "epicerie"} == {"Épicerie"}
    # The raw cells: the codes are quoted ("01", not 01 that a spreadsheet reads as the number 1).
    first = lines[1]
    assert ';"01";' in first
    commune = rows[0]["commune_code"]
    assert f';"{commune}";' in first and commune.startswith("01")
    # Decimal commas (a French spreadsheet reads "5.2" as a date), no dot left in the numbers.
    place = Place.objects.get(pk=int(rows[0]["id"]))
    assert float(rows[0]["lon"].replace(",", ".")) == pytest.approx(place.location.x, abs=1e-9)
    assert "," in rows[0]["lat"] and "." not in rows[0]["lat"]


def test_excel_fr_keeps_formulas_neutralised(client):
    place = Place.objects.filter(category__slug="epicerie", commune__department__code="01").first()
    Place.objects.filter(pk=place.pk).update(name='=HYPERLINK("http://x";"y")', phone="+33 4 74 00 00 00")
    rows = list(csv.DictReader(io.StringIO(excel_fr(client, AIN).decode("utf-8-sig"), newline=""), delimiter=";"))
    row = next(row for row in rows if row["id"] == str(place.pk))
    assert row["name"] == '\'=HYPERLINK("http://x";"y")'
    assert row["phone"] == "'+33 4 74 00 00 00"


def test_excel_fr_distances_use_a_decimal_comma(client):
    body = excel_fr(client, {**AIN, "near": "5.2258,46.2052"})  # Bourg-en-Bresse
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))
    distances = [float(row["distance_m"].replace(",", ".")) for row in rows]
    assert distances == sorted(distances) and distances[-1] > 1000


def test_the_default_dialect_is_unchanged(client):
    rows = csv_export(client, AIN)  # comma, no BOM: what geofinder's import reads back
    response, body = export(client, "csv", AIN)
    assert not body.startswith(b"\xef\xbb\xbf") and body.startswith(b"id,lon,lat,")
    assert rows[0]["department_code"] == "01"
    assert "." in rows[0]["lon"]


@pytest.mark.parametrize("value", ["excel", "EXCEL-FR", "rfc4180,excel-fr"])
def test_an_unknown_dialect_is_a_400_naming_it(client, value):
    response, body = export(client, "csv", {**AIN, "dialect": value})
    assert response.status_code == 400
    assert "dialect" in response.json()["errors"]


def test_a_dialect_is_for_csv_only(client):
    response, body = export(client, "geojson", {**AIN, "dialect": "excel-fr"})
    assert response.status_code == 400
    assert "dialect" in response.json()["errors"]
