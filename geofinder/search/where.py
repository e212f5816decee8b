"""The *where* of a search: a point, a commune, a postcode or an address, resolved to one point.

The gazetteer is the 2018 communes and La Poste's postcodes in PostGIS. Texts are compared
through `geofinder.core.text.place_name_key` (lower case, no accents, "St" = Saint, leading
article dropped), the key stored in `Commune.search_name`:

- "31670" → the postcode; shared by several communes, its point is the centroid of theirs;
- "Labège", "LABEGE", "St-Orens-de-Gameville" → the commune; the most precise match wins:
  exact key, then the one commune whose key starts with the text, then the one commune within a
  few typos ("Toulousse") found through the trigram index on `search_name`;
- "Saint-Martin 32", "Saint-Martin (2A)" → restricted to a département; "Castelnau 31620",
  "31670 Labège" → restricted to the communes of a postcode;
- "Paris 15e", "Lyon 3e arrondissement" → the arrondissement's postcode;
- "12 rue de la Paix, 31670 Labège" → the address through the network geocoder when enabled,
  else its locality, labelled as approximate.

A commune's point is La Poste's point for it (its row without hamlet first), else a point
inside its polygon. Several communes matching equally raise WhereAmbiguous, listing them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import connection

from geofinder.core.text import edit_distance, fold, place_name_key
from geofinder.imports.geocoding import NetworkGeocoder, department_code_of_postcode
from geofinder.territories.models import Commune, Department, PostalCode
from geofinder.territories.selectors import commune_codes_at_point

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 10  # communes listed by WhereAmbiguous
APPROXIMATE = "adresse approchée à la commune"
# Typos tolerated in a name, by length of its key: none up to 4 letters, 1 up to 7, 2 beyond.
_TYPO_FREE_MAX_LEN, _ONE_TYPO_MAX_LEN = 4, 7
# Shortest key looked up as a prefix ("Lab" → Labège, Labarthe-sur-Lèze…).
_MIN_PREFIX_LEN = 3
# Communes read from the trigram index when looking for typos.
_SIMILAR_LIMIT = 50
# Longest commune key ("saint remy en bouzemont saint genest et isson" has 45 letters, 8
# words), with room for two typos: longer texts name no commune, and are not looked up by the
# costlier trigram search.
_LONGEST_NAME_KEY = 48
_LONGEST_NAME_WORDS = 8

# The country at the end of an address: "Toulouse, France", "31670 Labège France" (dropped only
# after a comma or a postcode: "Roissy-en-France" and "Fort de France" are communes).
_COUNTRY = re.compile(r"[\s,]+france\s*$", re.IGNORECASE)
# Labels given back as where texts: "31320 (Aureville, … et 6 autres communes)",
# "Labège (31), adresse approchée à la commune".
_POSTCODE_LABEL = re.compile(r"^\s*(?P<code>[0-9]{5}) \(.*\)\s*$")
_APPROXIMATE_SUFFIX = re.compile(rf"(?:, | \(){APPROXIMATE}\)?\s*$")
_POSTCODE = re.compile(r"(?<![0-9])[0-9]{5}(?![0-9])")
# "Saint-Martin 32", "Saint-Martin (2A)", "Trois-Rivières 971": a name, then a département code.
_TRAILING_DEPARTMENT = re.compile(
    r"^(?P<name>.*[^\W\d_].*?)[\s,(]+(?P<code>0[1-9]|[1-8][0-9]|9[0-5]|2[ABab]|97[1-6])\s*\)?$"
)
# "paris 15e", "paris 15eme arrondissement", "lyon 1er", "marseille 2" (folded, article-free).
_ARRONDISSEMENT = re.compile(
    r"^(?P<city>paris|lyon|marseille) (?P<number>[0-9]{1,2}) ?(?:e|er|eme|ieme)?(?: arr(?:ondissement)?)?$"
)
# The start of a street address (folded): an optional house number then a kind of way.
_STREET = re.compile(
    r"^(?:[0-9]{1,4} ?(?:bis|ter|quater|[a-d])? )?(?:rue|avenue|av|bd|boulevard|chemin|che|impasse|imp"
    r"|allee|allees|place|pl|route|rte|quai|cours|square|passage|lieu dit|lotissement|residence"
    r"|voie|faubourg|fbg|promenade|esplanade|rond point|sentier|montee|traverse|zone|za|zi|zac)\b"
    r"|^[0-9]{1,4} ?(?:bis|ter|quater|[a-d])? [a-z]"
)
# Paris, Lyon, Marseille: INSEE prefix of their arrondissements in La Poste's base, commune
# code and number of arrondissements (75115 = Paris 15e, 69381 = Lyon 1er, 13201 = Marseille 1er).
_ARRONDISSEMENTS = {
    "paris": ("751", "75056", 20),
    "lyon": ("6938", "69123", 9),
    "marseille": ("132", "13055", 16),
}


@dataclass(frozen=True)
class Where:
    """Where a search is centred, and how the text was understood."""

    label: str  # for residents, in French: "Labège (31)", "31670 Labège", "Position 1.52000, 43.55000"
    lon: float  # WGS84 degrees
    lat: float
    kind: str  # "point" | "commune" | "postcode" | "address"
    commune_code: str | None = None  # INSEE code, when known
    department_code: str | None = None
    # False: a point whose commune is not looked up yet (see located; the search looks it up
    # within its own statement).
    located: bool = True

    def as_dict(self) -> dict:
        if not self.located:
            raise ValueError("the commune of this point is not looked up yet: show located(where)")
        data = {"label": self.label, "lon": self.lon, "lat": self.lat, "kind": self.kind}
        if self.commune_code:
            data["commune_code"] = self.commune_code
        return data


class WhereError(ValueError):
    """A where text that cannot be resolved; `message` names the problem (English)."""

    def __init__(self, message: str, candidates: list[Where] | None = None):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates or [])


class WhereNotFound(WhereError):
    """Nothing matches; `candidates` may hold close suggestions."""


class WhereAmbiguous(WhereError):
    """Several communes match equally; `candidates` lists them (up to MAX_CANDIDATES)."""


@dataclass(frozen=True)
class _Parsed:
    """A where text split into its parts; `name` is as typed, `key` its place_name_key."""

    text: str
    street: str  # "" when the text names no street
    name: str
    key: str
    postcode: str | None
    department: str | None  # upper case: "31", "2A", "971"


# --- Public API ----------------------------------------------------------------------------


def where_from_point(lon: float, lat: float, *, locate: bool = True) -> Where:
    """A where at (lon, lat) in WGS84 degrees, with its commune and département (None at sea);
    without `locate`, they are left to be looked up (by the search, or by `located`)."""
    where = Where(label=f"Position {lon:.5f}, {lat:.5f}", lon=lon, lat=lat, kind="point", located=False)
    return located(where) if locate else where


def located(where: Where) -> Where:
    """The where with its commune looked up (the where itself when it already was)."""
    if where.located:
        return where
    return at_commune(where, commune_codes_at_point(lon=where.lon, lat=where.lat))


def at_commune(where: Where, codes: tuple[str, str] | None) -> Where:
    """A point located in the commune of these (commune, département) codes (None: in none)."""
    commune_code, department_code = codes or (None, None)
    return replace(where, commune_code=commune_code, department_code=department_code, located=True)


def resolve_where(text: str, *, network: bool | None = None) -> Where:
    """The one place a resident's where text means: a commune, a postcode or an address.

    Raises WhereNotFound (with close suggestions when there are some) or WhereAmbiguous (with
    the communes matching). Addresses go to the network geocoder only when `network` (default:
    settings.GEOFINDER_NETWORK) is on; otherwise their locality is resolved and the label says
    the point is approximate.
    """
    parsed = _parse(text)
    arrondissement = _arrondissement(parsed)
    if arrondissement:
        return arrondissement
    parsed = _unless_a_commune(parsed)
    if parsed.street:
        use_network = settings.GEOFINDER_NETWORK if network is None else network
        if use_network:
            found = _network_where(parsed)
            if found:
                return found
        return _approximate(_resolve_address_locality(parsed))
    return _resolve_locality(parsed)


def where_candidates(text: str, *, limit: int = 10) -> list[Where]:
    """What a where text may mean, best first: postcodes and communes, for autocomplete.

    Accepts what resolve_where accepts and also beginnings ("Lab", "316"); never raises for
    want of a match (the list is empty). Never uses the network.
    """
    folded = fold(text or "")
    if not folded:
        return []
    if folded.isdigit() and 2 <= len(folded) < 5:
        return [_postcode_where(code, rows) for code, rows in _postcodes_starting_with(folded, limit)]
    try:
        return _candidates(_parse(text), limit)
    except WhereNotFound:  # "Lyon 10e": nothing to offer
        return []


def _candidates(parsed: _Parsed, limit: int) -> list[Where]:
    """where_candidates of a parsed text; may raise WhereNotFound."""
    arrondissement = _arrondissement(parsed)
    if arrondissement:
        return [arrondissement]
    parsed = _unless_a_commune(parsed)
    if parsed.postcode:
        # The postcode, then each of its communes when it serves several; or those named.
        rows, code = _postal_rows(parsed.postcode), parsed.postcode
        if parsed.key:
            named = _match_in_postcode(parsed.key, rows)
            return [_postcode_where(code, _rows_of(rows, commune)) for commune in named][:limit]
        communes = _commune_codes(rows)
        found = [_postcode_where(code, rows)] if rows else []
        if len(communes) > 1:
            found += [_postcode_where(code, _rows_of(rows, commune)) for commune in communes]
        return found[:limit]
    if not parsed.key:  # "rue de la Paix Labège"
        try:
            return [_resolve_address_locality(parsed)]
        except WhereAmbiguous as exc:
            return exc.candidates[:limit]
    # Typos are looked for only when no name matches (the costlier trigram search).
    hits = _named(parsed.key, parsed.department, limit) or _typo_matches(parsed.key, parsed.department)
    return [hit.where for hit in hits][:limit]


# --- Parsing -------------------------------------------------------------------------------


def _parse(text: str) -> _Parsed:
    """Split a where text into street, locality name, postcode and département."""
    text = (text or "").strip()
    if not fold(text):
        raise WhereNotFound("where is empty")
    text = _APPROXIMATE_SUFFIX.sub("", text)
    label = _POSTCODE_LABEL.match(text)
    if label:
        text = label.group("code")
    country = _COUNTRY.search(text)
    if country and ("," in text or _POSTCODE.search(text)):
        text = text[: country.start()]
    parts = [part.strip() for part in text.split(",") if fold(part)]
    # The locality is the last part, with the one before when the last is only a code
    # ("Labège, 31670", "Saint-Martin, 32").
    start = len(parts) - 1
    if start > 0 and (fold(parts[start]).isdigit() or fold(parts[start]) in {"2a", "2b"}):
        start -= 1
    street, locality = ", ".join(parts[:start]), " ".join(parts[start:])
    postcode = None
    matches = list(_POSTCODE.finditer(locality))
    if matches:
        match = matches[-1]
        postcode = match.group()
        before, after = locality[: match.start()].strip(" ,-"), locality[match.end() :].strip(" ,-")
        if fold(after):  # "12 rue de la Paix 31670 Labège"
            locality = after
            street = ", ".join(part for part in (street, before) if fold(part))
        else:  # "Labège 31670"
            locality = before
    name, department = locality.strip(), None
    if postcode is None:
        match = _TRAILING_DEPARTMENT.match(name)
        if match:
            department = match.group("code").upper()
            name = match.group("name").strip()
    if not street and _STREET.match(fold(name)):
        street, name = name, ""  # the locality is to be found inside the street text
    return _Parsed(
        text=text, street=street, name=name, key=place_name_key(name), postcode=postcode, department=department
    )


# --- Communes ------------------------------------------------------------------------------

_COMMUNE_MATCH = {
    "exact": "c.search_name = %(key)s",
    "exact_any": "c.search_name = ANY(%(keys)s)",
    # Exact matches come first: their similarity is 1.
    "exact_or_prefix": "c.search_name LIKE %(prefix)s",
    # `%` is pg_trgm's similarity operator (threshold 0.3), served by the GIN trigram index.
    "similar": "c.search_name %% %(key)s",
}

# The best `limit` communes for a match, then their point: La Poste's point of the commune
# (row without hamlet first), else a point inside the polygon. Degrees, WGS84.
_COMMUNES_SQL = f"""
WITH hits AS (
    SELECT c.id, c.code, c.name, c.search_name, d.code AS department_code,
           similarity(c.search_name, %(key)s) AS score
    FROM {Commune._meta.db_table} c
    JOIN {Department._meta.db_table} d ON d.id = c.department_id
    WHERE {{match}} AND (%(department)s::text IS NULL OR d.code = %(department)s)
    ORDER BY score DESC, c.name, c.code
    LIMIT %(limit)s
)
SELECT h.code, h.name, h.search_name, h.department_code,
       ST_X(COALESCE(pc.point::geometry, inside.point)), ST_Y(COALESCE(pc.point::geometry, inside.point))
