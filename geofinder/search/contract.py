"""The query contract: each parameter of a search declared once.

A declaration (`Param`) reads its value from a query string or from a command's options, checks
it — length, characters, syntax, range — and documents itself as an OpenAPI parameter (type,
limits, enum, pattern, example: `geofinder.api.openapi`). The API, its schema, the pages, the
embed, the static maps and the exports all read their parameters here, so that they accept the
same values and reject the others with the same message (a ParamErrors entry naming the field,
HTTP 400 for requests).

Every value is bounded before anything reads it: at most `max_length` characters, no control
character (a NUL byte would reach PostgreSQL, which refuses it), ASCII digits only in numbers
(Python's int() and float() take "²" or "١٢" for digits), date-times within years
MIN_YEAR–MAX_YEAR (datetime arithmetic overflows at the ends of its range), lists of at most a
few items. Free text (`what`, `where`, `q`) is capped at FREE_TEXT_MAX_LENGTH characters: the
longest commune name has 45 characters, and an address with its postcode and commune fits well
within.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from geofinder.search.errors import ParamErrors
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
from geofinder.search.intents import Unread
from geofinder.search.what import CategoryRef, What, category_by_slug, category_suggestions, resolve_what
from geofinder.search.where import Where, WhereAmbiguous, WhereError, resolve_where, where_from_point
from geofinder.territories.models import Commune, Department, Region
from geofinder.territories.selectors import commune_code_today

FREE_TEXT_MAX_LENGTH = 200
# A what text naming no category is looked for in the places' names: at most this long (the
# trigram match of a longer text costs more, and no shop's name is that long).
NAME_MAX_LENGTH = 64
MAX_CATEGORIES = 30  # the largest family has 24 categories
GEOCODE_DEFAULT_LIMIT, GEOCODE_MAX_LIMIT = 10, 20
MIN_YEAR, MAX_YEAR = 1970, 2100  # of `open` date-times

TRUE_WORDS = frozenset({"1", "true", "yes", "on", "oui"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "non"})
NOW_WORDS = frozenset({"now", "maintenant"})
TERRITORY_MODELS = {"region": Region, "department": Department, "commune": Commune}

# C0 and C1 control characters (tab and newline included: no parameter holds them).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
# Kinds in any case, as the parser reads them ("Department:31").
_TERRITORY_PATTERN = (
    r"^\s*("
    + "|".join("".join(f"[{c}{c.upper()}]" for c in kind) for kind in TERRITORY_KINDS)
    + r")\s*:\s*[0-9A-Za-z]{1,5}\s*$"
)

# (stripped text, field name, errors) → the value, or None after adding an error.
Parser = Callable[[str, str, ParamErrors], Any]


@dataclass(frozen=True)
class Param:
    """One parameter: how it is read and checked, and how it is documented.

    `schema` is the OpenAPI 3.0 schema of the value; arrays are comma-separated (OpenAPI style
    `form`, explode false). `max_length` bounds the raw text, whatever the type. A missing or
    blank value is `default`, or an error when the parameter is `required`.
    """

    name: str
    description: str
    schema: Mapping[str, Any]
    parse: Parser
    max_length: int
    default: Any = None
    example: str | None = None
    required: bool = False

    def read(self, values: Mapping[str, str], errors: ParamErrors) -> Any:
        """The value of this parameter in `values` (a QueryDict or a dict of options)."""
        raw = values.get(self.name)
        if raw is None or not str(raw).strip():
            if self.required:
                errors.add(self.name, "is required")
            return self.default
        raw = str(raw)
        if len(raw) > self.max_length:
            errors.add(self.name, f"must be at most {self.max_length} characters long, got {len(raw)}")
            return self.default
        control = _CONTROL.search(raw)
        if control:
            errors.add(self.name, f"must not contain control characters, got U+{ord(control.group()):04X}")
            return self.default
        return self.parse(raw.strip(), self.name, errors)

    def given(self, values: Mapping[str, str]) -> bool:
        """Whether `values` holds a non-blank value for this parameter (valid or not)."""
        return bool(str(values.get(self.name) or "").strip())

    def renamed(self, name: str, *, description: str | None = None) -> Param:
        """The same declaration under another name (the embed's `categories`, `center`)."""
        return replace(self, name=name, description=description or self.description)

    @property
    def is_array(self) -> bool:
        return self.schema.get("type") == "array"


# --- Parsers --------------------------------------------------------------------------------


def _text(raw: str, name: str, errors: ParamErrors) -> str:
    return raw


def integer_parser(low: int, high: int) -> Parser:
    def parse(raw: str, name: str, errors: ParamErrors) -> int | None:
        if not (raw.isascii() and _INTEGER.fullmatch(raw)):
            errors.add(name, f"must be a whole number between {low} and {high}, got {raw!r}")
            return None
        value = int(raw)
        if not low <= value <= high:
            errors.add(name, f"must be between {low} and {high}, got {value}")
            return None
        return value

    return parse


def _decimal(raw: str) -> float | None:
    """A decimal number written in ASCII ("1.52", "-3", "1e3"), else None."""
    if not raw.isascii():
        return None
    try:
        return float(raw)
    except ValueError:
        return None


def _radius(raw: str, name: str, errors: ParamErrors) -> float | None:
    value = _decimal(raw)
    if value is None:
        errors.add(name, f"must be a number of metres, got {raw!r}")
        return None
    if not (math.isfinite(value) and 0 < value <= MAX_RADIUS_M):
        errors.add(name, f"must be more than 0 and at most {MAX_RADIUS_M} metres, got {raw}")
        return None
    return value


def _point(raw: str, name: str, errors: ParamErrors) -> tuple[float, float] | None:
    """(lon, lat) from "lon,lat", with WGS84 ranges checked."""
    parts = raw.split(",")
    if len(parts) != 2:
        errors.add(name, f"expected <longitude>,<latitude> in decimal degrees, got {raw!r}")
        return None
    lon, lat = _decimal(parts[0].strip()), _decimal(parts[1].strip())
    if lon is None or lat is None:
        errors.add(name, f"longitude and latitude must be decimal numbers, got {raw!r}")
        return None
    ok = True
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        errors.add(name, f"longitude {parts[0].strip()} is out of range [-180, 180]")
        ok = False
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        errors.add(name, f"latitude {parts[1].strip()} is out of range [-90, 90]")
        ok = False
    return (lon, lat) if ok else None


def _bbox(raw: str, name: str, errors: ParamErrors) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) from four comma-separated decimal degrees, as
    djangorestframework-gis's InBBoxFilter reads `in_bbox`; not across the antimeridian."""
    parts = [part.strip() for part in raw.split(",")]
    values = [_decimal(part) for part in parts]
    if len(parts) != 4 or any(value is None or not math.isfinite(value) for value in values):
        errors.add(name, f"expected <min lon>,<min lat>,<max lon>,<max lat> in decimal degrees, got {raw!r}")
        return None
    xmin, ymin, xmax, ymax = values
    ok = True
    if not all(-180 <= x <= 180 for x in (xmin, xmax)):
        errors.add(name, "longitudes must be within [-180, 180]")
        ok = False
    if not all(-90 <= y <= 90 for y in (ymin, ymax)):
        errors.add(name, "latitudes must be within [-90, 90]")
        ok = False
    if ok and not (xmin < xmax and ymin < ymax):
        errors.add(name, f"the minimums must be less than the maximums, got {raw!r}")
        ok = False
    return (xmin, ymin, xmax, ymax) if ok else None


