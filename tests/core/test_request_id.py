"""Request ids: in every answer's X-Request-ID, in every log line of the request; server errors
logged with their traceback and that id, and answered with the id but no traceback.

In process through Django's test client (records caught by caplog, which is given the same
filter as the stderr handler), then through a real gunicorn whose stderr is read.
"""

import json
import logging
import re
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.http import FileResponse
from django.test import Client, RequestFactory

from geofinder.core.request_id import HEADER, RequestIdFilter, RequestIdMiddleware, request_id_of
from tests.core.failing_urls import FAILURE
from tests.servers import ROOT, geofinder_server

pytestmark = pytest.mark.django_db

NEW_ID = re.compile(r"[0-9a-f]{32}")
UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.mark.parametrize("incoming", [UUID, "0f8fad5bd9cb469fa16570867728950e", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "a" * 64])
def test_a_valid_incoming_id_is_kept(incoming):
    assert request_id_of(incoming) == incoming


@pytest.mark.parametrize(
    "incoming",
    [None, "", "short", "a" * 65, "-starts-with-a-dash", "has space inside", "line\nbreak-injected",
     "<script>alert(1)</script>", "quote\"inside-the-id", "ünïcode-identifier", "urn:uuid:" + UUID],
)
def test_any_other_incoming_id_is_replaced_by_a_new_one(incoming):
    new = request_id_of(incoming)
    assert NEW_ID.fullmatch(new) and new != incoming


def test_every_answer_carries_a_new_request_id():
    first = Client().get("/api/v1/categories/")
    second = Client().get("/api/v1/categories/")
    assert first.status_code == second.status_code == 200
    assert NEW_ID.fullmatch(first[HEADER]) and NEW_ID.fullmatch(second[HEADER])
    assert first[HEADER] != second[HEADER]


def test_a_valid_incoming_request_id_is_echoed_and_an_invalid_one_replaced():
    echoed = Client().get("/api/v1/categories/", headers={HEADER: UUID})
    assert echoed[HEADER] == UUID
    replaced = Client().get("/api/v1/categories/", headers={HEADER: "x\r\nSet-Cookie: a=b"})
    assert NEW_ID.fullmatch(replaced[HEADER])
    page = Client().get("/", headers={HEADER: "not valid!"})
    assert page.status_code == 200 and NEW_ID.fullmatch(page[HEADER])


def test_files_keep_their_file_for_sendfile_and_carry_the_id():
    """A FileResponse (WhiteNoise's static files) is not rewrapped: gunicorn's wsgi.file_wrapper
    sends its file (Django's test client would hide that, so the middleware is called alone)."""
    path = ROOT / "geofinder" / "web" / "static" / "web" / "js" / "config.js"
    middleware = RequestIdMiddleware(lambda request: FileResponse(path.open("rb")))
    response = middleware(RequestFactory().get("/static/web/js/config.js"))
    assert NEW_ID.fullmatch(response[HEADER]) and response.file_to_stream is not None
    response.close()


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.core.failing_urls"


@pytest.fixture
def records(caplog):
    """Log records of this test, with the `request_id` the stderr handler's filter gives them."""
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO)
    return caplog


def test_a_server_error_is_logged_with_its_traceback_and_the_id_the_answer_gives(failing_urls, records):
    response = Client(raise_request_exception=False).get("/api/v1/test-failure/?q=1", headers={HEADER: UUID})
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["request_id"] == response[HEADER] == UUID and UUID in body["detail"]
    assert FAILURE not in response.content.decode() and "Traceback" not in response.content.decode()
    [record] = [record for record in records.records if record.name == "django.request"]
    assert record.levelno == logging.ERROR and record.request_id == UUID
    assert "/api/v1/test-failure/" in record.getMessage()
    assert record.exc_info[0] is RuntimeError and str(record.exc_info[1]) == FAILURE