FROM hits h
LEFT JOIN LATERAL (
    SELECT p.point FROM {PostalCode._meta.db_table} p
    WHERE p.commune_id = h.id AND p.insee_code = h.code
    ORDER BY p.locality = '' DESC, p.code LIMIT 1
) pc ON true
LEFT JOIN LATERAL (
    SELECT ST_PointOnSurface(c.geom) AS point FROM {Commune._meta.db_table} c
    WHERE c.id = h.id AND pc.point IS NULL
) inside ON true
ORDER BY h.score DESC, h.name, h.code
"""


@dataclass(frozen=True)
class _CommuneHit:
    where: Where
    key: str  # the commune's search_name


def _communes(
    match: str, key: str, department: str | None, limit: int, *, keys: list[str] | None = None
) -> list[_CommuneHit]:
    """The best `limit` communes for `match` (a _COMMUNE_MATCH name), most similar to `key` first."""
    prefix = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    params = {"key": key, "prefix": prefix, "keys": keys or [], "department": department, "limit": limit}
    with connection.cursor() as cursor:
        cursor.execute(_COMMUNES_SQL.format(match=_COMMUNE_MATCH[match]), params)
        rows = cursor.fetchall()
    return [
        _CommuneHit(
            Where(label=f"{name} ({dep})", lon=lon, lat=lat, kind="commune", commune_code=code, department_code=dep),
            search_name,
        )
        for code, name, search_name, dep, lon, lat in rows
    ]


def _named(key: str, department: str | None, limit: int) -> list[_CommuneHit]:
    """Communes whose key is `key` first, then (keys of 3 letters or more) those starting with it."""
    return _communes("exact_or_prefix" if len(key) >= _MIN_PREFIX_LEN else "exact", key, department, limit)


def _typo_budget(key: str) -> int:
    if len(key) <= _TYPO_FREE_MAX_LEN:
        return 0
    return 1 if len(key) <= _ONE_TYPO_MAX_LEN else 2


def _closest(key: str, names: list[str]) -> set[str]:
    """The `names` at the smallest edit distance from `key`, if within its typo budget."""
    budget = _typo_budget(key)
    distances = {name: edit_distance(key, name, budget) for name in set(names)}
    best = min(distances.values(), default=budget + 1)
    return {name for name, distance in distances.items() if distance == best <= budget}


def _typo_matches(key: str, department: str | None) -> list[_CommuneHit]:
    """Communes whose key is the closest to `key` within its typo budget (homonyms included),
    among the most similar ones the trigram index finds."""
    if _typo_budget(key) == 0 or len(key) > _LONGEST_NAME_KEY:
        return []
    hits = _communes("similar", key, department, _SIMILAR_LIMIT)
    closest = _closest(key, [hit.key for hit in hits])
    return [hit for hit in hits if hit.key in closest]


def _resolve_name(parsed: _Parsed) -> Where:
    """The commune named `parsed.key` (in `parsed.department` when given).

    The most precise kind of match decides: exact keys, else keys starting with the text, else
    the closest keys within the typo budget. One commune resolves; several raise
    WhereAmbiguous, none WhereNotFound with similar names as suggestions.
    """
    key, department, shown = parsed.key, parsed.department, _shown(parsed)
    if key.isdigit():
        raise WhereNotFound(f"{parsed.text!r} is neither a commune nor a postcode (postcodes have 5 digits)")
    named = _named(key, department, MAX_CANDIDATES + 1)
    matches = [hit for hit in named if hit.key == key] or named or _typo_matches(key, department)
    if not matches and department:
        elsewhere = [hit.where for hit in _named(key, None, MAX_CANDIDATES)]
        if elsewhere or not Department.objects.filter(code=department).exists():
            known = "" if elsewhere else " (unknown département)"
            raise WhereNotFound(f"no commune named {shown!r} in département {department}{known}", elsewhere)
    if len(matches) == 1:
        return matches[0].where
    if matches:
        count = f"more than {MAX_CANDIDATES}" if len(matches) > MAX_CANDIDATES else str(len(matches))
        example = f"{shown} {matches[0].where.department_code}"
        raise WhereAmbiguous(
            f"{count} communes match {shown!r}: add a département or a postcode, e.g. {example!r}",
            [hit.where for hit in matches[:MAX_CANDIDATES]],
        )
    suggestions = []
    if len(key) <= _LONGEST_NAME_KEY:
        suggestions = [hit.where for hit in _communes("similar", key, department, 5)]
    raise WhereNotFound(f"no commune matches {shown!r}", suggestions)


def _shown(parsed: _Parsed) -> str:
    return parsed.name.strip() or parsed.text


# --- Postcodes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _PostalRow:
    code: str
    insee_code: str
    name: str  # La Poste's, upper case
    locality: str
    commune_code: str | None
    commune_name: str | None
    department_code: str | None
    lon: float
    lat: float


_POSTAL_SQL = f"""
SELECT p.code, p.insee_code, p.name, p.locality, c.code, c.name, d.code,
       ST_X(p.point::geometry), ST_Y(p.point::geometry)
