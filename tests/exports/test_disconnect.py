"""A client that disconnects mid-export leaves no query or transaction running on the database.

A real server (gunicorn, one threaded worker as `make serve` runs it) serves the test database (its data is committed by
the session set-up) with its own application_name; the test reads a few KB of a whole-country
export through a socket with a small receive buffer (so the server is held mid-stream), checks
that the export is indeed running, closes the socket and waits for the server's connections to
be neither active nor idle in transaction.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BUSY = ("active", "idle in transaction")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings: dict) -> str:
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgis://{settings['USER']}:{settings['PASSWORD']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def server():
    port, name = free_port(), f"geofinder-export-test-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict), "DATABASE_APPLICATION_NAME": name}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "geofinder.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--worker-class", "gthread", "--threads", "2", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, name
    finally:
        process.terminate()
        process.wait(timeout=10)


def states(name: str) -> list[str]:
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, autocommit=True,
    ) as conn:
        rows = conn.execute("SELECT state FROM pg_stat_activity WHERE application_name = %s", [name]).fetchall()
    return [state for (state,) in rows]


def test_a_client_disconnecting_mid_export_leaves_nothing_running(server):
    port, name = server
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # hold the server mid-stream
    client.connect(("127.0.0.1", port))
    client.sendall(b"GET /api/v1/export/places.geojson HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    received = b""
    while len(received) < 16_000:
        received += client.recv(4096)
    assert received.startswith(b"HTTP/1.1 200") and b'"features":[' in received
    deadline = time.monotonic() + 10
    while not set(states(name)) & set(BUSY):  # the export is running: its transaction is open
        assert time.monotonic() < deadline, f"no open export transaction: {states(name)}"
        time.sleep(0.1)
    client.close()
    deadline = time.monotonic() + 30
    while set(states(name)) & set(BUSY):
        assert time.monotonic() < deadline, f"still running after the client left: {states(name)}"
        time.sleep(0.2)
    assert not set(states(name)) & set(BUSY)
