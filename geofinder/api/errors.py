"""Errors of the API answered as JSON, like its other answers.

- A statement cancelled by the requests' timeout (geofinder.core.timeouts) is a 503 with
  Retry-After, not a 500: the search was too costly, the service is fine.
- Addresses that match no route under /api/ (a place id that is not a number, an unknown
  path) and requests Django refuses before any view (too many parameters) get the API's JSON
  404 and 400; the residents' pages keep Django's HTML ones.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from geofinder.core.timeouts import is_statement_timeout

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_S = 5


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, and a 503 for statements past the requests' timeout."""
    if is_statement_timeout(exc):
        request = context.get("request")
        logger.warning("statement timeout: %s", request.get_full_path() if request else "?")
        return Response(
            {"detail": "The search took too long and was stopped: narrow it (a radius, a territory, "
                       "a category) or try again later."},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    return drf_exception_handler(exc, context)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": f"nothing at {request.path}; see /api/v1/docs/"}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": f"bad request: {exception}", "errors": {}}, status=400)
    return defaults.bad_request(request, exception)