FROM {PostalCode._meta.db_table} p
LEFT JOIN {Commune._meta.db_table} c ON c.id = p.commune_id
LEFT JOIN {Department._meta.db_table} d ON d.id = c.department_id
WHERE p.code = ANY(%(codes)s) OR p.insee_code = %(insee)s
ORDER BY p.code, c.name, p.locality = '' DESC, p.insee_code = c.code DESC, p.insee_code
"""


def _postal_rows(code: str | None = None, *, insee: str | None = None) -> list[_PostalRow]:
    with connection.cursor() as cursor:
        cursor.execute(_POSTAL_SQL, {"codes": [code] if code else [], "insee": insee})
        return [_PostalRow(*row) for row in cursor.fetchall()]


def _postcodes_starting_with(prefix: str, limit: int) -> list[tuple[str, list[_PostalRow]]]:
    codes = list(
        PostalCode.objects.filter(code__startswith=prefix)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()[:limit]
    )
    with connection.cursor() as cursor:
        cursor.execute(_POSTAL_SQL, {"codes": codes, "insee": None})
        rows = [_PostalRow(*row) for row in cursor.fetchall()]
    return [(code, [row for row in rows if row.code == code]) for code in codes]


def _place_name(row: _PostalRow) -> str:
    """What a La Poste row names: the commune ("Labège"), with its arrondissement ("Paris 15e"),
    or La Poste's own name when the row is not of a 2018 commune ("Monaco", communes nouvelles)."""
    if row.commune_code == row.insee_code:
        return row.commune_name or row.name.title()
    for prefix, commune_code, _count in _ARRONDISSEMENTS.values():
        if row.commune_code == commune_code and row.insee_code.startswith(prefix):
            number = int(row.insee_code[len(prefix) :])
            return f"{row.commune_name} {number}{'er' if number == 1 else 'e'}"
    return row.name.title()


