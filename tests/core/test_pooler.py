"""PgBouncer in transaction mode with max_prepared_statements in front of the test database
(README, "Read replicas"): the search's prepared statements (geofinder/core/db.py,
prepared_cursor) keep working when a few server connections serve many client connections.

A real PgBouncer >= 1.21 (scripts/build-pgbouncer.sh, `make pgbouncer`, builds Debian 13's into
/var/tmp/geofinder-pgbouncer/; Debian 12's is 1.18, without max_prepared_statements) listens on a free port; its
pool of two server connections serves a gunicorn server with four threads, as in production
(DATABASE_URL naming the pooler, DATABASE_TRANSACTION_POOLER=true). The answers through it are
compared with those of the test database read directly.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.servers import ROOT, free_port, geofinder_server, stop_process

pytestmark = pytest.mark.django_db

SEARCHES = [
    "/api/v1/places/?category=boulangerie&near=1.5206,43.5391&limit=5",
    "/api/v1/places/?category=boucherie-charcuterie&near=2.3522,48.8566&limit=10",
    "/api/v1/places/?q=pain&near=4.8357,45.7640&limit=8",
    "/api/v1/places/?near=-1.5536,47.2184&limit=20",
]


def pgbouncer_binary() -> tuple[str | None, str]:
    """(path, "") of a PgBouncer 1.21 or later, else (None, why not)."""
    candidates = [os.environ.get("GEOFINDER_PGBOUNCER"), "/var/tmp/geofinder-pgbouncer/bin/pgbouncer",
                  str(ROOT / "var/pgbouncer/bin/pgbouncer"), shutil.which("pgbouncer")]
    seen = []
    for candidate in filter(None, candidates):
        if not Path(candidate).is_file():
            continue
        output = subprocess.run([candidate, "--version"], capture_output=True, text=True).stdout
        match = re.match(r"PgBouncer (\d+)\.(\d+)", output)
        if match and (int(match[1]), int(match[2])) >= (1, 21):
            return candidate, ""
        seen.append(f"{candidate}: {output.splitlines()[0] if output else '?'}")
    found = f" (found {'; '.join(seen)})" if seen else ""
    return None, f"no PgBouncer >= 1.21 (max_prepared_statements){found}: run `make pgbouncer`"


@contextmanager
def running_pgbouncer(tmp_path: Path, *, max_prepared_statements: int, pool_size: int = 2) -> Iterator[int]:
    """PgBouncer in transaction mode in front of the test database, `pool_size` server
    connections; yields its port."""
    binary, reason = pgbouncer_binary()
    if binary is None:
        pytest.skip(reason)
    settings = connection.settings_dict
    port = free_port()
    user, password = settings["USER"], settings["PASSWORD"]
    # PgBouncer refuses to run as root: as root, it switches to the `postgres` user (else
    # `nobody`), which must read its files (a directory of their own, removed after).
    run_as = ""
    if os.getuid() == 0:
        run_as = "postgres" if _user_exists("postgres") else "nobody"
        tmp_path = Path(tempfile.mkdtemp(prefix="geofinder-pgbouncer-"))
        shutil.chown(tmp_path, run_as)
    (tmp_path / "userlist.txt").write_text(f'"{user}" "{password}"\n')
    (tmp_path / "pgbouncer.ini").write_text(f"""\
[databases]
{settings["NAME"]} = host={settings["HOST"] or "127.0.0.1"} port={settings["PORT"] or 5432} dbname={settings["NAME"]}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {tmp_path / "userlist.txt"}
admin_users = {user}
pool_mode = transaction
default_pool_size = {pool_size}
min_pool_size = 0
max_client_conn = 100
max_prepared_statements = {max_prepared_statements}
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = {tmp_path / "pgbouncer.log"}
{f"user = {run_as}" if run_as else ""}
""")
    process = subprocess.Popen([binary, str(tmp_path / "pgbouncer.ini")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert process.poll() is None, f"pgbouncer stopped: {(tmp_path / 'pgbouncer.log').read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "pgbouncer did not listen within 20 s"
                time.sleep(0.1)
        yield port
    finally:
        stop_process(process)
        if run_as:
            shutil.rmtree(tmp_path, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def through(port: int, dbname: str | None = None) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host="127.0.0.1", port=port, dbname=dbname or settings["NAME"], user=settings["USER"],
        password=settings["PASSWORD"], autocommit=True,
    )


def admin_show(port: int, what: str) -> list[dict]:
    """PgBouncer's admin console: SHOW `what`, as dicts."""
    with through(port, "pgbouncer") as admin:
        cursor = admin.execute(f"SHOW {what}", prepare=False)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def without_instant(answer: dict) -> dict:
    """A search's answer without what depends on the instant it was asked at (opening statuses)."""
    answer.pop("opening_evaluated_at", None)
    for feature in answer["features"]:
        feature["properties"].pop("opening", None)
    return answer


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.read()


def test_searches_through_pgbouncer_in_transaction_mode_answer_as_the_database_read_directly(client, tmp_path):
    direct = {}
    for search in SEARCHES:
        response = client.get(search)
        assert response.status_code == 200, response.content
        direct[search] = without_instant(response.json())
        assert direct[search]["features"], search
    with running_pgbouncer(tmp_path, max_prepared_statements=200, pool_size=2) as port:
        settings = dict(connection.settings_dict, HOST="127.0.0.1", PORT=str(port))
        env = {"DATABASE_TRANSACTION_POOLER": "true", "DATABASE_CONN_MAX_AGE": "60"}
        with geofinder_server(settings, env=env, workers=1, threads=4) as url:
            # Four threads, each with its client connection, over two server connections:
            # each search's statements are prepared on one and executed on others.
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(lambda search: (search, get(url + search)), SEARCHES * 6))
        stats = {row["database"]: row for row in admin_show(port, "STATS")}[connection.settings_dict["NAME"]]
        servers = [row for row in admin_show(port, "SERVERS") if row["database"] == connection.settings_dict["NAME"]]
    for search, (status, body) in answers:
        assert status == 200, (search, body[:500])
        answer = without_instant(json.loads(body))
        assert answer == direct[search], search
    # The statements went through PgBouncer as prepared statements (Parse then Bind), prepared
    # on the server connections fewer times than the clients prepared them, reused after.
    assert len(servers) <= 2
    assert stats["total_client_parse_count"] > 0
    assert stats["total_bind_count"] > stats["total_server_parse_count"] > 0


@pytest.mark.parametrize("max_prepared_statements", [200, 0])
def test_two_clients_preparing_the_same_statement_share_a_server_connection_only_with_max_prepared_statements(
    tmp_path, max_prepared_statements
):
    """What max_prepared_statements is for: psycopg names its prepared statements _pg3_0,
    _pg3_1, … per client connection, so two clients on one server connection would collide
    (and a client moved to another server connection would find none) without PgBouncer's
    tracking of them."""
    statement = "SELECT count(*) FROM places_place WHERE category_id = %s"
    with running_pgbouncer(tmp_path, max_prepared_statements=max_prepared_statements, pool_size=1) as port:
        with through(port) as first, through(port) as second:
            first.execute(statement, [1], prepare=True).fetchone()
            if max_prepared_statements:
                assert second.execute(statement, [1], prepare=True).fetchone() == first.execute(
                    statement, [1], prepare=True).fetchone()
            else:
                with pytest.raises(psycopg.errors.DuplicatePreparedStatement):
                    second.execute(statement, [1], prepare=True)
