"""Reading the search parameters of a request, with an error naming each wrong field.

Every reader of the search (the API, the pages, the embed, the exports) turns its query string
into a SearchQuery here, so that the same input gets the same answer, or the same HTTP 400.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from geofinder.search.query import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_RADIUS_M,
    SERVICES,
    STATUSES,
    TERRITORY_KINDS,
    SearchQuery,
    TerritoryFilter,
)
from geofinder.search.what import CategoryRef, What, category_by_slug, category_suggestions, resolve_what
from geofinder.search.where import Where, WhereAmbiguous, WhereError, resolve_where, where_from_point
from geofinder.territories.models import Commune, Department, Region

TRUE_WORDS = {"1", "true", "yes", "on", "oui"}
FALSE_WORDS = {"0", "false", "no", "off", "non", ""}
TERRITORY_MODELS = {"region": Region, "department": Department, "commune": Commune}


@dataclass
class ParamErrors(Exception):
    """Wrong parameters: field name → messages, with optional candidates/suggestions per field."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    hints: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def as_dict(self) -> dict:
        body: dict = {"detail": "Invalid parameters: " + ", ".join(self.errors), "errors": self.errors}
        if self.hints:
            body["hints"] = self.hints
        return body

    def as_options_text(self) -> str:
        """For management commands: "Invalid options: --near: longitude 200 is out of range
        [-180, 180]; --category: unknown category 'x' (close: …)"."""
        parts = []
        for name, messages in self.errors.items():
            text = f"--{name.replace('_', '-')}: " + "; ".join(messages)
            hints = self.hints.get(name)
            if hints:
                text += " (close: " + ", ".join(hint.get("slug") or hint.get("label", "") for hint in hints) + ")"
            parts.append(text)
        return "Invalid options: " + "; ".join(parts)


