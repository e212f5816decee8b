import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from geofinder.territories.models import Commune, Department, PostalCode, Region

pytestmark = pytest.mark.django_db


def _reports(tmp_path, stem="territories"):
    return {
        name: json.loads((tmp_path / f"{stem}-{name}.json").read_text())
        for name in ("regions", "departments", "communes", "postcodes")
    }


def test_the_real_files_give_the_expected_counts():
    # Loaded by the session set-up from ../shared/data.
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Commune.objects.count() == 35357
    assert PostalCode.objects.count() == 39204
    assert Department.objects.get(code="31").region.code == "76"
    assert Commune.objects.get(code="31254").department.code == "31"
    # Chefs-lieux and the articles of the names (COG), for the pages' "en Haute-Garonne, près de Toulouse".
    assert Department.objects.values_list("seat_code", "article").get(code="31") == ("31555", 3)
    assert Region.objects.values_list("seat_code", "article").get(code="84") == ("69123", 1)
    assert not Department.objects.filter(seat_code="").exists() and not Region.objects.filter(seat_code="").exists()


def test_a_second_load_changes_nothing(tmp_path):
    call_command("load_territories", no_progress=True, report=tmp_path / "territories.json", verbosity=0)
    reports = _reports(tmp_path)
    for name, expected in (("regions", 18), ("departments", 101), ("communes", 35357), ("postcodes", 39204)):
        report = reports[name]
        assert (report["created"], report["updated"]) == (0, 0), name
        assert report["unchanged"] == expected, name
        # every row accounted for (the real files hold no rejected row)
        assert report["rows_read"] == report["unchanged"] + report["rejected_count"] == expected, name
    assert Commune.objects.count() == 35357


def test_the_invalid_commune_is_repaired_and_reported(tmp_path, small_territory):
    # The files of two départements, Calvados's with 14174: its repair does not need all of France.
    Commune.objects.filter(code="14174").update(source_hash="stale")
    call_command("load_territories", **small_territory, no_progress=True, report=tmp_path / "territories.json",
                 verbosity=0)
    communes = _reports(tmp_path)["communes"]
    assert communes["updated"] == 1
    assert any("14174" in w["row"] and "Self-intersection" in w["message"] for w in communes["warnings"])


def test_merged_communes_and_arrondissements_are_resolved_and_reported(tmp_path):
    # 27058 Les Trois Lacs (2017 commune nouvelle of 2019 vintage) is not in the 2018 boundaries.
    trois_lacs = PostalCode.objects.filter(insee_code="27058")
    assert trois_lacs.exists() and all(row.commune is not None for row in trois_lacs)
    assert PostalCode.objects.get(insee_code="75115", code="75015").commune.code == "75056"
    assert PostalCode.objects.filter(insee_code="98735").first().commune is None  # Polynésie: no boundary


def test_an_import_failing_half_way_leaves_the_database_as_it_was(tmp_path, small_territory):
    # A communes file cut in the middle: régions and départements load first (all of France's),
    # then the communes step fails. The whole load is rolled back.
    raw = small_territory["communes"].read_bytes()
    truncated = tmp_path / "communes.geojson.gz"
    truncated.write_bytes(gzip.compress(raw[: len(raw) // 2]))
    Region.objects.filter(code="76").update(name="Renamed before the load", source_hash="stale")

    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("load_territories", communes=truncated, no_progress=True, verbosity=0)

    region = Region.objects.get(code="76")
    assert region.name == "Renamed before the load"  # the load's update of the region was undone
    assert Commune.objects.count() == 35357


def test_a_file_missing_a_property_gives_a_clear_message(tmp_path, data_dir):
    features = json.loads((data_dir / "boundaries" / "regions.geojson").read_text())
    for feature in features["features"]:
        del feature["properties"]["code"]
    broken = tmp_path / "regions.geojson"
    broken.write_text(json.dumps(features))
    with pytest.raises(CommandError, match=r"regions.geojson: features lack the property code; found: nom"):
        call_command("load_territories", regions=broken, no_progress=True, verbosity=0)


def test_a_missing_file_is_named_before_anything_is_read(tmp_path, small_territory):
    # The postcodes are read last, but every file is looked for first: the communes file, which
    # is not JSON, is never read (its error would come first otherwise).
    broken = tmp_path / "communes.geojson"
    broken.write_text("not JSON", encoding="utf-8")
    files = {**small_territory, "communes": broken, "postcodes": tmp_path / "nowhere.csv"}
    with pytest.raises(CommandError, match=r"nowhere\.csv: file not found"):
        call_command("load_territories", **files, no_progress=True, verbosity=0)


def test_a_missing_cog_file_is_named(tmp_path, small_territory):
    with pytest.raises(CommandError, match=r"nowhere/insee_cog2026_communes\.csv\.gz, .*: file not found"):
        call_command("load_territories", **small_territory, cog=tmp_path / "nowhere", no_progress=True, verbosity=0)
