"""Content negotiation for the API, cheap in the common case.

Scripts, `fetch()` and curl ask for anything (`Accept: */*`, or no header at all): they get the
view's first renderer at once, with the media type it declares (what DRF's negotiation answers
them too, after parsing the header and every renderer's media type: a tenth of a search's own
Python time). Any other Accept header, or `?format=`, goes through DRF's negotiation as usual.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework.exceptions import APIException
from rest_framework.negotiation import DefaultContentNegotiation

ANYTHING = "*/*"


class UnknownFormat(APIException):
    """`?format=` naming no renderer of the view: a wrong parameter (DRF answers 404)."""

    status_code = 400


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        anything = request.META.get("HTTP_ACCEPT", ANYTHING).strip() == ANYTHING
        if anything and not format_suffix and self.settings.URL_FORMAT_OVERRIDE not in request.query_params:
            return renderers[0], renderers[0].media_type
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            name = self.settings.URL_FORMAT_OVERRIDE
            formats = ", ".join(renderer.format for renderer in renderers)
            given = format_suffix or request.query_params.get(name, "")
            raise UnknownFormat(
                {"detail": f"Invalid parameters: {name}",
                 "errors": {name: [f"unknown format {given[:40]!r}; expected one of {formats}"]}}
            ) from None
