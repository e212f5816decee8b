"""A request id for every request: in the `X-Request-ID` response header and in every log line
written while the request is served, so that a user quoting the id of a failed request leads
to its traceback.

A proxy in front may pass its own id (nginx's `$request_id`, a load balancer's UUID): an incoming
`X-Request-ID` is kept when it matches `VALID_REQUEST_ID` (8 to 64 letters, digits, `-` or `_`:
a UUID, 32 hex digits, a ULID), so that it cannot carry anything into a log line or a header;
any other value is replaced by a new id (32 hex digits).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar

from django.http import FileResponse, HttpRequest, HttpResponse

HEADER = "X-Request-ID"
VALID_REQUEST_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{7,63}")
NO_REQUEST = "-"  # in log lines written outside a request (commands, start-up)

_request_id: ContextVar[str | None] = ContextVar("geofinder_request_id", default=None)
logger = logging.getLogger(__name__)


def current_request_id() -> str | None:
    """The id of the request being served by this thread, None outside a request."""
    return _request_id.get()


def request_id_of(incoming: str | None) -> str:
    """The incoming id when it is a valid one, else a new one."""
    if incoming and VALID_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request its id (first in MIDDLEWARE, so that every answer carries it, the
    redirects and the 500s of the other middleware included). The id is `request.request_id`,
    and `current_request_id()` while the view runs and while a streamed answer is produced."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id = request_id_of(request.headers.get(HEADER))
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        # Files (static ones) are left as they are: gunicorn sends them with sendfile.
        if response.streaming and not response.is_async and not isinstance(response, FileResponse):
            response.streaming_content = _streamed(response.streaming_content, request_id, request)
        return response


def _streamed(chunks: Iterable[bytes], request_id: str, request: HttpRequest) -> Iterator[bytes]:
    """The chunks of a streamed answer (an export), each produced with the request's id set, and
    an error while producing one logged with its traceback and the id, then raised again (the
    server then cuts the answer, so the client sees it incomplete). Closing the original chunks
    (a client that left) stays with the response, which closes whatever it was given."""
    iterator = iter(chunks)
    while True:
        token = _request_id.set(request_id)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except Exception:
            logger.exception("Error while streaming the answer to %s %s", request.method, request.get_full_path())
            raise
        finally:
            _request_id.reset(token)
        yield chunk


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record (the current request's id, or "-"), for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:  # unless given (`extra={"request_id": …}`)
            record.request_id = _request_id.get() or NO_REQUEST
        return True
