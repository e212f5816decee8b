"""Browser-test set-up: a real geofinder server on the session's test database, two small
"other origin" sites (one allowed to embed the map, one not) and pages of the headless Chromium
(the `browser` fixture of tests/conftest.py).

pytest-django's live_server is not used: it flushes every table after each test, which would
wipe the real data loaded once per session. The server is a gunicorn subprocess pointed at the
test database (its data is committed, so the subprocess sees it), without map tiles (no
network in tests: the map must still show boundaries, markers and the list).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.servers import ROOT, free_port, geofinder_server, own_connection

ARTIFACTS = ROOT / "var" / "test-artifacts" / "browser"


@dataclass
class Sites:
    geofinder: str  # the geofinder server, e.g. http://127.0.0.1:41234
    allowed: str  # an origin listed in GEOFINDER_EMBED_ORIGINS
    refused: str  # an origin that is not


def embedding_page(server: str, embed_query: str) -> bytes:
    """A third-party page framing /embed/ and calling the API from the browser (CORS)."""
    api = f"{server}/api/v1/places/?category=boulangerie&near=1.5206,43.5391&limit=3"
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head>
<body><h1>Site de la mairie</h1>
<iframe id="embed" src="{server}/embed/?{embed_query}" width="900" height="640" title="Carte"></iframe>
<iframe id="home" src="{server}/" width="300" height="200" title="Accueil"></iframe>
<p id="cors">pending</p>
<script>
fetch("{api}").then(r => r.json()).then(b => {{ document.getElementById("cors").textContent = "ok " + b.count; }})
  .catch(() => {{ document.getElementById("cors").textContent = "blocked"; }});
</script></body></html>""".encode()


@contextmanager
def other_origin_site(server: str):
    """A tiny HTTP server on its own port (another origin) serving embedding_page."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            query = self.path.partition("?")[2] or "where=Lab%C3%A8ge&categories=boulangerie"
            body = embedding_page(server, query)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def sites(django_db_setup, tmp_path_factory):
    """geofinder served by gunicorn on the test database, plus an allowed and a refused origin."""
    from django.db import connection

    port = free_port()
    server = f"http://127.0.0.1:{port}"
    with (
        (tmp_path_factory.mktemp("server") / "gunicorn.log").open("w") as log,
        other_origin_site(server) as allowed,
        other_origin_site(server) as refused,
    ):
        env = {
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GEOFINDER_TILE_URL": "",  # offline: no tiles from the internet
            "GEOFINDER_EMBED_ORIGINS": allowed,
            "GEOFINDER_NETWORK": "false",
        }
        with geofinder_server(connection.settings_dict, env=env, port=port, workers=2, threads=4, log=log) as url:
            yield Sites(geofinder=url, allowed=allowed, refused=refused)


@pytest.fixture
def page(browser, request):
    """A fresh French-speaking page; console errors are collected, a screenshot is saved after
    the test (var/test-artifacts/browser/<test>.png), and requests leaving 127.0.0.1 fail."""
    with _fresh_page(browser, request) as tab:
        yield tab


@pytest.fixture
def page_without_csp(browser, request):
    """The same, with the pages' Content-Security-Policy switched off: what the page itself does
    with the data is all that protects it."""
    with _fresh_page(browser, request, bypass_csp=True) as tab:
        yield tab


@contextmanager
def _fresh_page(browser, request, **context_options):
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900}, **context_options
    )
    outside: list[str] = []

    def keep_local(route):
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    tab = context.new_page()
    tab.console_errors = []
    tab.outside_requests = outside
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    yield tab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


@pytest.fixture
def opening_hours():
    """Set opening_hours on places of the test database through a connection of its own, in
    autocommit, so that the server subprocess sees them (a test marked django_db runs in a
    transaction it never commits); the previous values are put back after the test."""
    from django.db import connection

    saved: dict[int, str] = {}
    with own_connection(connection.settings_dict) as own:

        def set_hours(hours_by_id: dict[int, str]) -> None:
            for place_id, hours in hours_by_id.items():
                row = own.execute("SELECT opening_hours FROM places_place WHERE id = %s", [place_id]).fetchone()
                saved.setdefault(place_id, row[0])
                own.execute("UPDATE places_place SET opening_hours = %s WHERE id = %s", [hours, place_id])

        try:
            yield set_hours
        finally:
            for place_id, hours in saved.items():
                own.execute("UPDATE places_place SET opening_hours = %s WHERE id = %s", [hours, place_id])