def test_a_page_server_error_shows_the_request_id_in_french_and_english_without_the_traceback(failing_urls, records):
    response = Client(raise_request_exception=False).get("/test-failure/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    request_id = response[HEADER]
    assert NEW_ID.fullmatch(request_id) and page.count(request_id) == 2
    assert "Erreur du serveur" in page and "Server error" in page and FAILURE not in page
    [record] = [record for record in records.records if record.name == "django.request"]
    assert record.request_id == request_id and record.exc_info[0] is RuntimeError


def test_an_error_inside_a_streamed_answer_is_logged_with_the_request_id(failing_urls, records):
    response = Client().get("/api/v1/test-failure/stream/", headers={HEADER: UUID})
    assert response.status_code == 200 and response[HEADER] == UUID
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b'{"type":"FeatureCollection"')
    with pytest.raises(RuntimeError, match="while streaming"):
        next(chunks)
    [record] = [record for record in records.records if record.name == "geofinder.core.request_id"]
    assert record.levelno == logging.ERROR and record.request_id == UUID
    assert "GET /api/v1/test-failure/stream/" in record.getMessage() and record.exc_info[0] is RuntimeError


def test_log_lines_outside_a_request_say_so(records):
    logging.getLogger("geofinder.test").warning("outside")
    [record] = [record for record in records.records if record.name == "geofinder.test"]
    assert record.request_id == "-"


@pytest.fixture(scope="module")
def failing_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn serving the failing views too, its stdout and stderr in a file."""
    log_path = tmp_path_factory.mktemp("failing-server") / "gunicorn.log"
    env = {"DJANGO_SETTINGS_MODULE": "tests.core.failing_settings", "DJANGO_DEBUG": "false", "DJANGO_LOG_LEVEL": "INFO"}
    with django_db_blocker.unblock(), log_path.open("w") as log:
        with geofinder_server(connection.settings_dict, env=env, workers=1, threads=2, log=log) as url:
            yield url, log_path


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def log_lines_with(log_path, request_id: str, timeout: float = 10) -> tuple[list[str], str]:
    """The server's log lines naming the request id (written by the worker shortly after), and
    the whole log."""
    deadline = time.monotonic() + timeout
    while True:
        text = log_path.read_text()
        if request_id in text or time.monotonic() > deadline:
            return [line for line in text.splitlines() if request_id in line], text
        time.sleep(0.1)


def test_gunicorn_logs_a_server_error_to_stderr_with_its_traceback_and_request_id(failing_server):
    url, log_path = failing_server
    status, headers, body = fetch(f"{url}/api/v1/test-failure/")
    assert status == 500 and headers["Content-Type"] == "application/json"
    request_id = headers[HEADER]
    assert NEW_ID.fullmatch(request_id) and json.loads(body)["request_id"] == request_id
    assert FAILURE.encode() not in body
    lines, text = log_lines_with(log_path, request_id)
    assert any("ERROR django.request" in line and "Internal Server Error: /api/v1/test-failure/" in line
               for line in lines), text
    # The traceback follows the line that names the id.
    after = text[text.index(f"[request_id={request_id}] Internal Server Error"):]
    assert "Traceback (most recent call last)" in after and f"RuntimeError: {FAILURE}" in after


def test_gunicorn_logs_an_error_inside_a_streamed_answer_with_the_request_id(failing_server):
    url, log_path = failing_server
    request = urllib.request.Request(f"{url}/api/v1/test-failure/stream/", headers={HEADER: UUID})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and response.headers[HEADER] == UUID
        with pytest.raises(Exception):  # the answer is cut: the client sees it incomplete
            response.read()
    lines, text = log_lines_with(log_path, UUID)
    assert any("ERROR geofinder.core.request_id" in line and "Error while streaming the answer to GET "
               "/api/v1/test-failure/stream/" in line for line in lines), text
    after = text[text.index(f"[request_id={UUID}] Error while streaming"):]
    assert f"RuntimeError: {FAILURE} while streaming" in after


def test_gunicorn_echoes_a_valid_incoming_id_and_replaces_an_invalid_one(failing_server):
    url, _ = failing_server
    status, headers, _ = fetch(f"{url}/api/v1/categories/", {HEADER: UUID})
    assert status == 200 and headers[HEADER] == UUID
    status, headers, _ = fetch(f"{url}/api/v1/categories/", {HEADER: "bad id; with spaces"})
    assert status == 200 and NEW_ID.fullmatch(headers[HEADER])
