"""The *where* of a search: a point, a commune, a postcode or an address, resolved to one point.

The gazetteer is the communes of today (INSEE COG 2026, drawn with the 2018 boundaries) and La
Poste's postcodes in PostGIS. Texts are compared through `geofinder.core.text.place_name_key`
(lower case, no accents, "St" = Saint, leading article dropped), the key stored in
`CommuneName.search_name`, which holds each commune's name, the former name of a renamed one
("Saint-Ouen" → Saint-Ouen-sur-Seine) and the names of former communes now part of one
("Courcouronnes" → Évry-Courcouronnes, at its own place):

- "31670" → the postcode; shared by several communes, its point is that of the most populous;
- "Labège", "LABEGE", "St-Orens-de-Gameville" → the commune; the most precise match wins:
  exact key, then the one commune whose key starts with the text, then the one commune within a
  few typos ("Toulousse") found through the trigram index on `search_name`;
- homonyms are ranked by population: one ten times as populous as any other is the one meant
  ("Valence" → Valence (26)), else they are listed, most populous first;
- "Saint-Martin 32", "Saint-Martin (2A)" → restricted to a département; "Castelnau 31620",
  "31670 Labège" → restricted to the communes of a postcode;
- "Paris 15e", "Paris XVe", "Lyon 3e arrondissement" → the arrondissement's postcode;
- "12 rue de la Paix, 31670 Labège" → the address through the network geocoder when enabled,
  else its locality, labelled as approximate.

Every point given lies inside its commune: a commune's is geo.api.gouv.fr's centre (or a point
inside its polygon, see imports/current_communes.py), a postcode's La Poste's point when inside
its commune, else the commune's. Several communes matching equally raise WhereAmbiguous, listing
them; a text matching none raises WhereNotFound with the closest names as suggestions.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from django.conf import settings

from geofinder.core.replicas import read_connection
from geofinder.core.text import edit_distance, expand_saint, fold, place_name_key
from geofinder.imports.geocoding import NetworkGeocoder, department_code_of_postcode
from geofinder.territories.models import CommuneName, CurrentCommune, Department, PostalCode
from geofinder.territories.selectors import commune_codes_at_point

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 10  # communes listed by WhereAmbiguous
APPROXIMATE = "adresse approchée à la commune"
# Typos tolerated in a name, by length of its key: none up to 4 letters, 1 up to 8, 2 beyond
# (two in 8 letters made "xyzville" Xonville).
_TYPO_FREE_MAX_LEN, _ONE_TYPO_MAX_LEN = 4, 8
# Among homonyms, one at least this many times as populous as each other one is the one meant.
HOMONYM_DOMINANCE = 10
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
# "Labège (31), adresse approchée à la commune", "Courcouronnes (Évry-Courcouronnes, 91)".
_POSTCODE_LABEL = re.compile(r"^\s*(?P<code>[0-9]{5}) \(.*\)\s*$")
_DEPARTMENT_CODE = r"(?:0[1-9]|[1-8][0-9]|9[0-5]|2[ABab]|97[1-6])"
_PART_LABEL = re.compile(rf"^\s*(?P<name>[^(),]+?) \((?P<commune>[^(),]+), (?P<code>{_DEPARTMENT_CODE})\)\s*$")
_APPROXIMATE_SUFFIX = re.compile(rf"(?:, | \(){APPROXIMATE}\)?\s*$")
_POSTCODE = re.compile(r"(?<![0-9])[0-9]{5}(?![0-9])")
# "Saint-Martin 32", "Saint-Martin (2A)", "Trois-Rivières 971": a name, then a département code.
_TRAILING_DEPARTMENT = re.compile(rf"^(?P<name>.*[^\W\d_].*?)[\s,(]+(?P<code>{_DEPARTMENT_CODE})\s*\)?$")
# "paris 15e", "paris 15eme arrondissement", "lyon 1er", "marseille 2", "paris xie", "paris
# xveme" (folded, article-free; roman numerals as on street signs).
_ARRONDISSEMENT = re.compile(
    r"^(?P<city>paris|lyon|marseille) (?P<number>[0-9]{1,2}|[ivx]{1,5}) ?(?:e|er|eme|ieme)?"
    r"(?: arr(?:ondissement)?)?$"
)
# Roman numerals up to 39 (tens, then units): "xi" = 11, "xx" = 20.
_ROMAN = re.compile(r"^(?P<tens>x{0,3})(?P<units>ix|iv|v?i{0,3})$")
_ROMAN_UNITS = {"": 0, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
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
    # The key of the commune of today a former commune is part of, from a label given back:
    # "Courcouronnes (Évry-Courcouronnes, 91)".
    within: str | None = None


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
        if _outside_communes(rows):
            return []
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
    part = _PART_LABEL.match(text)
    if part:
        name = part.group("name").strip()
        return _Parsed(
            text=text, street="", name=name, key=place_name_key(name), postcode=None,
            department=part.group("code").upper(), within=place_name_key(part.group("commune")),
        )
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
    "exact": "n.search_name = %(key)s",
    "exact_any": "n.search_name = ANY(%(keys)s)",
    # Exact matches come first: their similarity is 1.
    "exact_or_prefix": "n.search_name LIKE %(prefix)s",
    # `%` is pg_trgm's similarity operator (threshold 0.3), served by the GIN trigram index.
    "similar": "n.search_name %% %(key)s",
}

# The best `limit` names for a match: most similar first, then most populous (a part of a
# commune counts the commune's population only when it gave the commune its code: "Évry" in
# Évry-Courcouronnes), with the commune of today and the point: the name's own (a former
# commune's), else the commune's. Degrees, WGS84.
_COMMUNES_SQL = f"""
WITH hits AS (
    SELECT n.name, n.kind, n.search_name, n.point, c.id AS commune_id, c.code, c.name AS commune_name,
           d.code AS department_code,
           CASE WHEN n.kind <> 'part' OR n.code = c.code THEN c.population END AS population,
           similarity(n.search_name, %(key)s) AS score
    FROM {CommuneName._meta.db_table} n
    JOIN {CurrentCommune._meta.db_table} c ON c.id = n.commune_id
    JOIN {Department._meta.db_table} d ON d.id = c.department_id
    WHERE {{match}} AND (%(department)s::text IS NULL OR d.code = %(department)s)
      AND (%(within)s::text IS NULL OR c.search_name = %(within)s)
    ORDER BY score DESC, population DESC NULLS LAST, n.name, c.code
    LIMIT %(limit)s
)
SELECT h.code, h.name, h.kind, h.commune_name, h.search_name, h.department_code, h.population,
       ST_X(COALESCE(h.point, c.point)::geometry), ST_Y(COALESCE(h.point, c.point)::geometry)