_MAX_ID = 2**63 - 1


def _after(raw: str, name: str, errors: ParamErrors) -> tuple[float, int] | None:
    """(metres, id) of the cursor "<metres>,<id>" an answer gave as `next_after`."""
    metres, _, place_id = raw.partition(",")
    distance = _decimal(metres.strip())
    place_id = place_id.strip()
    if distance is None or not math.isfinite(distance) or distance < 0 or not (
        place_id.isascii() and place_id.isdigit() and 0 < int(place_id) <= _MAX_ID
    ):
        errors.add(name, f"expected the next_after of a previous answer, <metres>,<place id>, got {raw!r}")
        return None
    return (distance, int(place_id))


def _open_at(raw: str, name: str, errors: ParamErrors) -> datetime | None:
    """"now" (or true, 1, oui…), nothing (false, 0, non…), or an ISO 8601 date-time, read in the
    server's zone (Europe/Paris) when it has no offset ("+" may arrive as a space)."""
    word = raw.lower()
    if word in NOW_WORDS or word in TRUE_WORDS:
        return timezone.now()
    if word in FALSE_WORDS:
        return None
    text = raw.replace(" ", "+") if raw.count(" ") == 1 and "T" in raw else raw
    try:
        value = datetime.fromisoformat(text) if text.isascii() else None
    except ValueError:
        value = None
    if value is None:
        errors.add(name, f"expected 'now' or an ISO 8601 date-time such as 2026-12-24T18:30+01:00, got {raw!r}")
        return None
    if not MIN_YEAR <= value.year < MAX_YEAR:
        errors.add(name, f"must be a date-time of the years {MIN_YEAR} to {MAX_YEAR - 1}, got {raw!r}")
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return value


