"""Test set-up: a real PostGIS test database holding the real French data.

The session's database is migrated, then loaded once with the category taxonomy, the
France-wide 2018 boundaries, the communes of today (COG 2026) and La Poste's postcodes, and the
Alim'confiance merchant list, all
read from GEOFINDER_DATA_DIR (../shared/data). Each test runs in a transaction rolled back
afterwards, so tests may import, change or delete freely. With `--reuse-db`, a database loaded
by an earlier run is kept as it is.
"""

import gzip
import json
import os
import re
import time
from pathlib import Path

import orjson
import pytest

# Headless Chromium for the browser tests (tests/web, tests/maps): GEOFINDER_CHROMIUM or Debian's.
CHROMIUM = os.environ.get("GEOFINDER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings
    from django.core.management import call_command

    from geofinder.places.models import Place
    from geofinder.territories.models import CurrentCommune

    data_dir = settings.GEOFINDER_DATA_DIR
    if not (data_dir / "SOURCES.md").is_file():
        pytest.exit(f"GEOFINDER_DATA_DIR={data_dir} does not hold the real data (../shared/data)", returncode=2)
    reports = tmp_path_factory.mktemp("setup-reports")
    with django_db_blocker.unblock():
        # A database kept from a run before the communes of today were loaded is loaded again.
        loaded = Place.objects.filter(source="alimconfiance").exists() and CurrentCommune.objects.exists()
        if not (request.config.getoption("reuse_db") and loaded):
            call_command("load_categories", no_progress=True, report=reports / "categories.json", verbosity=0)
            call_command("load_territories", no_progress=True, report=reports / "territories.json", verbosity=0)
            call_command("import_csv", no_progress=True, report=reports / "alimconfiance.json", verbosity=0)
    from django.db import connection

    _watch_commune_names(connection)
    _SERVER_WATCH["settings"] = dict(connection.settings_dict)
    _SERVER_WATCH["started"] = _server_started()
    yield
    with django_db_blocker.unblock():
        _disconnect_other_sessions()


def _disconnect_other_sessions() -> None:
    """End the sessions other tests left on the test database (the servers they started, a
    connection opened in the browser tests' greenlet context), so that pytest-django can drop
    it ("database is being accessed by other users" otherwise)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _reports_in_tmp(request, tmp_path):
    """Import reports written by tests go to a temporary folder (when Django is in play)."""
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.GEOFINDER_REPORT_DIR = tmp_path / "reports"
        # Tests ask faster than any one client may (tests/api/test_throttle.py sets a rate).
        settings.GEOFINDER_API_RATE = "off"
        # A loaded machine must not cut a search short (tests that need it set 0).
        settings.GEOFINDER_SEARCH_BUDGET_MS = 600_000


# The PostgreSQL server the session's database is on, and when it started: a server that
# restarts during the session (a backend that crashed takes every other down with it) makes
# every later test fail for that reason alone; the session stops at once instead, naming the
# test the crash happened in (_stop_if_the_database_server_restarted).
_SERVER_WATCH: dict = {}


def _server_started(attempts: int = 1):
    """pg_postmaster_start_time() of the session's server, on a connection of the watch's own
    (opened again when it was lost); None when the server does not answer."""
    import psycopg

    settings_dict = _SERVER_WATCH["settings"]
    for attempt in range(attempts):
        conn = _SERVER_WATCH.get("connection")
        try:
            if conn is None or conn.closed:
                conn = _SERVER_WATCH["connection"] = psycopg.connect(
                    dbname=settings_dict["NAME"], user=settings_dict["USER"], password=settings_dict["PASSWORD"],
                    host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or "5432",
                    autocommit=True, connect_timeout=5,
                )
            return conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]
        except psycopg.OperationalError:
            _SERVER_WATCH.pop("connection", None)
            if attempt + 1 < attempts:
                time.sleep(1)
    return None


@pytest.fixture(autouse=True)
def _stop_if_the_database_server_restarted(request):
    yield
    if "started" not in _SERVER_WATCH:  # no test has used the database yet
        return
    # A server in crash recovery refuses connections for a few seconds: wait for it.
    started = _server_started(attempts=30)
    if started != _SERVER_WATCH["started"]:
        what = f"restarted at {started}" if started else "stopped answering"
        pytest.exit(
            f"the PostgreSQL server of the test database {what} during {request.node.nodeid} (a backend "
            "crashed? see the server's log, e.g. /var/log/postgresql/): later tests would all fail for it",
            returncode=3,
        )


@pytest.fixture
def data_dir(settings) -> Path:
    return settings.GEOFINDER_DATA_DIR


def forget_process_caches(*, commune_names: bool = True) -> None:
    """Empty the cache and the tables of names a process keeps (the communes' unless told)."""
    from django.core.cache import cache

    from geofinder.places import selectors as places_selectors
    from geofinder.territories import selectors as territories_selectors

    cache.clear()
    places_selectors._category_names.forget()
    places_selectors._open_slots_span.forget()
    places_selectors._open_slot_shares.forget()
    places_selectors._secondary_category_ids.forget()
    if commune_names:
        territories_selectors._commune_names.forget()


# The communes' table of names (35,000 rows, 0.1 s to read) is kept from test to test, unless a
# statement writes to the tables it is read from: then it is forgotten at once (the test reads
# its own change) and again before the next test (the change was rolled back).
_COMMUNE_NAMES_WRITE = re.compile(
    r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"
    r'"?territories_(?:commune|department|region)"?[\s(]',
    re.IGNORECASE,
)
_COMMUNE_NAMES_WRITTEN = {"since_last_test": True}


def _watch_commune_names_tables(execute, sql, params, many, context):
    """A Django execute wrapper (connection.execute_wrappers) for the session's connection."""
    if _COMMUNE_NAMES_WRITE.match(sql):
        from geofinder.territories import selectors as territories_selectors

        territories_selectors._commune_names.forget()
        _COMMUNE_NAMES_WRITTEN["since_last_test"] = True
    return execute(sql, params, many, context)


def _watch_commune_names(connection) -> None:
    """Install the watch on `connection` unless it is there: before every test, since the
    connection's list of wrappers does not always keep it (seen empty after a browser test)."""
    if _watch_commune_names_tables not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_commune_names_tables)
        _COMMUNE_NAMES_WRITTEN["since_last_test"] = True  # what it ran unwatched is unknown


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the home page's counts are cached per process), and
    without the tables of names a process keeps (tests rename what they like): the communes'
    only when a test before wrote to the tables it is read from (_watch_commune_names_tables)."""
    if _SERVER_WATCH:  # the session's database is set up
        from django.db import connection

        _watch_commune_names(connection)
    forget_process_caches(commune_names=_COMMUNE_NAMES_WRITTEN["since_last_test"])
    _COMMUNE_NAMES_WRITTEN["since_last_test"] = False
    yield


# The départements of the small territory, and their régions: Calvados (Normandie, with the
# commune 14174 whose 2018 polygon is invalid) and Haute-Garonne (Occitanie, with Labège).
SMALL_TERRITORY = {"14": "28", "31": "76"}


@pytest.fixture(scope="session")
def small_territory(tmp_path_factory) -> dict[str, Path]:
    """The real boundary and postcode files cut down to two départements (SMALL_TERRITORY), as
    load_territories' options (regions, departments, communes, postcodes): for the tests of the
    loader that do not need all of France (about 1,100 communes instead of 35,357). Written once
    per session from GEOFINDER_DATA_DIR; the communes of today (cog/) stay France's."""
    from django.conf import settings

    boundaries = settings.GEOFINDER_DATA_DIR / "boundaries"
    folder = tmp_path_factory.mktemp("small-territory")
    kept = {
        "regions": (boundaries / "regions.geojson", lambda p: p["code"] in SMALL_TERRITORY.values()),
        "departments": (boundaries / "departements.geojson", lambda p: p["code"] in SMALL_TERRITORY),
        "communes": (boundaries / "communes-france-2018.geojson.gz", lambda p: p["code_departement"] in SMALL_TERRITORY),
    }
    files = {}
    for name, (source, keep) in kept.items():
        opener = gzip.open if source.suffix == ".gz" else open
        with opener(source, "rb") as handle:
            data = orjson.loads(handle.read())  # France's communes: 50 MB of JSON
        data["features"] = [feature for feature in data["features"] if keep(feature["properties"])]
        files[name] = folder / f"{name}.geojson"
        files[name].write_text(json.dumps(data), encoding="utf-8")
    lines = (settings.GEOFINDER_DATA_DIR / "postal" / "laposte_hexasmal_2022.csv").read_text(encoding="utf-8").splitlines()
    files["postcodes"] = folder / "postcodes.csv"
    files["postcodes"].write_text(
        "\n".join([lines[0], *(line for line in lines[1:] if line[:2] in SMALL_TERRITORY)]) + "\n", encoding="utf-8"
    )
    return files


@pytest.fixture
def clock():
    """The instant a test runs at, fixed for the whole test: what it passes as `now` to the
    selectors and services it calls (none reads the wall clock behind it). Relative to today,
    as the session's data is: its open slots hold from the hour it was imported."""
    from django.utils import timezone

    return timezone.now()


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    # Playwright's sync API runs an event loop in this thread; the tests' own database reads
    # (synchronous, outside that loop) would otherwise be refused by Django's async guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
