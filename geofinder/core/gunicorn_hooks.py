"""gunicorn's answers to requests it refuses before Django sees them, in the API's JSON.

gunicorn answers a request line longer than `limit_request_line` (4094 bytes: a long query
string) or too many or too large header fields with an HTML page of its own. `post_fork` (named
in gunicorn.conf.py, so whatever the worker class) makes each worker answer those as the API
answers a bad request: `{"detail": "...", "errors": {"request_line": ["..."]}}`, with
`Content-Type: application/json` and an `X-Request-ID`; gunicorn's status is kept (414 URI Too
Long, 431 Request Header Fields Too Large). Every other error is left to gunicorn.

No Django here: this runs in gunicorn's processes before (and apart from) the application.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.http.wsgi import Response, default_environ


def refused_request(exc: BaseException) -> tuple[int, str, dict] | None:
    """(status, reason, JSON body) of the answer to a request gunicorn refuses for its size, or
    None for any other error."""
    if isinstance(exc, LimitRequestLine):
        message = f"the request line (method, path and query string) is too long: {exc}"
        errors = {"request_line": [message]}
        return 414, "URI Too Long", {"detail": "Invalid request: request_line", "errors": errors}
    if isinstance(exc, LimitRequestHeaders):
        message = f"too many or too large header fields: {exc}"
        errors = {"headers": [message]}
        return 431, "Request Header Fields Too Large", {"detail": "Invalid request: headers", "errors": errors}
    return None


def http_answer(status: int, reason: str, content: bytes, request_id: str) -> bytes:
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(content)}\r\n"
        f"X-Request-ID: {request_id}\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + content


def post_fork(server, worker) -> None:
    """gunicorn server hook: this worker answers oversized requests in JSON (see the module)."""
    gunicorn_handle_error = worker.handle_error

    def handle_error(req, client, addr, exc):
        refused = refused_request(exc)
        if refused is None:
            return gunicorn_handle_error(req, client, addr, exc)
        started = datetime.now()
        status, reason, body = refused
        request_id = uuid.uuid4().hex
        address = addr[0] if isinstance(addr, tuple) and addr else ""
        worker.log.warning("Invalid request from ip=%s: %s [request_id=%s]", address, exc, request_id)
        content = json.dumps(body).encode()
        answer = http_answer(status, reason, content, request_id)
        if req is not None:  # the access log line, as gunicorn writes it for its own refusals
            environ = default_environ(req, client, worker.cfg)
            response = Response(req, client, worker.cfg)
            response.status = f"{status} {reason}"
            response.response_length = len(content)
            worker.log.access(response, req, environ, datetime.now() - started)
        try:
            util.write_nonblock(client, answer)
        except OSError:
            worker.log.debug("Failed to send the error answer.")

    worker.handle_error = handle_error
