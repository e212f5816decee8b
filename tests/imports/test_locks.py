"""One import of a source at a time (geofinder.imports.locks), with two real connections.

The first import runs in a thread of its own (its own connection), in a transaction it keeps
open, holding its source's lock, until the test releases it; it is then rolled back, so that
nothing is committed to the session's database. No sleeps: the threads wait on events, and the
first import ends only once PostgreSQL shows the second one waiting for the lock.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from geofinder.imports.locks import SourceLocks, lock_key
from geofinder.places.models import Place
from tests.exports.helpers import export
from tests.servers import ROOT, database_url

pytestmark = pytest.mark.django_db

PUBS = "osm/toulouse-pubs_2017-01-11_overpass.geojson"
TIMEOUT = 120  # seconds: a bound on waits that end as soon as their event happens


class FirstImport(threading.Thread):
    """`work` (a real import, or taking a lock) in a transaction of another connection, kept open
    until `release` is set, then rolled back; with `waiter` (a backend pid), not before that
    backend waits for an advisory lock."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.waiter = work, None
        self.holding, self.release = threading.Event(), threading.Event()
        self.events: list[str] = []
        self.error: BaseException | None = None

    def run(self):
        try:
            with transaction.atomic():
                self.work()
                self.holding.set()
                assert self.release.wait(TIMEOUT), "never released"
                if self.waiter is not None:
                    wait_until_waiting_for_a_lock(self.waiter)
                self.events.append("first import ends")
                transaction.set_rollback(True)
        except BaseException as exc:  # reported to the test
            self.error = exc
        finally:
            self.holding.set()
            connection.close()

    def __enter__(self) -> FirstImport:
        self.start()
        assert self.holding.wait(TIMEOUT) and self.error is None, self.error
        return self

    def __exit__(self, *exc_info) -> None:
        self.release.set()
        self.join(TIMEOUT)
        assert not self.is_alive() and self.error is None, self.error


def wait_until_waiting_for_a_lock(pid: int) -> None:
    """Return once backend `pid` waits for an advisory lock (checked every 20 ms)."""
    deadline = time.monotonic() + TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND pid = %s", [pid])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError(f"backend {pid} never waited for the lock")


class Output(io.StringIO):
    """A command's stderr that calls `on_write` with what is written."""

    def __init__(self, on_write):
        super().__init__()
        self.on_write = on_write

    def write(self, text):
        self.on_write(text)
        return super().write(text)


def import_osm(path, tmp_path, name, **options) -> dict:
    report = tmp_path / f"{name}.json"
    call_command("import_osm", str(path), report=report, no_progress=True, verbosity=0, **options)
    return json.loads(report.read_text())


@pytest.fixture
def pubs(data_dir):
    return data_dir / PUBS


def test_lock_keys_are_the_same_in_every_process_and_differ_between_sources():
    sources = ["osm", "alimconfiance", "territories", "categories"]
    code = f"from geofinder.imports.locks import lock_key; print([lock_key(s) for s in {sources!r}])"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # Python's own hash() would differ
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    keys = [lock_key(source) for source in sources]
    assert other.stdout.strip() == str(keys)
    assert len(set(keys)) == len(keys) and all(-(2**63) <= key < 2**63 for key in keys)


def test_a_second_import_of_a_source_waits_for_the_first(pubs, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with FirstImport(lambda: import_osm(pubs, tmp_path, "first")) as first:
        first.waiter = pid

        def released_when_waiting(text):
            if "waiting" in text:
                first.release.set()

        stderr = Output(released_when_waiting)
        report = import_osm(pubs, tmp_path, "second", stderr=stderr)
        first.events.append("second import done")
    assert "another import of osm is running, waiting…\n" in stderr.getvalue()
    assert first.events == ["first import ends", "second import done"]
    # The first was rolled back: the second wrote the pubs itself, after it.
    assert report["created"] > 40 and report["created"] == Place.objects.filter(source="osm").count()


def test_with_no_wait_a_second_import_stops_with_an_error(pubs, tmp_path):
    with FirstImport(lambda: import_osm(pubs, tmp_path, "first")):
        with pytest.raises(CommandError, match=r"^another import of osm is running: stopped \(--no-wait\)$"):
            import_osm(pubs, tmp_path, "second", no_wait=True)
        # From the command line, a non-zero exit and the message (another process). Its file has
        # only a feature it would reject: were it not stopped, it would commit nothing.
        unmapped = tmp_path / "unmapped.geojson"
        feature = {"type": "Feature", "id": "node/1", "properties": {"amenity": "bench"},
                   "geometry": {"type": "Point", "coordinates": [1.44, 43.6]}}
        unmapped.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
        env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict)}
        command = [sys.executable, "manage.py", "import_osm", str(unmapped), "--no-wait", "--no-progress"]
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT)
        assert run.returncode == 1 and "another import of osm is running: stopped (--no-wait)" in run.stderr
    assert not Place.objects.filter(source="osm").exists()


def test_imports_of_other_sources_do_not_wait(pubs, tmp_path):
    with FirstImport(lambda: import_osm(pubs, tmp_path, "first")):
        call_command("load_categories", report=tmp_path / "categories.json", no_progress=True, verbosity=0, no_wait=True)
    assert json.loads((tmp_path / "categories.json").read_text())["unchanged"] > 60


def test_a_reimported_export_takes_the_lock_of_the_source_its_rows_carry(client, tmp_path):
    response, body = export(client, "csv", {"territory": "department:31"})
    path = tmp_path / "export.csv"
    path.write_bytes(body)
    assert response.status_code == 200 and b'"alimconfiance"' in body
    with FirstImport(lambda: SourceLocks()("alimconfiance")):  # as an Alim'confiance import takes it
        with pytest.raises(CommandError, match="another import of alimconfiance is running"):
            call_command("import_csv", str(path), format="geofinder", no_progress=True, verbosity=0, no_wait=True)
