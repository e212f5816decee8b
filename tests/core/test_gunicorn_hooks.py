"""gunicorn's refusals of oversized requests come in the API's JSON (a real gunicorn, started as
`make serve` starts it, with gunicorn.conf.py)."""

import json
import re
import socket
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.servers import geofinder_server

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with geofinder_server(connection.settings_dict, env={}, workers=1, threads=2) as url:
            yield urlsplit(url).port


def exchange(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send raw bytes, read the whole answer (the server closes): status line, headers, body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        client.sendall(request)
        received = b""
        while chunk := client.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return status, headers, body


def test_a_10_kb_query_string_gets_the_api_json_error_naming_the_request_line(server):
    query = "what=" + "boulangerie+" * 850  # 10 KB
    status, headers, body = exchange(server, f"GET /api/v1/places/?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert status == "HTTP/1.1 414 URI Too Long"
    assert headers["content-type"] == "application/json" and int(headers["content-length"]) == len(body)
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
    answer = json.loads(body)
    assert answer["detail"] == "Invalid request: request_line"
    [message] = answer["errors"]["request_line"]
    assert "request line" in message and "4094" in message


def test_too_many_header_fields_get_the_api_json_error_naming_the_headers(server):
    fields = "".join(f"X-Field-{n}: {n}\r\n" for n in range(150))  # gunicorn's limit: 100 fields
    status, headers, body = exchange(server, f"GET /api/v1/categories/ HTTP/1.1\r\nHost: 127.0.0.1\r\n{fields}\r\n".encode())
    assert status == "HTTP/1.1 431 Request Header Fields Too Large"
    assert headers["content-type"] == "application/json"
    answer = json.loads(body)
    assert answer["detail"] == "Invalid request: headers" and list(answer["errors"]) == ["headers"]


def test_other_malformed_requests_keep_gunicorns_answer_and_ordinary_ones_are_served(server):
    status, headers, _ = exchange(server, b"GET /api/v1/categories/ HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n")
    assert status.startswith("HTTP/1.1 400") and headers["content-type"] == "text/html"
    status, headers, body = exchange(
        server, b"GET /api/v1/categories/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert status == "HTTP/1.1 200 OK" and headers["content-type"] == "application/json"