def _boolean(raw: str, name: str, errors: ParamErrors) -> bool:
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        errors.add(name, f"expected true or false, got {raw!r}")
    return False


def _artisan(raw: str, name: str, errors: ParamErrors) -> bool | None:
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    errors.add(name, f"expected true or false, got {raw!r}")
    return None


def choices_parser(noun: str, allowed: tuple[str, ...]) -> Parser:
    """Comma-separated values among `allowed`, each once, in the order given."""

    def parse(raw: str, name: str, errors: ParamErrors) -> tuple[str, ...]:
        wanted = tuple(dict.fromkeys(value.strip() for value in raw.split(",") if value.strip()))
        if not wanted:  # commas only: no value is not a value of the list (the schema's enum)
            errors.add(name, f"expected some of {', '.join(allowed)}, got {raw!r}")
        for value in wanted:
            if value not in allowed:
                errors.add(name, f"unknown {noun} {value!r}; expected some of {', '.join(allowed)}")
        return wanted

    return parse


def _categories(raw: str, name: str, errors: ParamErrors) -> tuple[CategoryRef, ...]:
    """The categories of comma-separated slugs, each once, in the order given; an unknown slug
    is an error, with the close categories as hints."""
    slugs = list(dict.fromkeys(slug.strip() for slug in raw.split(",") if slug.strip()))
    if len(slugs) > MAX_CATEGORIES:
        errors.add(name, f"at most {MAX_CATEGORIES} categories, got {len(slugs)}")
        return ()
    categories = []
    for slug in slugs:
        category = category_by_slug(slug)
        if category is None:
            errors.add(name, f"unknown category {slug!r}; see /api/v1/categories/")
            close = category_suggestions(slug)
            if close:
                errors.hints.setdefault(name, []).extend({"slug": c.slug, "label": c.label} for c in close)
        else:
            categories.append(category)
    return tuple(categories)


def _territory(raw: str, name: str, errors: ParamErrors) -> TerritoryFilter | None:
    """A `kind:code` territory that exists, e.g. region:76, department:31, commune:31254."""
    kind, _, code = raw.partition(":")
    kind, code = kind.strip().lower(), code.strip().upper()
    if kind not in TERRITORY_KINDS or not re.fullmatch(r"[0-9A-Z]{1,5}", code):
        errors.add(name, f"expected <kind>:<INSEE code> with kind one of {', '.join(TERRITORY_KINDS)}, got {raw!r}")
        return None
    if kind == "commune":  # a merged commune's code is its successor's: commune:91182 → 91228
        code_today = commune_code_today(code)
        if code_today is None:
            errors.add(name, f"no {kind} with code {code!r}")
            return None
        return TerritoryFilter(kind=kind, code=code_today)
    if not TERRITORY_MODELS[kind].objects.filter(code=code).exists():
        errors.add(name, f"no {kind} with code {code!r}")
        return None
    return TerritoryFilter(kind=kind, code=code)


def _free_text(name: str, description: str, example: str) -> Param:
    return Param(
        name, description, {"type": "string", "maxLength": FREE_TEXT_MAX_LENGTH}, _text,
        max_length=FREE_TEXT_MAX_LENGTH, example=example,
    )


# --- The parameters -------------------------------------------------------------------------

