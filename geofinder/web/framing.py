"""Who may frame geofinder's pages, and the Content-Security-Policy of the map pages.

Only the views marked `@embeddable` (the `/embed/` map) may be framed, by the site itself and by
the origins of `GEOFINDER_EMBED_ORIGINS`: they send `frame-ancestors 'self' <origins>` and no
X-Frame-Options. Every other response sends `X-Frame-Options: DENY` (Django's clickjacking
middleware) and `frame-ancestors 'none'`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt

CSP = "Content-Security-Policy"


def embeddable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view's responses as frameable by the allowed origins."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.geofinder_embeddable = True
        return response

    return xframe_options_exempt(wrapped)


def frame_ancestors(embeddable: bool) -> str:
    if not embeddable:
        return "frame-ancestors 'none'"
    return " ".join(["frame-ancestors 'self'", *settings.GEOFINDER_EMBED_ORIGINS])


def tile_origin(url_template: str) -> str | None:
    """The origin tiles come from, for img-src: "https://tile.openstreetmap.org", with a
    `{s}` subdomain placeholder as a wildcard ("https://*.tile.openstreetmap.fr")."""
    if not url_template:
        return None
    parts = urlsplit(url_template.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return None  # a relative URL: tiles served by this site
    return f"{parts.scheme}://{parts.netloc}"


def map_page_policy() -> str:
    """CSP of the map pages: scripts, styles and data from this site only (no CDN, no
    tracker); images also from the tile server. frame-ancestors is added by the middleware."""
    images = " ".join(filter(None, ["'self'", "data:", tile_origin(settings.GEOFINDER_TILE_URL)]))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; frame-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'"
    )


class FrameAncestorsMiddleware:
    """Adds the frame-ancestors directive to every response's Content-Security-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        directive = frame_ancestors(getattr(response, "geofinder_embeddable", False))
        existing = response.get(CSP)
        response[CSP] = f"{existing}; {directive}" if existing else directive
        return response
