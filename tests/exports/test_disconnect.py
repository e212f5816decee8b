"""A client that disconnects mid-export leaves no query or transaction running on the database.

A real server (gunicorn, one threaded worker as `make serve` runs it) serves the test database (its data is committed by
the session set-up) with its own application_name; the test reads a few KB of a whole-country
export through a socket with a small receive buffer (so the server is held mid-stream), checks
that the export is indeed running, closes the socket and waits for the server's connections to
be neither active nor idle in transaction.
"""

import os
import socket
import time
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.servers import geofinder_server, own_connection

pytestmark = pytest.mark.django_db

BUSY = ("active", "idle in transaction")


@pytest.fixture(scope="module")
def server(django_db_setup):
    """One server for the module's tests: each waits until the server's connections are idle."""
    name = f"geofinder-export-test-{os.getpid()}"
    with geofinder_server(connection.settings_dict, env={"DATABASE_APPLICATION_NAME": name}, workers=1, threads=2) as url:
        yield urlsplit(url).port, name


def states(name: str) -> list[str]:
    with own_connection(connection.settings_dict) as conn:
        rows = conn.execute("SELECT state FROM pg_stat_activity WHERE application_name = %s", [name]).fetchall()
    return [state for (state,) in rows]


@pytest.mark.parametrize(
    "fmt, start",
    # GeoJSON is read through a named cursor, CSV through COPY: both stop when the client goes.
    [("geojson", b'"features":['), ("csv", b"\r\nid,lon,lat,name,")],
)
def test_a_client_disconnecting_mid_export_leaves_nothing_running(server, fmt, start):
    port, name = server
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # hold the server mid-stream
    client.connect(("127.0.0.1", port))
    client.sendall(f"GET /api/v1/export/places.{fmt} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    received = b""
    while len(received) < 16_000:
        received += client.recv(4096)
    assert received.startswith(b"HTTP/1.1 200") and start in received
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
