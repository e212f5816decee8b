"""The vendored Leaflet and Leaflet.markercluster, inlined so that a static map opens offline.

The files are those served by the web pages (geofinder/web/static/vendor/, see its README), found
through the staticfiles finders; the images Leaflet's CSS refers to become data: URIs.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

LEAFLET = "vendor/leaflet-1.9.4"
MARKERCLUSTER = "vendor/leaflet.markercluster-1.5.3"

SCRIPTS = (f"{LEAFLET}/leaflet.js", f"{MARKERCLUSTER}/leaflet.markercluster.js")
STYLESHEETS = (
    f"{LEAFLET}/leaflet.css",
    f"{MARKERCLUSTER}/MarkerCluster.css",
    f"{MARKERCLUSTER}/MarkerCluster.Default.css",
)
OWN_SCRIPT = Path(__file__).parent / "js" / "opening_status.js"

_CSS_IMAGE = re.compile(r"url\((['\"]?)(images/[\w.-]+\.png)\1\)")
# What would end an inline <script> or <style> element early.
_END_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def _static_file(name: str) -> Path:
    found = finders.find(name)
    if not found:
        raise ImproperlyConfigured(f"static file {name} not found (vendored in geofinder/web/static/)")
    return Path(found)


def _checked(text: str, name: str) -> str:
    if _END_TAG.search(text):
        raise ImproperlyConfigured(f"{name} cannot be inlined: it contains a closing script or style tag")
    return text


def _data_uris(css: str, folder: Path) -> str:
    def replace(match: re.Match) -> str:
        data = base64.b64encode((folder / match.group(2)).read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{data}")'

    return _CSS_IMAGE.sub(replace, css)


@lru_cache(maxsize=1)
def inline_scripts() -> str:
    """Leaflet, markercluster and the page's opening-status script, as one <script> body each."""
    texts = [_checked(_static_file(name).read_text(encoding="utf-8"), name) for name in SCRIPTS]
    texts.append(_checked(OWN_SCRIPT.read_text(encoding="utf-8"), OWN_SCRIPT.name))
    return "\n".join(f"<script>{text}</script>" for text in texts)


@lru_cache(maxsize=1)
def inline_styles() -> str:
    """Leaflet's and markercluster's CSS, images inlined, as <style> elements."""
    styles = []
    for name in STYLESHEETS:
        path = _static_file(name)
        styles.append(_checked(_data_uris(path.read_text(encoding="utf-8"), path.parent), name))
    return "\n".join(f"<style>{text}</style>" for text in styles)
