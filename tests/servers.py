"""A real geofinder server for the tests that need one (browser tests, client disconnects), and
small local HTTP servers standing for outside services (the network geocoder's).

The server is gunicorn in a subprocess, on the session's test database: the data loaded by the
session set-up is committed, so the subprocess sees it. Tests that change rows the server must
see do so through a connection of their own (`own_connection`), in autocommit.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO
from urllib.parse import quote

import psycopg

ROOT = Path(__file__).resolve().parents[1]
# The test servers' secret key (a server refuses to start without a strong one): this session's.
SECRET_KEY = secrets.token_urlsafe(50)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """DATABASE_URL of a Django connection's settings (the test database's, say)."""
    user, password = quote(settings_dict["USER"] or ""), quote(settings_dict["PASSWORD"] or "")
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or "5432"
    return f"postgis://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


def own_connection(settings_dict: dict) -> psycopg.Connection:
    """A connection of its own to that database, in autocommit (outside the test's transaction)."""
    return psycopg.connect(
        dbname=settings_dict["NAME"], user=settings_dict["USER"], password=settings_dict["PASSWORD"],
        host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or "5432", autocommit=True,
    )


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the geofinder server stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the geofinder server did not answer {url} within {timeout} s")


@contextmanager
def geofinder_server(
    settings_dict: dict, *, env: dict[str, str], workers: int, threads: int, port: int | None = None,
    log: IO | None = None,
) -> Iterator[str]:
    """gunicorn (threaded workers and gunicorn.conf.py, as `make serve` runs it) serving the
    database of `settings_dict`, with these extra environment variables, on `port` (default: a
    free one); yields its base URL once it answers."""
    port = port or free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": database_url(settings_dict),
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "GEOFINDER_API_RATE": "off",  # tests ask faster than one client may
        **env,
    }
    command = [sys.executable, "-m", "gunicorn", "geofinder.wsgi", "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
               "--timeout", "60", "--log-level", "warning"]
    output = {"stdout": log, "stderr": subprocess.STDOUT} if log else {}
    process = subprocess.Popen(command, cwd=ROOT, env=environment, **output)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/api/v1/categories/", process)
        yield url
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate `process`, killed if it has not ended within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def local_http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` serving on 127.0.0.1 (a free port) in a thread of its own, a thread per request;
    yields its base URL ("http://127.0.0.1:PORT"). No internet: a stand-in for an outside service."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True  # a request held by the handler does not hold the shutdown
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
