"""The answer to a server error (handler500): no traceback, only the request id to quote.

The error itself is logged with its traceback and the same id (`django.request`, see LOGGING in
settings), so that an operator finds it from the id a user quotes.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape

from geofinder.core.request_id import current_request_id, request_id_of

API_PREFIX = "/api/"

PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Erreur du serveur</title></head>
<body>
<h1>Erreur du serveur</h1>
<p>Le service n’a pas pu répondre à cette demande. Si vous signalez le problème, indiquez cet
identifiant : <code>{request_id}</code>.</p>
<p lang="en">Server error: the service could not answer this request. If you report it, quote this
id: <code>{request_id}</code>.</p>
</body>
</html>
"""


def server_error(request: HttpRequest) -> HttpResponse:
    """HTTP 500: JSON under /api/, a short French-then-English page elsewhere, both giving the
    request id (also in the X-Request-ID header)."""
    request_id = getattr(request, "request_id", None) or current_request_id() or request_id_of(None)
    if request.path.startswith(API_PREFIX):
        detail = f"Internal server error. If you report it, quote the request id {request_id}."
        return JsonResponse({"detail": detail, "request_id": request_id}, status=500)
    return HttpResponse(PAGE.format(request_id=escape(request_id)), status=500, content_type="text/html; charset=utf-8")