def _commune_codes(rows: list[_PostalRow]) -> list[str]:
    """The communes of `rows` (or La Poste's INSEE code when outside any), in the rows' order."""
    return list(dict.fromkeys(row.commune_code or row.insee_code for row in rows))


def _rows_of(rows: list[_PostalRow], code: str) -> list[_PostalRow]:
    return [row for row in rows if (row.commune_code or row.insee_code) == code]


def _postcode_where(code: str, rows: list[_PostalRow]) -> Where:
    """The where of postcode `code` from its rows, ordered best row first for each commune:
    the commune's point, or the centroid of its communes' points when it serves several."""
    chosen = [_rows_of(rows, commune)[0] for commune in _commune_codes(rows)]
    names = [_place_name(row) for row in chosen]
    if len(chosen) == 1:
        label = f"{code} {names[0]}"
    elif len(chosen) <= 3:
        label = f"{code} ({', '.join(names)})"
    else:
        label = f"{code} ({', '.join(names[:3])} et {len(chosen) - 3} autres communes)"
    departments = {row.department_code for row in chosen}
    return Where(
        label=label,
        # Mean of the points in degrees: a postcode's communes lie a few kilometres apart.
        lon=sum(row.lon for row in chosen) / len(chosen),
        lat=sum(row.lat for row in chosen) / len(chosen),
        kind="postcode",
        commune_code=chosen[0].commune_code if len(chosen) == 1 else None,
        department_code=departments.pop() if len(departments) == 1 and None not in departments
        else department_code_of_postcode(code),
    )