FROM hits h
JOIN {CurrentCommune._meta.db_table} c ON c.id = h.commune_id
ORDER BY h.score DESC, h.population DESC NULLS LAST, h.name, h.code
"""


@dataclass(frozen=True)
class _CommuneHit:
    where: Where
    key: str  # the name's search_name
    population: int | None  # for ranking homonyms
    name: str  # the name matched, as written ("Les Ifs")


def _communes(
    match: str, key: str, department: str | None, limit: int, *, keys: list[str] | None = None,
    within: str | None = None,
) -> list[_CommuneHit]:
    """The best `limit` names for `match` (a _COMMUNE_MATCH name), most similar to `key` first,
    then most populous; one hit per commune of today (its best name)."""
    prefix = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    params = {
        "key": key, "prefix": prefix, "keys": keys or [], "department": department, "within": within,
        "limit": limit,
    }
    with read_connection().cursor() as cursor:
        cursor.execute(_COMMUNES_SQL.format(match=_COMMUNE_MATCH[match]), params)
        rows = cursor.fetchall()
    hits: dict[str, _CommuneHit] = {}
    for code, name, kind, commune_name, search_name, dep, population, lon, lat in rows:
        if code in hits:
            continue
        # A former commune now part of another says which: "Courcouronnes (Évry-Courcouronnes, 91)".
        label = f"{name} ({commune_name}, {dep})" if kind == CommuneName.Kind.PART else f"{commune_name} ({dep})"
        where = Where(label=label, lon=lon, lat=lat, kind="commune", commune_code=code, department_code=dep)
        hits[code] = _CommuneHit(where, search_name, population, name)
    return list(hits.values())


def _named(key: str, department: str | None, limit: int, *, within: str | None = None) -> list[_CommuneHit]:
    """Communes whose key is `key` first, then (keys of 3 letters or more) those starting with it."""
    match = "exact_or_prefix" if len(key) >= _MIN_PREFIX_LEN else "exact"
    return _communes(match, key, department, limit, within=within)


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


def _typo_matches(key: str, department: str | None, *, within: str | None = None) -> list[_CommuneHit]:
    """Communes whose key is the closest to `key` within its typo budget (homonyms included),
    among the most similar ones the trigram index finds."""
    if _typo_budget(key) == 0 or len(key) > _LONGEST_NAME_KEY:
        return []
    hits = _communes("similar", key, department, _SIMILAR_LIMIT, within=within)
    closest = _closest(key, [hit.key for hit in hits])
    return [hit for hit in hits if hit.key in closest]


def _resolve_name(parsed: _Parsed) -> Where:
    """The commune named `parsed.key` (in `parsed.department` when given).

    The most precise kind of match decides: exact keys, else keys starting with the text, else
    the closest keys within the typo budget. One commune resolves, and so does one homonym
    HOMONYM_DOMINANCE times as populous as the others; several raise WhereAmbiguous (most
    populous first), none WhereNotFound with similar names as suggestions.
    """
    key, department, within, shown = parsed.key, parsed.department, parsed.within, _shown(parsed)
    if key.isdigit():
        raise WhereNotFound(f"{parsed.text!r} is neither a commune nor a postcode (postcodes have 5 digits)")
    named = _named(key, department, MAX_CANDIDATES + 1, within=within)
    exact = _same_article(parsed.name, [hit for hit in named if hit.key == key])
    dominant = _dominant(exact)
    if dominant is not None:
        return dominant.where
    matches = exact or named or _typo_matches(key, department, within=within)
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
        suggestions = [hit.where for hit in _communes("similar", key, department, 5, within=within)]
    raise WhereNotFound(f"no commune matches {shown!r}", suggestions)


def _same_article(name: str, homonyms: list[_CommuneHit]) -> list[_CommuneHit]:
    """The homonyms written with the article the text has, when it has one and some are: "Les
    Ifs" is Les Ifs (76), not Ifs (14), though both share the key "ifs". A text without article
    keeps them all ("Cannet" is most likely Le Cannet (06), 41,938 inhabitants, rather than
    Cannet (32))."""
    written = expand_saint(fold(name))
    if written == place_name_key(name):  # no leading article
        return homonyms
    alike = [hit for hit in homonyms if expand_saint(fold(hit.name)) == written]
    return alike or homonyms


def _dominant(homonyms: list[_CommuneHit]) -> _CommuneHit | None:
    """The homonym at least HOMONYM_DOMINANCE times as populous as each other one, if any (a
    commune without published population counts as none)."""
    if len(homonyms) < 2:
        return None
    first, *others = sorted(homonyms, key=lambda hit: -(hit.population or 0))
    if first.population and all((hit.population or 0) * HOMONYM_DOMINANCE <= first.population for hit in others):
        return first
    return None


def _shown(parsed: _Parsed) -> str:
    return parsed.name.strip() or parsed.text


# --- Postcodes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _PostalRow:
    code: str
    insee_code: str
    name: str  # La Poste's, upper case
    locality: str
    commune_code: str | None  # of today
    commune_name: str | None
    department_code: str | None
    population: int | None  # the commune's
    lon: float  # inside the commune (see _POSTAL_SQL)
    lat: float


# The rows of postcodes, with their commune of today and a point inside it: La Poste's point
# when the commune covers it (a hamlet's, an arrondissement's), else the commune's own (La
# Poste's lies outside for some 200 rows, Cayenne's 20 km away). Rows of territories without
# boundaries keep La Poste's point. Degrees, WGS84.
_POSTAL_SQL = f"""
SELECT p.code, p.insee_code, p.name, p.locality, c.code, c.name, d.code, c.population,
       ST_X(pt.geom), ST_Y(pt.geom)
