"""Reads on a real streaming replica (geofinder/core/replicas.py, replica_routing.py): a gunicorn
server on the test database (the primary) with DATABASE_REPLICA_URLS naming the session's
replica of the test cluster (conftest.py)."""

from __future__ import annotations

import csv
import io
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from django.db import connection

from geofinder.core.replica_routing import PIN_COOKIE
from tests.servers import geofinder_server, own_connection

# One worker runs every replica test (they pause and stop the replica of the whole cluster).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("replica")]

SEARCH = "/api/v1/places/?category=boulangerie&near=1.5206,43.5391&limit=5"


@contextmanager
def server_with_replica(replica, *, name: str, settings_module: str = "geofinder.settings", log=None, **env: str):
    settings_dict = connection.settings_dict
    replica_url = replica.url(settings_dict["NAME"], settings_dict["USER"], settings_dict["PASSWORD"])
    environment = {
        "DATABASE_REPLICA_URLS": replica_url, "DATABASE_APPLICATION_NAME": name,
        "DJANGO_SETTINGS_MODULE": settings_module, **env,
    }
    with geofinder_server(settings_dict, env=environment, workers=2, threads=4, log=log) as url:
        yield url


def get(url: str, cookie: str | None = None) -> tuple[int, dict | None]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def post(url: str, data: dict) -> tuple[int, str | None]:
    """Status and the cookie set (name=value) of a form POST."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        set_cookie = response.headers.get("Set-Cookie")
        return response.status, set_cookie.split(";")[0] if set_cookie else None


def server_errors(log_path) -> str:
    """The server's log from its first error on (its traceback), for an assertion's message."""
    text = log_path.read_text()
    start = text.find("ERROR")
    return text[start:start + 8000] if start >= 0 else "no error in the server's log"


def searches_seen(conn, name: str) -> int:
    """Sessions of application `name` whose last statement was one of a search request's: the
    search (around a point), or the merchants' facts of its places the API reads after it."""
    return conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND (query ILIKE %s OR query ILIKE %s)",
        [name, "%ST_MakePoint%", "%places_announcement%"],
    ).fetchone()[0]


def a_place_near_the_search(url: str) -> tuple[int, str]:
    status, body = get(url + SEARCH)
    assert status == 200, body
    feature = body["features"][0]
    return feature["id"], feature["properties"]["name"]


def test_searches_run_on_the_replica_not_the_primary(running):
    name = f"gf-replica-{secrets.token_hex(4)}"
    with server_with_replica(running, name=name) as url:
        for _ in range(6):
            status, body = get(url + SEARCH)
            assert status == 200
            assert body["features"], "the replica holds the test database's places"
        with running.connect(connection.settings_dict["NAME"]) as on_replica:
            assert searches_seen(on_replica, name) >= 1
        with own_connection(connection.settings_dict) as on_primary:
            assert searches_seen(on_primary, name) == 0


@contextmanager
def renamed_back(place_id: int, name: str):
    try:
        yield
    finally:
        with own_connection(connection.settings_dict) as conn:
            conn.execute("UPDATE places_place SET name = %s WHERE id = %s", [name, place_id])


def test_the_writer_reads_its_own_write_while_the_replica_is_behind(running):
    # Replay paused: the replica stays behind the write; a lag allowed of an hour keeps it serving.
    with server_with_replica(running, name=f"gf-ryw-{secrets.token_hex(4)}",
                             settings_module="tests.replicas.write_settings",
                             GEOFINDER_REPLICA_MAX_LAG_S="3600", GEOFINDER_REPLICA_CHECK_S="0") as url:
        place_id, old_name = a_place_near_the_search(url)
        detail = f"{url}/api/v1/places/{place_id}/"
        new_name = f"{old_name} (renommé {secrets.token_hex(3)})"
        running.pause_replay()
        with renamed_back(place_id, old_name):
            status, cookie = post(f"{url}/test-write/places/{place_id}/name", {"name": new_name})
            assert status == 204
            assert cookie and cookie.startswith(f"{PIN_COOKIE}=")
            # The writer, pinned to the primary by the cookie, sees its write …
            status, body = get(detail, cookie=cookie)
            assert (status, body["properties"]["name"]) == (200, new_name)
            # … which the paused replica, serving everyone else, does not have yet.
            status, body = get(detail)
            assert (status, body["properties"]["name"]) == (200, old_name)
        running.resume_replay()


def test_a_replica_lagging_more_than_allowed_is_skipped(running):
    with server_with_replica(running, name=f"gf-lag-{secrets.token_hex(4)}",
                             GEOFINDER_REPLICA_MAX_LAG_S="0.5", GEOFINDER_REPLICA_CHECK_S="0") as url:
        place_id, old_name = a_place_near_the_search(url)
        detail = f"{url}/api/v1/places/{place_id}/"
        new_name = f"{old_name} (retard {secrets.token_hex(3)})"
        running.pause_replay()
        with renamed_back(place_id, old_name):
            with own_connection(connection.settings_dict) as conn:
                conn.execute("UPDATE places_place SET name = %s WHERE id = %s", [new_name, place_id])
            # The replica's last replayed transaction is now older than the write, which is
            # older than the lag allowed once this wait is over: the replica lags, whatever the clock.
            time.sleep(1)
            status, body = get(detail)
            assert (status, body["properties"]["name"]) == (200, new_name)
        running.resume_replay()


def test_stopping_the_replica_in_the_middle_of_a_load_loses_no_request(running, tmp_path):
    log_path = tmp_path / "server.log"
    name = f"gf-stop-{secrets.token_hex(4)}"
    with open(log_path, "w") as log, server_with_replica(running, name=name, log=log) as url:
        searches = [url + SEARCH.replace("limit=5", f"limit={1 + i % 20}") for i in range(240)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = [pool.submit(get, search) for search in searches]
            # Stop it once a quarter of the searches have been answered (by the replica).
            while sum(answer.done() for answer in answers) < len(answers) // 4:
                time.sleep(0.01)
            running.stop("fast")
            statuses = [answer.result()[0] for answer in answers]
        assert statuses == [200] * len(searches), server_errors(log_path)
        # And after: the primary serves alone.
        assert get(url + SEARCH)[0] == 200
    assert "replica replica_1 skipped" in log_path.read_text()


def test_geojson_exports_stream_from_the_replica_and_csv_ones_from_the_primary(running):
    query = "category=boulangerie&near=1.5206,43.5391&radius=15000&include_closed=true"
    # Replay paused and a place renamed on the primary: the replica's exports have the old name.
    with server_with_replica(running, name=f"gf-export-{secrets.token_hex(4)}",
                             GEOFINDER_REPLICA_MAX_LAG_S="3600", GEOFINDER_REPLICA_CHECK_S="0") as url:
        place_id, old_name = a_place_near_the_search(url)
        new_name = f"Renommée {secrets.token_hex(3)}"
        running.pause_replay()
        with renamed_back(place_id, old_name):
            with own_connection(connection.settings_dict) as conn:
                conn.execute("UPDATE places_place SET name = %s WHERE id = %s", [new_name, place_id])
            status, body = get(f"{url}/api/v1/export/places.geojson?{query}")
            assert status == 200
            names = {feature["id"]: feature["properties"]["name"] for feature in body["features"]}
            assert names[place_id] == old_name
            with urllib.request.urlopen(f"{url}/api/v1/export/places.csv?{query}", timeout=30) as response:
                rows = list(csv.DictReader(io.StringIO(response.read().decode())))
            assert len(rows) == len(names)
            assert {int(row["id"]): row["name"] for row in rows}[place_id] == new_name
        running.resume_replay()