def _match_in_postcode(key: str, rows: list[_PostalRow]) -> list[str]:
    """The communes of `rows` named `key`: exact key (of the commune, of La Poste's name or of
    a hamlet), else keys starting with it, else the closest within the typo budget."""
    keys: dict[str, set[str]] = {}
    for row in rows:
        names = (row.commune_name or "", row.name, row.locality)
        keys.setdefault(row.commune_code or row.insee_code, set()).update(place_name_key(n) for n in names if n)
    exact = [code for code, names in keys.items() if key in names]
    prefixed = [code for code, names in keys.items() if any(name.startswith(key) for name in names)]
    closest = _closest(key, [name for names in keys.values() for name in names])
    return exact or prefixed or [code for code, names in keys.items() if names & closest]


def _resolve_postcode(parsed: _Parsed) -> Where:
    """A postcode alone ("31320"), or a commune within a postcode ("Castelnau 31620")."""
    code = parsed.postcode or ""
    rows = _postal_rows(code)
    if not rows:
        raise WhereNotFound(f"unknown postcode {code}")
    if not parsed.key:
        return _postcode_where(code, rows)
    matched = [_postcode_where(code, _rows_of(rows, commune)) for commune in _match_in_postcode(parsed.key, rows)]
    if len(matched) == 1:
        return matched[0]
    shown = _shown(parsed)
    if matched:
        raise WhereAmbiguous(f"{len(matched)} communes of postcode {code} match {shown!r}", matched[:MAX_CANDIDATES])
    served = [_postcode_where(code, _rows_of(rows, commune)) for commune in _commune_codes(rows)]
    names = ", ".join(where.label.removeprefix(f"{code} ") for where in served)
    raise WhereNotFound(
        f"no commune named {shown!r} has the postcode {code}, which serves {names}", served[:MAX_CANDIDATES]
    )