def search_query_from(params: QueryDict, *, export: bool = False) -> SearchQuery:
    """The SearchQuery of a request's query string; raises ParamErrors naming every wrong field.

    With `export`, the location is optional (every matching place, wherever it is: a whole
    territory or category) and `limit` is not read (an export holds every match).
    """
    errors = ParamErrors()
    what = _what(params, errors)
    located = bool(params.get("near", "").strip() or params.get("where", "").strip())
    where = _where(params, errors) if located or not export else None
    limit = DEFAULT_LIMIT if export else _integer(params, "limit", errors, default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    radius = radius_from(params, errors)
    if radius is not None and not located:
        errors.add("radius", "a radius needs a location: near=<lon>,<lat> or where=<commune or postcode>")
    open_at = open_at_from(params.get("open", ""), errors)
    services = services_from(params, errors)
    territory = territory_from(params.get("territory", ""), errors)
    include_closed = _boolean(params, "include_closed", errors)
    statuses = _statuses(params, errors)
    if statuses and include_closed:
        errors.add("status", "give either status or include_closed, not both")
    if errors.errors:
        raise errors
    assert what is not None and (where is not None or export)
    return SearchQuery(
        where=where,
        what=what,
        limit=limit,
        radius_m=radius,
        open_at=open_at,
        services=services,
        territory=territory,
        include_closed=include_closed,
        statuses=statuses,
    )


def _what(params: QueryDict, errors: ParamErrors) -> What | None:
    raw = params.get("category", "").strip(", ")
    text = params.get("what", "").strip()
    if raw and text:
        errors.add("category", "give either category or what, not both")
        return None
    if not raw:
        return resolve_what(text)
    return What(text="", categories=categories_from(raw, "category", errors), name_query=None, suggestions=())


def categories_from(raw: str, name: str, errors: ParamErrors) -> tuple[CategoryRef, ...]:
    """The categories of comma-separated slugs, each once, in the order given; an unknown slug
    is an error of field `name`, with the close categories as hints."""
    categories = []
    for slug in dict.fromkeys(slug.strip() for slug in raw.split(",") if slug.strip()):
        category = category_by_slug(slug)
        if category is None:
            errors.add(name, f"unknown category {slug!r}; see /api/v1/categories/")
            close = category_suggestions(slug)
            if close:
                errors.hints.setdefault(name, []).extend({"slug": c.slug, "label": c.label} for c in close)
        else:
            categories.append(category)
    return tuple(categories)


def _where(params: QueryDict, errors: ParamErrors) -> Where | None:
    near, text = params.get("near", "").strip(), params.get("where", "").strip()
    if near and text:
        errors.add("near", "give either near or where, not both")
        return None
    if near:
        point = point_from(near, "near", errors)
        # Its commune is looked up by the search's own statement (exports: see located).
        return where_from_point(*point, locate=False) if point else None
    if not text:
        errors.add("where", "a location is required: where=<commune, postcode or address> or near=<lon>,<lat>")
        return None
    try:
        return resolve_where(text)
    except WhereError as exc:
        errors.add("where", exc.message)
        if exc.candidates:
            errors.hints["where"] = [candidate.as_dict() for candidate in exc.candidates]
        if isinstance(exc, WhereAmbiguous) and not exc.candidates:
            errors.add("where", "several places match")
        return None


def point_from(value: str, name: str, errors: ParamErrors) -> tuple[float, float] | None:
    """(lon, lat) from "lon,lat", with WGS84 ranges checked."""
    parts = value.split(",")
    if len(parts) != 2:
        errors.add(name, f"expected <longitude>,<latitude> in decimal degrees, got {value!r}")
        return None
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except ValueError:
        errors.add(name, f"longitude and latitude must be decimal numbers, got {value!r}")
        return None
    ok = True
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        errors.add(name, f"longitude {parts[0].strip()} is out of range [-180, 180]")
        ok = False
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        errors.add(name, f"latitude {parts[1].strip()} is out of range [-90, 90]")
        ok = False
    return (lon, lat) if ok else None


def _integer(params: QueryDict, name: str, errors: ParamErrors, *, default: int, low: int, high: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        errors.add(name, f"must be a whole number between {low} and {high}, got {raw!r}")
        return default
    if not low <= value <= high:
        errors.add(name, f"must be between {low} and {high}, got {value}")
    return value


def radius_from(params: QueryDict, errors: ParamErrors) -> float | None:
    raw = params.get("radius", "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        errors.add("radius", f"must be a number of metres, got {raw!r}")
        return None
    if not (math.isfinite(value) and 0 < value <= MAX_RADIUS_M):
        errors.add("radius", f"must be more than 0 and at most {MAX_RADIUS_M} metres, got {raw}")
        return None
    return value


def open_at_from(raw: str, errors: ParamErrors, *, name: str = "open") -> datetime | None:
    """"now", or an ISO 8601 date-time (without offset: read in the server's zone, Europe/Paris)."""
    raw = raw.strip()
    if not raw:
        return None
    if raw.lower() in {"now", "maintenant"}:
        return timezone.now()
    try:
        value = datetime.fromisoformat(raw.replace(" ", "+") if raw.count(" ") == 1 and "T" in raw else raw)
    except ValueError:
        errors.add(name, f"expected 'now' or an ISO 8601 date-time such as 2026-12-24T18:30+01:00, got {raw!r}")
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


def services_from(params: QueryDict, errors: ParamErrors) -> tuple[str, ...]:
    return _choices(params, "services", "service", SERVICES, errors)


def _statuses(params: QueryDict, errors: ParamErrors) -> tuple[str, ...]:
    return _choices(params, "status", "status", STATUSES, errors)


def _choices(params: QueryDict, name: str, noun: str, allowed: tuple[str, ...], errors: ParamErrors) -> tuple[str, ...]:
    """Comma-separated values among `allowed`, without repeats."""
    wanted = tuple(dict.fromkeys(s.strip() for s in params.get(name, "").split(",") if s.strip()))
    for value in wanted:
        if value not in allowed:
            errors.add(name, f"unknown {noun} {value!r}; expected some of {', '.join(allowed)}")
    return wanted


def territory_from(raw: str, errors: ParamErrors, *, name: str = "territory") -> TerritoryFilter | None:
    """A `kind:code` territory that exists, e.g. region:76, department:31, commune:31254."""
    raw = raw.strip()
    if not raw:
        return None
    kind, _, code = raw.partition(":")
    kind, code = kind.strip().lower(), code.strip().upper()
    if kind not in TERRITORY_KINDS or not code:
        errors.add(name, f"expected <kind>:<INSEE code> with kind one of {', '.join(TERRITORY_KINDS)}, got {raw!r}")
        return None
    if not TERRITORY_MODELS[kind].objects.filter(code=code).exists():
        errors.add(name, f"no {kind} with code {code!r}")
        return None
    return TerritoryFilter(kind=kind, code=code)


def _boolean(params: QueryDict, name: str, errors: ParamErrors) -> bool:
    raw = params.get(name, "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw not in FALSE_WORDS:
        errors.add(name, f"expected true or false, got {raw!r}")
    return False
