import csv
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from geofinder.places.models import Place
from tests.conftest import forget_process_caches

pytestmark = pytest.mark.django_db

ALIM = "commerces/alimconfiance_2017-08-22.csv"
ROWS = 19053


def _import(tmp_path, path=None, name="report.json", **options):
    report = tmp_path / name
    args = [str(path)] if path else []
    call_command("import_csv", *args, report=report, no_progress=True, verbosity=0, **options)
    return json.loads(report.read_text())


@pytest.fixture(scope="module")
def reimport_report(django_db_setup, django_db_blocker, tmp_path_factory):
    """The report of importing the real list again over the session's data (19,053 rows), made
    once for the tests that only read it, in a transaction rolled back at once."""
    tmp_path = tmp_path_factory.mktemp("reimport")
    forget_process_caches()
    with (
        django_db_blocker.unblock(),
        override_settings(GEOFINDER_REPORT_DIR=tmp_path / "reports"),
        transaction.atomic(),
    ):
        report = _import(tmp_path)
        transaction.set_rollback(True)
    forget_process_caches()
    return report


def _accounted(report) -> int:
    return report["created"] + report["updated"] + report["unchanged"] + report["merged"] + report["rejected_count"]


def test_the_real_list_is_imported_and_every_row_accounted_for(tmp_path, settings):
    # Emptied without a history record per place deleted (10,000 single INSERTs: half the test's time).
    settings.SIMPLE_HISTORY_ENABLED = False
    Place.objects.filter(source="alimconfiance").delete()
    settings.SIMPLE_HISTORY_ENABLED = True
    report = _import(tmp_path)
    assert report["rows_read"] == ROWS
    assert _accounted(report) == ROWS
    assert report["created"] >= 9800
    places = Place.objects.filter(source="alimconfiance")
    assert places.count() == report["created"]
    assert not places.filter(commune=None).exists()
    assert places.filter(category__slug="restaurant").count() > 6000
    assert places.filter(category__slug="boulangerie").exists()
    assert places.filter(category__family__slug="producteurs").count() > 700


def test_places_not_open_to_the_public_are_rejected_with_that_reason(reimport_report):
    report = reimport_report
    reasons = report["rejection_reasons"]
    assert reasons["not open to the public"] > 8000
    canteens = [r for r in report["rejected"] if r["reason"] == "not open to the public: Restauration collective"]
    assert len(canteens) == 3891
    assert not Place.objects.filter(source="alimconfiance", extra__activities__contains=["Restauration collective"]).filter(
        category__slug="restaurant", secondary_categories=None, extra__activities=["Restauration collective"]
    ).exists()


def test_rejected_rows_carry_their_reason(reimport_report):
    report = reimport_report
    assert all(item["row"].startswith("line ") and item["reason"] for item in report["rejected"])
    # Saint-Martin (97150) has no boundary in the 2018 data and no coordinates in the list.
    assert any("'97150' 'Saint-Martin'" in item["reason"] for item in report["rejected"])
    # Saint-Pierre-et-Miquelon rows have coordinates but no commune polygon.
    assert any(item["reason"].startswith("outside every commune") for item in report["rejected"])


def test_importing_twice_changes_nothing_and_duplicates_nothing(tmp_path):
    first = _import(tmp_path, name="first.json")
    count = Place.objects.filter(source="alimconfiance").count()
    second = _import(tmp_path, name="second.json")
    assert (second["created"], second["updated"]) == (0, 0)
    assert second["unchanged"] == count == first["created"] + first["updated"] + first["unchanged"]
    assert Place.objects.filter(source="alimconfiance").count() == count


def test_a_changed_source_row_updates_its_place(tmp_path, data_dir):
    rows = list(csv.reader((data_dir / ALIM).open(encoding="utf-8")))
    header, body = rows[0], rows[1:]
    # Rename a Haute-Garonne restaurant that has a single row in the list.
    sirets = [r[13] for r in body]
    index = next(
        i for i, r in enumerate(body)
        if r[0] == "Restaurant" and r[3].startswith("31") and r[9] and sirets.count(r[13]) == 1
    )
    siret, postcode, old_name = body[index][13], body[index][3], body[index][1]
    body[index][1] = "NOUVEAU NOM"
    changed = tmp_path / "changed.csv"
    with changed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *body])
    report = _import(tmp_path, changed)
    assert report["updated"] == 1 and report["created"] == 0
    place = Place.objects.get(source="alimconfiance", source_id=f"{siret}-{postcode}")
    assert place.name == "NOUVEAU NOM" != old_name


def test_rows_of_one_establishment_make_one_place_with_secondary_categories(reimport_report):
    report = reimport_report
    assert report["merged"] > 300
    assert Place.objects.filter(source="alimconfiance").exclude(secondary_categories=None).exists()


def test_an_import_interrupted_half_way_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    import geofinder.places.services as services

    before = dict(Place.objects.filter(source="alimconfiance").values_list("source_id", "content_hash"))
    Place.objects.filter(source="alimconfiance").update(content_hash="stale")  # forces updates
    stale = set(Place.objects.filter(source="alimconfiance").values_list("content_hash", flat=True))
    calls = {"n": 0}
    original = services.Place.objects.bulk_update

    def bulk_update_then_interrupt(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the operator presses Ctrl-C after two batches
        return original(*args, **kwargs)

    monkeypatch.setattr(services.Place.objects, "bulk_update", bulk_update_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        _import(tmp_path)
    assert calls["n"] == 3
    after = set(Place.objects.filter(source="alimconfiance").values_list("content_hash", flat=True))
    assert after == stale == {"stale"}  # the two batches written before the interruption were undone
    assert len(before) == Place.objects.filter(source="alimconfiance").count()


def test_a_missing_column_gives_a_clear_message(tmp_path, data_dir):
    lines = (data_dir / ALIM).read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join([lines[0].replace("geores", "coords"), *lines[1:20]]), encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.csv: missing column\(s\) geores; found: APP_Libelle"):
        _import(tmp_path, broken)


def test_a_malformed_file_gives_a_clear_message(tmp_path):
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage\x00\x81")
    with pytest.raises(CommandError, match=r"binary.csv: malformed CSV"):
        _import(tmp_path, binary)


def test_rows_without_coordinates_are_located_by_the_local_gazetteer(reimport_report):
    report = reimport_report
    geocoded = Place.objects.filter(source="alimconfiance").exclude(location_precision=Place.LocationPrecision.SOURCE)
    assert geocoded.count() > 200
    assert report["rejection_reasons"].get("no coordinates and locality unknown to the local gazetteer", 0) < 20