# --- Localities, arrondissements, addresses ------------------------------------------------


def _resolve_locality(parsed: _Parsed) -> Where:
    if parsed.postcode:
        return _resolve_postcode(parsed)
    if not parsed.key:
        raise WhereNotFound(f"no commune or postcode in {parsed.text!r}")
    return _resolve_name(parsed)


def _arrondissement(parsed: _Parsed) -> Where | None:
    """The first postcode of the arrondissement named ("Paris 15e", "Lyon 3e arrondissement"), if any."""
    match = _ARRONDISSEMENT.match(place_name_key(parsed.text))
    if match is None or parsed.postcode or parsed.street:
        return None
    prefix, _commune, count = _ARRONDISSEMENTS[match.group("city")]
    number = int(match.group("number"))
    if not 1 <= number <= count:
        raise WhereNotFound(f"{match.group('city').title()} has arrondissements 1 to {count}, not {number}")
    insee = f"{prefix}{number:0{5 - len(prefix)}d}"
    rows = _postal_rows(insee=insee)
    if not rows:
        raise WhereNotFound(f"no postcode known for {parsed.text!r}")
    return _postcode_where(rows[0].code, [row for row in rows if row.code == rows[0].code])


def _unless_a_commune(parsed: _Parsed) -> _Parsed:
    """A text read as a street only, unless it is the name of a commune: "Cours", "Chemin",
    "Rue", "Passage", "Cours-les-Barres" are communes."""
    if not parsed.street or parsed.key or parsed.postcode:
        return parsed
    key = place_name_key(parsed.street)
    if not _communes("exact", key, parsed.department, 1):
        return parsed
    return replace(parsed, street="", name=parsed.street, key=key)


