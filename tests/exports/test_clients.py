"""Real clients read the exports without a warning: GDAL/OGR (ogrinfo, ogr2ogr) and geopandas
(through pyogrio); `manage.py export` writes the same files as the API."""

import csv
import io
import shutil
import subprocess
import warnings

import geopandas
import orjson
import pytest
from django.core.management import call_command

from tests.exports.helpers import export

pytestmark = pytest.mark.django_db

PARAMS = {"category": "restaurant", "territory": "department:34"}
# GDAL reads the point of a CSV from its lon/lat columns with these open options.
CSV_OPTIONS = {"X_POSSIBLE_NAMES": "lon", "Y_POSSIBLE_NAMES": "lat", "KEEP_GEOM_COLUMNS": "NO"}


@pytest.fixture
def files(client, tmp_path) -> dict:
    paths = {}
    for fmt in ("geojson", "csv"):
        response, body = export(client, fmt, PARAMS)
        assert response.status_code == 200
        paths[fmt] = tmp_path / response["Content-Disposition"].split('"')[1]
        paths[fmt].write_bytes(body)
    paths["count"] = orjson.loads(paths["geojson"].read_bytes())["count"]
    assert paths["count"] > 100
    return paths


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL command-line tools (gdal-bin) not installed")
@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_ogrinfo_and_ogr2ogr_read_every_feature_without_warnings(files, fmt, tmp_path):
    options = [item for key, value in CSV_OPTIONS.items() for item in ("-oo", f"{key}={value}")] if fmt == "csv" else []
    info = subprocess.run(["ogrinfo", "-ro", "-al", "-so", *options, str(files[fmt])], capture_output=True, text=True)
    assert info.returncode == 0 and info.stderr == ""
    assert f"Feature Count: {files['count']}" in info.stdout
    assert "Geometry: Point" in info.stdout
    if fmt == "geojson":
        assert "EPSG" in info.stdout or "WGS 84" in info.stdout
    out = tmp_path / f"copy-{fmt}.gpkg"
    command = ["ogr2ogr", "-f", "GPKG", *options, str(out), str(files[fmt])]
    copy = subprocess.run(command, capture_output=True, text=True)
    assert copy.returncode == 0 and copy.stderr == ""


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_geopandas_reads_every_feature_without_warnings(files, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = geopandas.read_file(files[fmt], engine="pyogrio", **(CSV_OPTIONS if fmt == "csv" else {}))
    assert len(frame) == files["count"]
    assert frame.crs.to_epsg() == 4326 if fmt == "geojson" else True
    assert set(frame.geometry.geom_type) == {"Point"}
    geojson = orjson.loads(files["geojson"].read_bytes())
    first = geojson["features"][0]
    row = frame.iloc[0]
    assert row["name"] == first["properties"]["name"]
    assert (row.geometry.x, row.geometry.y) == tuple(first["geometry"]["coordinates"])


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_the_command_writes_what_the_api_serves(files, fmt, tmp_path):
    out = tmp_path / f"command.{fmt}"
    stdout = io.StringIO()
    call_command("export", format=fmt, out=out, no_progress=True, stdout=stdout, **PARAMS)
    assert f"{files['count']} places written" in stdout.getvalue()
    if fmt == "csv":
        api_rows = list(csv.reader(io.StringIO(files["csv"].read_text(encoding="utf-8"), newline="")))
        command_rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
        assert command_rows[0] == api_rows[0] and [r[0] for r in command_rows] == [r[0] for r in api_rows]
    else:
        api, command = orjson.loads(files["geojson"].read_bytes()), orjson.loads(out.read_bytes())
        assert [f["id"] for f in command["features"]] == [f["id"] for f in api["features"]]
        assert command["query"] == PARAMS


def test_the_command_refuses_bad_filters_with_the_search_messages(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Invalid options: --territory: no department with code '999'"):
        call_command("export", out=tmp_path / "x.geojson", territory="department:999", no_progress=True)
    with pytest.raises(CommandError, match="--out: cannot write .*: No such file or directory"):
        call_command("export", out=tmp_path / "missing" / "x.geojson", category="boulangerie", no_progress=True)
