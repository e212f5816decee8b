"""The parameters of `/embed/`: what a site embedding the map may configure.

    territory=department:31   restrict the search to a territory (and frame it)
    categories=boulangerie,fromagerie   the categories shown (slugs)
    what=…, where=…           initial search words and place (as on the main page)
    center=1.5206,43.5391     map centre and search point, longitude first (like the API's near)
    zoom=13                   initial zoom, 3 to 19 (with center)
    open=now, services=delivery,takeaway, radius=5000   default filters
    accent=%23005f99          accent colour, #rgb or #rrggbb
    lang=fr|en                language

Wrong values are reported per parameter (ParamErrors, as the API does), never as a 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict

from geofinder.api.params import (
    ParamErrors,
    categories_from,
    point_from,
    radius_from,
    services_from,
    territory_from,
)

ACCENT = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
DEFAULT_ACCENT = "#005f99"
MIN_ZOOM, MAX_ZOOM = 3, 19
OPEN_VALUES = {"": False, "now": True, "1": True, "true": True, "0": False, "false": False}
KNOWN = {"territory", "categories", "what", "where", "center", "zoom", "open", "services", "radius", "accent", "lang"}


@dataclass(frozen=True)
class EmbedConfig:
    state: dict  # the initial search state, in the form the page's script reads (state.js)
    center: tuple[float, float] | None  # (lon, lat)
    zoom: int | None
    accent: str
    language: str
    fixed_categories: tuple[dict, ...]  # [{"slug", "label"}] the embed is limited to, or ()

    def as_script_config(self) -> dict:
        return {
            "state": self.state,
            "center": list(self.center) if self.center else None,
            "zoom": self.zoom,
            "categories": list(self.fixed_categories),
        }


def embed_config_from(params: QueryDict) -> EmbedConfig:
    """The embed's configuration; raises ParamErrors naming each wrong parameter."""
    errors = ParamErrors()
    for name in sorted(set(params) - KNOWN):
        errors.add(name, f"unknown parameter; expected some of {', '.join(sorted(KNOWN))}")
    territory = territory_from(params.get("territory", ""), errors)
    categories = [category.as_dict() for category in categories_from(params.get("categories", ""), "categories", errors)]
    center_raw = params.get("center", "").strip()
    center = point_from(center_raw, "center", errors) if center_raw else None
    zoom = _zoom(params.get("zoom", "").strip(), errors)
    open_raw = params.get("open", "").strip().lower()
    if open_raw not in OPEN_VALUES:
        errors.add("open", f"expected 'now' or nothing, got {open_raw!r}")
    services = list(services_from(params, errors))
    radius = radius_from(params, errors)  # the API's check: metres, more than 0, at most MAX_RADIUS_M
    accent = _accent(params.get("accent", "").strip(), errors)
    language = params.get("lang", "").strip().lower() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        errors.add("lang", f"expected one of {', '.join(dict(settings.LANGUAGES))}, got {language!r}")
    where, what = params.get("where", "").strip(), params.get("what", "").strip()
    if center and where:
        errors.add("center", "give either center or where, not both")
    if errors.errors:
        raise errors
    state = {
        "what": "" if categories else what,
        "category": ",".join(c["slug"] for c in categories),
        "where": where,
        "near": f"{center[0]},{center[1]}" if center else "",
        "radius": params.get("radius", "").strip() if radius else "",
        "open": OPEN_VALUES[open_raw],
        "services": services,
        "territory": str(territory) if territory else "",
        "place": "",
    }
    return EmbedConfig(
        state=state,
        center=center,
        zoom=zoom,
        accent=accent,
        language=language,
        fixed_categories=tuple(categories),
    )


def _zoom(raw: str, errors: ParamErrors) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or not MIN_ZOOM <= int(raw) <= MAX_ZOOM:
        errors.add("zoom", f"must be a whole number from {MIN_ZOOM} to {MAX_ZOOM}, got {raw!r}")
        return None
    return int(raw)


def _accent(raw: str, errors: ParamErrors) -> str:
    if not raw:
        return DEFAULT_ACCENT
    match = ACCENT.match(raw)
    if not match:
        errors.add("accent", f"expected a colour as #rgb or #rrggbb, got {raw!r}")
        return DEFAULT_ACCENT
    return "#" + match.group(1).lower()
