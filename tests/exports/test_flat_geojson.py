"""GeoJSON exports with flat properties (properties=flat): each feature's properties are the CSV
export's columns, plain values QGIS shows as an attribute table; the nested layout stays the
default (the API's objects)."""

import csv
import io

import orjson
import pytest

from geofinder.places.exchange import CSV_HEADER
from tests.exports.helpers import export, geojson_export

pytestmark = pytest.mark.django_db

AIN = {"category": "epicerie", "territory": "department:01"}
NEAR = {"category": "restaurant", "near": "1.4442,43.6047"}  # Toulouse: distances and a point


def _csv_rows(client, params: dict) -> dict[str, dict]:
    response, body = export(client, "csv", params)
    assert response.status_code == 200, body[:300]
    return {row["id"]: row for row in csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))}


def _as_csv_cell(value) -> str:
    """A flat GeoJSON value as the CSV writes it (booleans and null as text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize("params", [AIN, NEAR], ids=["territory", "near"])
def test_flat_properties_are_the_csv_columns_with_the_same_values(client, params):
    flat = geojson_export(client, {**params, "properties": "flat"})
    rows = _csv_rows(client, params)
    assert flat["count"] == len(rows) == len(flat["features"]) > 5
    for feature in flat["features"]:
        properties = feature["properties"]
        assert list(properties) == CSV_HEADER
        assert not any(isinstance(value, (dict, list)) for value in properties.values())
        row = rows[str(feature["id"])]
        for name, value in properties.items():
            cell = row[name]
            if name in ("lon", "lat", "distance_m") and value is not None:
                assert float(cell) == pytest.approx(value, abs=1e-6), name
            elif name in ("closures", "merchant_confirmed", "announcements", "secondary_categories", "extra", "merged_sources"):
                assert orjson.loads(value) == orjson.loads(cell), name
            elif cell.startswith("'"):  # neutralised in the CSV only
                assert cell[1:] == _as_csv_cell(value), name
            else:
                assert cell == _as_csv_cell(value), name


def test_flat_and_nested_hold_the_same_places_and_facts(client):
    nested = geojson_export(client, AIN)
    flat = geojson_export(client, {**AIN, "properties": "flat"})
    assert [f["id"] for f in flat["features"]] == [f["id"] for f in nested["features"]]
    assert flat["licences"] == nested["licences"]
    for a, b in zip(nested["features"], flat["features"]):
        assert a["geometry"] == b["geometry"]
        n, f = a["properties"], b["properties"]
        assert (f["category_slug"], f["category_label"]) == (n["category"]["slug"], n["category"]["label"])
        assert (f["commune_code"], f["department_code"], f["region_name"]) == (
            n["commune"]["code"], n["department"]["code"], n["region"]["name"])
        assert (f["opening_state"], f["opening_label"]) == (n["opening"]["state"], n["opening"]["label"])
        assert f["click_and_collect"] is n["services"]["click_and_collect"]
        assert f["department_code"] == "01"  # a code stays text: "01", not 1


@pytest.mark.parametrize("value", ["FLAT", "flat,nested", "columns"])
def test_an_unknown_layout_is_a_400_naming_it(client, value):
    response, _ = export(client, "geojson", {**AIN, "properties": value})
    assert response.status_code == 400
    assert "properties" in response.json()["errors"]


def test_the_layout_is_for_geojson_only(client):
    response, _ = export(client, "csv", {**AIN, "properties": "flat"})
    assert response.status_code == 400
    assert response.json()["errors"]["properties"] == ["applies to GeoJSON exports only"]