FROM {PostalCode._meta.db_table} p
LEFT JOIN {CurrentCommune._meta.db_table} c ON c.id = p.current_commune_id
LEFT JOIN {Department._meta.db_table} d ON d.id = c.department_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN c.id IS NULL OR ST_Covers(c.geom, p.point::geometry) THEN p.point::geometry
                ELSE c.point::geometry END AS geom
) pt
WHERE p.code = ANY(%(codes)s) OR p.insee_code = %(insee)s
ORDER BY p.code, c.name, p.locality = '' DESC, p.insee_code = c.code DESC, p.insee_code
"""


def _postal_rows(code: str | None = None, *, insee: str | None = None) -> list[_PostalRow]:
    with read_connection().cursor() as cursor:
        cursor.execute(_POSTAL_SQL, {"codes": [code] if code else [], "insee": insee})
        return [_PostalRow(*row) for row in cursor.fetchall()]


def _postcodes_starting_with(prefix: str, limit: int) -> list[tuple[str, list[_PostalRow]]]:
    codes = list(
        PostalCode.objects.filter(code__startswith=prefix, current_commune__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()[:limit]
    )
    with read_connection().cursor() as cursor:
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
    the commune's point, or when it serves several that of the most populous (a point inside
    one of them: the centroid of their points could lie in another commune)."""
    chosen = [_rows_of(rows, commune)[0] for commune in _commune_codes(rows)]
    names = [_place_name(row) for row in chosen]
    if len(chosen) == 1:
        label = f"{code} {names[0]}"
    elif len(chosen) <= 3:
        label = f"{code} ({', '.join(names)})"
    else:
        label = f"{code} ({', '.join(names[:3])} et {len(chosen) - 3} autres communes)"
    departments = {row.department_code for row in chosen}
    # The first of the most populous of its communes of today (sorted is stable: the rows'
    # order breaks ties); La Poste's point only for a postcode of none (see _outside_communes).
    centre = sorted(chosen, key=lambda row: (row.commune_code is None, -(row.population or 0)))[0]
    return Where(
        label=label,
        lon=centre.lon,
        lat=centre.lat,
        kind="postcode",
        commune_code=chosen[0].commune_code if len(chosen) == 1 else None,
        department_code=departments.pop() if len(departments) == 1 and None not in departments
        else department_code_of_postcode(code),
    )


def _outside_communes(rows: list[_PostalRow]) -> bool:
    """Whether rows of a postcode lie in no commune of today: those of the collectivités
    d'outre-mer (Polynésie, Saint-Barthélemy…), which have no boundaries here and whose La Poste
    points are placeholders (all of Polynésie at one point in the sea, Saint-Barthélemy's at
    Saint-Pierre-et-Miquelon's)."""
    return bool(rows) and all(row.commune_code is None for row in rows)


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
    if _outside_communes(rows):
        names = ", ".join(dict.fromkeys(row.name.title() for row in rows))
        raise WhereNotFound(
            f"postcode {code} ({names}) is outside the communes geofinder knows (collectivités d'outre-mer"
            " have no boundaries here)"
        )
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
    written = match.group("number")
    roman = None if written.isdigit() else _ROMAN.match(written)
    if not written.isdigit() and roman is None:  # "Paris iiii": not a roman numeral
        return None
    number = int(written) if roman is None else 10 * len(roman.group("tens")) + _ROMAN_UNITS[roman.group("units")]
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
