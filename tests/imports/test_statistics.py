"""Imports analyse the tables they changed, at their end (geofinder.imports.statistics).

Read from PostgreSQL's own records, not from timings or autovacuum: `analyze_count` of
pg_stat_user_tables counts the ANALYZE commands run on a table (autovacuum's are counted apart,
in autoanalyze_count) and is written by ANALYZE itself, at once; the snapshot of statistics a
transaction keeps is cleared before each read. Tests run inside a transaction, where the
imports' ANALYZE runs too (allowed there, unlike VACUUM).
"""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from geofinder.imports.statistics import rows_written, tables_written_since
from geofinder.places.models import Category, Place
from tests.servers import ROOT, database_url, own_connection

pytestmark = pytest.mark.django_db

PUBS = "osm/toulouse-pubs_2017-01-11_overpass.geojson"
TABLES = ["places_place", "places_place_secondary_categories", "places_category", "territories_commune"]


def analyze_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(%s)", [TABLES])
        return dict(cursor.fetchall())


def import_pubs(path, tmp_path) -> tuple[dict, str]:
    out = io.StringIO()
    call_command("import_osm", str(path), report=tmp_path / "r.json", no_progress=True, verbosity=0, stdout=out)
    return json.loads((tmp_path / "r.json").read_text()), out.getvalue()


@pytest.fixture
def pubs(data_dir, tmp_path):
    """The real Toulouse pubs, one of them with a cuisine (a secondary category)."""
    data = json.loads((data_dir / PUBS).read_text(encoding="utf-8"))
    data["features"][0]["properties"]["cuisine"] = "pizza"
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_import_analyses_the_tables_it_wrote_and_only_those(pubs, tmp_path):
    before = analyze_counts()
    report, out = import_pubs(pubs, tmp_path)
    assert report["created"] > 40
    after = analyze_counts()
    assert {table: after[table] - before[table] for table in TABLES} == {
        "places_place": 1, "places_place_secondary_categories": 1, "places_category": 0, "territories_commune": 0,
    }
    # The places' sources (provenance) and their secondary locations (triggers) were written too.
    assert (
        "statistics updated (ANALYZE): places_place, places_place_secondary_categories, places_placesource,"
        " places_secondarylocation\n"
    ) in out
    # The statistics describe the rows just written: a table this small is read whole.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'places_place'::regclass")
        assert cursor.fetchone()[0] == Place.objects.count()


def test_an_import_that_changes_nothing_analyses_nothing(pubs, tmp_path):
    import_pubs(pubs, tmp_path)
    before = analyze_counts()
    report, out = import_pubs(pubs, tmp_path)
    assert report["unchanged"] == report["rows_read"] - report["rejected_count"] > 40
    assert analyze_counts() == before and "ANALYZE" not in out


def test_a_changed_taxonomy_analyses_the_categories(tmp_path):
    Category.objects.filter(slug="fleuriste").update(label="Fleurs")
    before = analyze_counts()
    out = io.StringIO()
    call_command("load_categories", report=tmp_path / "r.json", no_progress=True, verbosity=0, stdout=out)
    assert analyze_counts()["places_category"] == before["places_category"] + 1
    assert "statistics updated (ANALYZE): places_category\n" in out.getvalue()


def test_the_tables_written_are_counted_from_a_starting_point_and_temporary_ones_left_out():
    Category.objects.filter(slug="fleuriste").update(label="Fleurs")  # before the starting point
    before = rows_written()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE scratch (n int) ON COMMIT DROP")
        cursor.execute("INSERT INTO scratch VALUES (1)")
    Place.objects.filter(pk=Place.objects.order_by("pk").values("pk")[:1]).update(phone="05 61 00 00 00")
    assert tables_written_since(before) == [("public", "places_place")]
    # From no starting point, also what the transaction wrote before (and, as PostgreSQL keeps
    # them, earlier transactions of the session not yet reported to its statistics system).
    assert {("public", "places_category"), ("public", "places_place")} <= set(tables_written_since({}))


def test_a_committed_import_is_analysed_after_its_commit_with_its_changes_counted_before(tmp_path):
    """A real run (another process, committing): the taxonomy's label of a category changed
    behind it (committed too) is put back, which leaves the database as it was."""
    with own_connection(connection.settings_dict) as own:
        # This change is reported to the statistics system at once, not up to a second later.
        own.execute("BEGIN; SELECT pg_stat_force_next_flush();"
                    " UPDATE places_category SET label = 'Fleurs' WHERE slug = 'fleuriste'; COMMIT")
        count = "SELECT analyze_count, n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'places_category'"
        before = own.execute(count).fetchone()
        env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict),
               "GEOFINDER_REPORT_DIR": str(tmp_path)}
        run = subprocess.run([sys.executable, "manage.py", "load_categories", "--no-progress"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert "updated 1" in run.stdout and "statistics updated (ANALYZE): places_category" in run.stdout
        own.execute("SELECT pg_stat_clear_snapshot()")
        analyze_count, changed_since = own.execute(count).fetchone()
    assert before[1] >= 1 and analyze_count == before[0] + 1
    # Analysed once its update was committed and counted: nothing changed since, for autovacuum.
    assert changed_since == 0
    assert Category.objects.get(slug="fleuriste").label == "Fleuriste"
