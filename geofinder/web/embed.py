"""The parameters of `/embed/`: what a site embedding the map may configure.

    territory=department:31   restrict the search to a territory, named in the answers ("en
                              Haute-Garonne"), searched from its chef-lieu without center/where
    categories=boulangerie,fromagerie   the categories shown (slugs)
    what=…, where=…           initial search words and place (as on the main page)
    center=1.5206,43.5391     map centre and search point, longitude first (like the API's near)
    zoom=13                   initial zoom, 3 to 19 (with center)
    open=now, services=delivery,takeaway, radius=5000   default filters
    accent=%23005f99          accent colour, #rgb or #rrggbb
    lang=fr|en                language

The search parameters are the query contract's (geofinder.search.contract): the embed accepts
and rejects the same values as the API, with the same messages; wrong values are reported per
parameter (ParamErrors), never as a 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from geofinder.search import contract
from geofinder.search.contract import Param, integer_parser
from geofinder.search.errors import ParamErrors
from geofinder.territories.selectors import territory_seat
from geofinder.territories.wording import territory_in

ACCENT = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
DEFAULT_ACCENT = "#005f99"
MIN_ZOOM, MAX_ZOOM = 3, 19


def _accent(raw: str, name: str, errors: ParamErrors) -> str | None:
    match = ACCENT.match(raw)
    if not match:
        errors.add(name, f"expected a colour as #rgb or #rrggbb, got {raw!r}")
        return None
    return "#" + match.group(1).lower()


def _language(raw: str, name: str, errors: ParamErrors) -> str | None:
    language = raw.lower()
    if language not in dict(settings.LANGUAGES):
        errors.add(name, f"expected one of {', '.join(dict(settings.LANGUAGES))}, got {raw!r}")
        return None
    return language


EMBED_PARAMS = {
    param.name: param
    for param in (
        contract.TERRITORY,
        contract.CATEGORY.renamed("categories", description="The categories shown, comma-separated slugs"),
        contract.WHAT,
        contract.WHERE,
        contract.NEAR.renamed("center", description="Map centre and search point, <longitude>,<latitude>"),
        Param(
            "zoom", f"Initial zoom, {MIN_ZOOM} to {MAX_ZOOM} (with center)",
            {"type": "integer", "minimum": MIN_ZOOM, "maximum": MAX_ZOOM}, integer_parser(MIN_ZOOM, MAX_ZOOM),
            max_length=16,
        ),
        contract.OPEN,
        contract.SERVICES_PARAM,
        contract.RADIUS,
        Param("accent", "Accent colour, #rgb or #rrggbb", {"type": "string", "pattern": ACCENT.pattern}, _accent,
              max_length=64, default=DEFAULT_ACCENT),
        Param("lang", "Language: fr or en", {"type": "string", "enum": [code for code, _ in settings.LANGUAGES]},
              _language, max_length=16),
    )
}


@dataclass(frozen=True)
class EmbedConfig:
    state: dict  # the initial search state, in the form the page's script reads (state.js)
    center: tuple[float, float] | None  # (lon, lat)
    zoom: int | None
    accent: str
    language: str
    fixed_categories: tuple[dict, ...]  # [{"slug", "label"}] the embed is limited to, or ()
    # The territory as the page names it and searches it: {"value": "department:31", "name":
    # "Haute-Garonne", "in": "en Haute-Garonne", "seat": {"code", "name", "lon", "lat"} | None}.
    territory: dict | None = None

    def as_script_config(self) -> dict:
        return {
            "state": self.state,
            "center": list(self.center) if self.center else None,
            "zoom": self.zoom,
            "categories": list(self.fixed_categories),
            "territory": self.territory,
        }


def embed_config_from(params: Mapping[str, str]) -> EmbedConfig:
    """The embed's configuration; raises ParamErrors naming each wrong parameter."""
    errors = ParamErrors()
    for name in sorted(set(params) - set(EMBED_PARAMS)):
        errors.add(name[:40], f"unknown parameter; expected some of {', '.join(sorted(EMBED_PARAMS))}")
    read = {name: param.read(params, errors) for name, param in EMBED_PARAMS.items()}
    center, where = read["center"], read["where"]
    if EMBED_PARAMS["center"].given(params) and where:
        errors.add("center", "give either center or where, not both")
    if errors.errors:
        raise errors
    categories = [category.as_dict() for category in read["categories"]]
    language = read["lang"] or settings.LANGUAGE_CODE
    return EmbedConfig(
        state={
            "what": "" if categories else (read["what"] or ""),
            "category": ",".join(c["slug"] for c in categories),
            "where": where or "",
            "near": f"{center[0]},{center[1]}" if center else "",
            "radius": params.get("radius", "").strip() if read["radius"] else "",
            "open": _open_state(params.get("open", ""), read["open"]),
            "services": list(read["services"]),
            "territory": str(read["territory"]) if read["territory"] else "",
            "place": "",
        },
        center=center,
        zoom=read["zoom"],
        accent=read["accent"],
        language=language,
        fixed_categories=tuple(categories),
        territory=_territory(read["territory"], language),
    )


def _territory(value, language: str) -> dict | None:
    """How the embed names its territory and where it searches it from when given no place:
    its chef-lieu (a commune: itself)."""
    if value is None:
        return None
    found = territory_seat(kind=value.kind, code=value.code)
    if found is None:
        return None
    words = territory_in(kind=value.kind, code=found["code"], name=found["name"], article=found["article"],
                         language=language)
    return {"value": str(value), "name": found["name"], "in": words, "seat": found["seat"]}


def _open_state(raw: str, value) -> bool | str:
    """The page's `open`: true for now, the date-time as given, false for none (state.js)."""
    word = raw.strip().lower()
    if value is None:
        return False
    return True if word in contract.NOW_WORDS | contract.TRUE_WORDS else raw.strip()