WHAT = _free_text(
    "what", "Category words or a shop's name, with words of intent: boulangerie, pain, plombiers, Chez Marcel, "
    "The Coffee Shop, boulangerie ouverte dimanche, pizza à emporter (instead of category); the answer's what "
    "block says how it was read",
    "boulangerie",
)
CATEGORY = Param(
    "category",
    f"Category slugs, comma-separated, at most {MAX_CATEGORIES} (see /api/v1/categories/; instead of what)",
    {"type": "array", "items": {"type": "string", "pattern": f"^{_SLUG_PATTERN}$", "maxLength": 40},
     "maxItems": MAX_CATEGORIES},
    _categories,
    max_length=MAX_CATEGORIES * 41,
    default=(),
    example="boulangerie,patisserie",
)
NEAR = Param(
    "near",
    "Position as <longitude>,<latitude> in WGS84 decimal degrees (instead of where)",
    {"type": "string", "maxLength": 64},
    _point,
    max_length=64,
    example="1.5206,43.5391",
)
WHERE = _free_text(
    "where", "Commune, postcode or address, resolved by the local gazetteer: Labège, 31670, Castelnau 31620 "
    "(instead of near)", "Labège",
)
RADIUS = Param(
    "radius",
    f"At most this many metres away, geodesic (more than 0, at most {MAX_RADIUS_M}); needs near or where",
    {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": MAX_RADIUS_M},
    _radius,
    max_length=32,
    example="5000",
)
LIMIT = Param(
    "limit",
    f"Number of places, 1 to {MAX_LIMIT}",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    integer_parser(1, MAX_LIMIT),
    max_length=16,
    default=DEFAULT_LIMIT,
    example="20",
)
OPEN = Param(
    "open",
    f"Only the places open then: now, or an ISO 8601 date-time of the years {MIN_YEAR}–{MAX_YEAR - 1} "
    "(without offset: Europe/Paris); the opening statuses are evaluated at that instant. "
    "true, 1 and oui mean now; false, 0 and non no filter",
    {"type": "string", "maxLength": 40},
    _open_at,
    max_length=40,
    example="now",
)
SERVICES_PARAM = Param(
    "services",
    "Only the places offering all these services, comma-separated",
    {"type": "array", "items": {"type": "string", "enum": list(SERVICES)}, "maxItems": len(SERVICES)},
    choices_parser("service", SERVICES),
    max_length=200,
    default=(),
    example="click_and_collect,delivery",
)
TERRITORY = Param(
    "territory",
    f"Only the places of this territory, <kind>:<INSEE code> with kind one of {', '.join(TERRITORY_KINDS)}: "
    "region:76, department:31, commune:31254",
    {"type": "string", "pattern": _TERRITORY_PATTERN, "maxLength": 40},
    _territory,
    max_length=40,
    example="department:31",
)
INCLUDE_CLOSED = Param(
    "include_closed",
    "Also the permanently closed places (default false)",
    {"type": "boolean", "default": False},
    _boolean,
    max_length=16,
    default=False,
)
STATUS = Param(
    "status",
    "Only the places of these statuses, comma-separated (instead of include_closed)",
    {"type": "array", "items": {"type": "string", "enum": list(STATUSES)}, "maxItems": len(STATUSES)},
    choices_parser("status", STATUSES),
    max_length=200,
    default=(),
    example="active",
)
BBOX = Param(
    "bbox",
    "Only the places inside this box, edges included (djangorestframework-gis's in_bbox): "
    "<min lon>,<min lat>,<max lon>,<max lat> in WGS84 decimal degrees. Without near or where, "
    "the places nearest to the box's centre come first",
    {"type": "string", "maxLength": 160},
    _bbox,
    max_length=160,
    example="1.40,43.55,1.50,43.65",
)
AFTER = Param(
    "after",
    "The next page: the places strictly after this one in the order (distance_m, id), given "
    "as `next_after` by the previous answer (<metres>,<place id>); the other parameters unchanged",
    {"type": "string", "maxLength": 64},
    _after,
    max_length=64,
    example="1843.2519383728,4242",
)
CSV_DIALECTS = ("rfc4180", "excel-fr")
DIALECT = Param(
    "dialect",
    "CSV exports only: rfc4180 (default: comma, UTF-8, what geofinder's import reads back) or excel-fr "
    "(for French spreadsheets: semicolon, UTF-8 with a byte order mark, decimal commas, codes quoted as text)",
    {"type": "string", "enum": list(CSV_DIALECTS), "default": "rfc4180"},
    lambda raw, name, errors: raw if raw in CSV_DIALECTS else errors.add(
        name, f"unknown dialect {raw!r}; expected one of {', '.join(CSV_DIALECTS)}"
    ),
    max_length=16,
    default="rfc4180",
    example="excel-fr",
)
GEOJSON_LAYOUTS = ("nested", "flat")
PROPERTIES = Param(
    "properties",
    "GeoJSON exports only: nested (default: the API's objects, category, commune, opening, services…) "
    "or flat (one plain value per property, named as the CSV columns: category_slug, commune_code, "
    "opening_state…; lists as JSON text), which QGIS and spreadsheets show as columns; both read back",
    {"type": "string", "enum": list(GEOJSON_LAYOUTS), "default": "nested"},
    lambda raw, name, errors: raw if raw in GEOJSON_LAYOUTS else errors.add(
        name, f"unknown properties layout {raw!r}; expected one of {', '.join(GEOJSON_LAYOUTS)}"
    ),
    max_length=16,
    default="nested",
    example="flat",
)
ARTISAN = Param(
    "artisan",
    "Only the artisans, registered in the répertoire des métiers (true), or only the others (false); "
    "absent: all",
    {"type": "boolean"},
    _artisan,
    max_length=16,
    example="true",
)
VERIFIED = Param(
    "verified",
    "Only the places whose merchant confirmed some of their fields (default false); each place "
    "says which and when (merchant_confirmed, verified_at)",
    {"type": "boolean", "default": False},
    _boolean,
    max_length=16,
    default=False,
)
GEOCODE_TEXT = Param(
    "q", "Commune, postcode or address text, or its beginning (required)",
    {"type": "string", "minLength": 1, "maxLength": FREE_TEXT_MAX_LENGTH}, _text,
    max_length=FREE_TEXT_MAX_LENGTH, example="Labège", required=True,
)
GEOCODE_LIMIT = Param(
    "limit",
    f"Number of answers, 1 to {GEOCODE_MAX_LIMIT}",
    {"type": "integer", "minimum": 1, "maximum": GEOCODE_MAX_LIMIT, "default": GEOCODE_DEFAULT_LIMIT},
    integer_parser(1, GEOCODE_MAX_LIMIT),
    max_length=16,
    default=GEOCODE_DEFAULT_LIMIT,
    example="10",
)


def _by_name(*params: Param) -> dict[str, Param]:
    return {param.name: param for param in params}


# What the nearest-places search reads, what an export reads (every match: no limit, location
# optional), what a static map reads (an export's, its command options named alike).
SEARCH_PARAMS = _by_name(
    WHAT, CATEGORY, NEAR, WHERE, RADIUS, LIMIT, OPEN, SERVICES_PARAM, TERRITORY, INCLUDE_CLOSED, STATUS, BBOX, AFTER, ARTISAN, VERIFIED
)
# An export holds every match: no limit, no page.
EXPORT_PARAMS = {name: param for name, param in SEARCH_PARAMS.items() if name not in {"limit", "after"}}
# How an export file is written (not what it holds).
EXPORT_FILE_PARAMS = _by_name(DIALECT, PROPERTIES)
# The format each of them applies to.
EXPORT_FILE_PARAM_FORMATS = {DIALECT.name: "csv", PROPERTIES.name: "geojson"}
MAP_PARAMS = {name: param for name, param in EXPORT_PARAMS.items() if name not in {"status", "bbox"}}
GEOCODE_PARAMS = _by_name(GEOCODE_TEXT, GEOCODE_LIMIT)
REQUIRED_TOGETHER = "One of near, where or bbox is required"
OPEN_PARAM_WINS = "le paramètre « open » de la requête l’emporte sur ces mots"


# --- Reading a whole search -----------------------------------------------------------------


def search_query_from(values: Mapping[str, str], *, export: bool = False) -> SearchQuery:
    """The SearchQuery of a query string or of a command's options; raises ParamErrors naming
    every wrong field.

    With `export`, the location is optional (every matching place, wherever it is: a whole
    territory or category) and `limit` is not read (an export holds every match).
    """
    errors = ParamErrors()
    params = EXPORT_PARAMS if export else SEARCH_PARAMS
    read = {name: param.read(values, errors) for name, param in params.items()}
    # A category parameter of commas only is no category (the what text is read instead).
    category_given = bool(str(values.get("category") or "").strip(" ,"))
    what = _what(read["what"], read["category"], errors, category_given=category_given)
    located = NEAR.given(values) or WHERE.given(values)
    where = None
    if located or not (export or BBOX.given(values)):
        where = _where(read["near"], read["where"], errors, near_given=NEAR.given(values), where_given=WHERE.given(values))
    elif read["bbox"] is not None:
        # Without near or where, the box's centre: the nearest to the middle of the map first.
        xmin, ymin, xmax, ymax = read["bbox"]
        where = where_from_point((xmin + xmax) / 2, (ymin + ymax) / 2, locate=False)
        located = True
    if read["radius"] is not None and not (located or BBOX.given(values)):
        errors.add("radius", "a radius needs a location: near=<lon>,<lat> or where=<commune or postcode>")
    if read["status"] and read["include_closed"]:
        errors.add("status", "give either status or include_closed, not both")
    if errors.errors:
        raise errors
    assert what is not None and (where is not None or export)
    open_at = what.open_at
    if OPEN.given(values) and any(intent.filter == "open" for intent in what.intents):
        # The `open` parameter is more precise than words: it wins, and the answer says so.
        words = [Unread(intent.words, OPEN_PARAM_WINS) for intent in what.intents if intent.filter == "open"]
        what = replace(
            what, intents=tuple(i for i in what.intents if i.filter != "open"), open_at=None,
            unread=what.unread + tuple(words),
        )
    if OPEN.given(values):
        open_at = read["open"]
    return SearchQuery(
        where=where,
        what=what,
        limit=DEFAULT_LIMIT if export else read["limit"],
        radius_m=read["radius"],
        open_at=open_at,
        # Services asked by the parameter, then by words (`what`: "livraison").
        services=tuple(dict.fromkeys(read["services"] + what.services)),
        territory=read["territory"],
        include_closed=read["include_closed"],
        statuses=read["status"],
        bbox=read["bbox"],
        after=None if export else read["after"],
        artisan=read["artisan"],
        verified=read["verified"],
    )


def _what(text: str | None, categories: tuple[CategoryRef, ...], errors: ParamErrors, *, category_given: bool) -> What | None:
    if category_given and text:
        errors.add("category", "give either category or what, not both")
        return None
    if not category_given:
        what = resolve_what(text or "")
        if what.name_query and len(what.name_query) > NAME_MAX_LENGTH:
            errors.add(
                "what",
                f"no category recognised, and too long for a shop's name (at most {NAME_MAX_LENGTH} characters): "
                "give category words or a name",
            )
            if what.suggestions:
                errors.hints["what"] = [category.as_dict() for category in what.suggestions]
            return None
        return what
    return What(text="", categories=categories, name_query=None, suggestions=())


def _where(
    near: tuple[float, float] | None, text: str | None, errors: ParamErrors, *, near_given: bool, where_given: bool
) -> Where | None:
    if near_given and where_given:
        errors.add("near", "give either near or where, not both")
        return None
    if near_given:
        # Its commune is looked up by the search's own statement (exports: see located).
        return where_from_point(*near, locate=False) if near else None
    if not where_given:
        errors.add("where", "a location is required: where=<commune, postcode or address>, near=<lon>,<lat> or bbox=<box>")
        return None
    if text is None:  # wrong, and already said so
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


def geocode_query_from(values: Mapping[str, str]) -> tuple[str, int]:
    """The text and the number of answers of a geocoding (autocomplete) request."""
    errors = ParamErrors()
    text = GEOCODE_TEXT.read(values, errors)
    limit = GEOCODE_LIMIT.read(values, errors)
    if errors.errors:
        raise errors
    return text, limit
