"""CSV exports neutralise spreadsheet formulas in free-text cells, on both ways out (the API and
`manage.py export`), and geofinder's CSV reader undoes it exactly (geofinder.core.spreadsheet)."""

import csv
import io
from itertools import product

import pytest
from django.core.management import call_command
from django.db import connection

from geofinder.core.spreadsheet import neutralised, neutralised_sql, restored
from geofinder.imports.formats.geofinder import GeofinderFormat
from geofinder.places.exchange import CSV_HEADER, CSV_NEUTRALISED
from geofinder.places.models import Place
from geofinder.territories.models import Commune
from tests.exports.helpers import export

pytestmark = pytest.mark.django_db

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Every string of up to 3 characters over an alphabet of triggers, the quote and plain text.
STRINGS = ["".join(chars) for size in range(4) for chars in product(["=", "'", "-", "\t", "a", "é", "1"], repeat=size)]
HYPERLINK = '=HYPERLINK("http://x","y")'
# Export column: the stored value it shows (neutralised), through the ORM.
STORED = {
    "name": "name", "category_label": "category__label", "address": "street", "postcode": "postcode",
    "city": "city", "commune_name": "commune__name", "department_name": "commune__department__name",
    "region_name": "commune__department__region__name", "opening_hours": "opening_hours", "phone": "phone",
    "email": "email", "website": "website", "shop_url": "shop_url", "source": "source", "source_id": "source_id",
}


def test_neutralising_is_undone_exactly_and_never_merges_two_values():
    cells = [neutralised(text) for text in STRINGS]
    assert [restored(cell) for cell in cells] == STRINGS
    assert len(set(cells)) == len(STRINGS)
    assert not [cell for cell in cells if cell[:1] in TRIGGERS]
    assert neutralised("@RESTAURANT") == "'@RESTAURANT" and neutralised("'t Hoekje") == "''t Hoekje"
    assert neutralised("Txus") == "Txus" and neutralised("") == ""


def test_the_sql_form_gives_what_python_gives():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v, {neutralised_sql('v')} FROM unnest(%s::text[]) v", [[*STRINGS, None]])
        rows = cursor.fetchall()
    assert rows == [(text, neutralised(text)) for text in STRINGS] + [(None, None)]


@pytest.fixture
def planted():
    """Real places given values a spreadsheet would run (and the real `@RESTAURANT` and `-`
    address of the Alim'confiance list), in Gironde: west of Greenwich, negative longitudes."""
    first, second = Place.objects.filter(commune__department__code="33", status=Place.Status.ACTIVE).order_by("id")[:2]
    Place.objects.filter(pk=first.pk).update(
        name=HYPERLINK, phone="+33 5 61 00 00 00", city="\tBordeaux", email="\rcontact@example.org",
        website="'quoted", source_id="-42", postcode="@33000",
    )
    Place.objects.filter(pk=second.pk).update(name="'t Hoekje", street="=1+1", opening_hours="+Mo-Fr", source="=evil")
    Commune.objects.filter(pk=second.commune_id).update(name="-Commune")
    restaurant = Place.objects.get(source="alimconfiance", name="@RESTAURANT")
    return first, second, restaurant, Place.objects.get(source="alimconfiance", street="-")


def api_csv(client, tmp_path) -> bytes:
    response, body = export(client, "csv", {})
    assert response.status_code == 200
    return body


def command_csv(client, tmp_path) -> bytes:
    out = tmp_path / "export.csv"
    call_command("export", format="csv", out=out, no_progress=True, stdout=io.StringIO())
    return out.read_bytes()


@pytest.mark.parametrize("write", [api_csv, command_csv], ids=["api", "command"])
def test_free_text_cells_that_start_like_formulas_get_a_quote_numbers_do_not(client, tmp_path, planted, write):
    first, second, restaurant, dash = planted
    body = write(client, tmp_path)
    rows = list(csv.DictReader(io.StringIO(body.decode(), newline="")))
    by_id = {int(row["id"]): row for row in rows}
    assert len(by_id) == Place.objects.exclude(status=Place.Status.PERMANENTLY_CLOSED).count()

    assert by_id[first.pk]["name"] == "'" + HYPERLINK
    assert b'"\'=HYPERLINK(""http://x"",""y"")"' in body  # as written: quoted, quotes doubled
    assert by_id[first.pk]["phone"] == "'+33 5 61 00 00 00" and by_id[first.pk]["city"] == "'\tBordeaux"
    assert by_id[first.pk]["email"] == "'\rcontact@example.org" and by_id[first.pk]["website"] == "''quoted"
    assert by_id[first.pk]["source_id"] == "'-42" and by_id[first.pk]["postcode"] == "'@33000"
    assert (by_id[second.pk]["name"], by_id[second.pk]["address"]) == ("''t Hoekje", "'=1+1")
    assert (by_id[second.pk]["opening_hours"], by_id[second.pk]["commune_name"]) == ("'+Mo-Fr", "'-Commune")
    # A source without a known licence is its own attribution, neutralised too.
    assert by_id[second.pk]["source"] == "'=evil" == by_id[second.pk]["attribution"]
    assert by_id[restaurant.pk]["name"] == "'@RESTAURANT" and by_id[dash.pk]["address"] == "'-"

    # Every free-text cell of the file is the stored value, neutralised: the others byte for byte.
    stored = {pk: values for pk, *values in Place.objects.values_list("pk", *STORED.values())}
    for place_id, row in by_id.items():
        assert [row[column] for column in STORED] == [neutralised(value) for value in stored[place_id]]

    # Numbers stay numbers: a longitude west of Greenwich, unquoted, with every digit.
    line = next(line for line in body.split(b"\r\n") if line.startswith(f"{first.pk},".encode()))
    lon, lat = first.location.x, first.location.y
    assert lon < 0 and (float(by_id[first.pk]["lon"]), float(by_id[first.pk]["lat"])) == (lon, lat)
    assert line.startswith(f'{first.pk},{by_id[first.pk]["lon"]},{by_id[first.pk]["lat"]},"'.encode())

    # What a spreadsheet reads: no cell starting like a formula but negative coordinates (numbers;
    # latitudes south of the equator in La Réunion and Mayotte).
    led = {(column, cell) for row in rows for column, cell in row.items() if cell[:1] in TRIGGERS}
    assert {"lon"} <= {column for column, _ in led} <= {"lon", "lat"}
    assert all(float(cell) < 0 for _, cell in led)


def test_the_reader_restores_the_neutralised_columns_only():
    fmt = GeofinderFormat(categories=set())
    row = {column: "'" + "'=x" for column in CSV_HEADER}
    restored_row = fmt.restore(row)
    assert {column for column in CSV_HEADER if restored_row[column] == "'=x"} == CSV_NEUTRALISED
    assert {column for column in CSV_HEADER if restored_row[column] == "''=x"} == set(CSV_HEADER) - CSV_NEUTRALISED
    assert {"name", "address", "source", "source_id", "phone"} <= CSV_NEUTRALISED
    assert not {"lon", "lat", "distance_m", "id", "extra", "closures"} & CSV_NEUTRALISED