def _resolve_address_locality(parsed: _Parsed) -> Where:
    """The commune or postcode of an address, without the network."""
    if parsed.key or parsed.postcode:
        return _resolve_locality(parsed)
    # "rue de la Paix Labège": the longest ending of the street text that is a commune's key,
    # leaving at least two words for the street itself.
    words = fold(parsed.street).split()
    endings = [" ".join(words[i:]) for i in range(max(2, len(words) - _LONGEST_NAME_WORDS), len(words))]
    keys = sorted({place_name_key(ending) for ending in endings}, key=len, reverse=True)
    # Ordered by similarity to the longest ending: the longest matches come first.
    hits = _communes("exact_any", keys[0] if keys else "", parsed.department, MAX_CANDIDATES + 1, keys=keys)
    if not hits:
        raise WhereNotFound(
            f"no commune found in the address {parsed.text!r}: add a postcode or the commune after a comma"
        )
    longest = max(len(hit.key) for hit in hits)
    matched = [hit.where for hit in hits if len(hit.key) == longest]
    if len(matched) > 1:
        raise WhereAmbiguous(f"{len(matched)} communes match the address {parsed.text!r}: add a postcode", matched)
    return matched[0]


def _approximate(where: Where) -> Where:
    """The locality of an address, labelled as such: "31670 Labège (adresse approchée à la commune)"."""
    label = f"{where.label}, {APPROXIMATE}" if where.label.endswith(")") else f"{where.label} ({APPROXIMATE})"
    return replace(where, label=label)


def _network_where(parsed: _Parsed) -> Where | None:
    """The address through geopy (BAN or Nominatim), or None when not found or on failure."""
    from geopy.exc import GeopyError

    city = parsed.name if parsed.key else ""
    try:
        located = NetworkGeocoder().locate(street=parsed.street, postcode=parsed.postcode or "", city=city)
    except GeopyError as exc:
        logger.warning("network geocoding of %r failed, using the local gazetteer: %s", parsed.text, exc)
        return None
    if located is None:
        return None
    commune_code, department_code = commune_codes_at_point(lon=located.lon, lat=located.lat) or (None, None)
    return Where(
        label=located.label,
        lon=located.lon,
        lat=located.lat,
        kind="address",
        commune_code=commune_code,
        department_code=department_code,
    )
