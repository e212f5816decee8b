"""Communes of today by name: exact keys, beginnings, typos, homonyms ranked by population.

The names are `CommuneName.search_name` (see geofinder.core.text.place_name_key): each commune's
name, the former name of a renamed one and the names of former communes now part of one.
"""

from __future__ import annotations

from dataclasses import dataclass

from geofinder.core.replicas import read_connection

from geofinder.core.text import expand_saint, fold, place_name_key
from geofinder.territories.gazetteer.parsing import WhereText
from geofinder.territories.gazetteer.types import MAX_CANDIDATES, Where, WhereAmbiguous, WhereNotFound
from geofinder.territories.gazetteer.typos import LONGEST_NAME_KEY, closest, typo_budget
from geofinder.territories.models import CommuneName, CurrentCommune, Department

# Among homonyms, one at least this many times as populous as each other one is the one meant.
HOMONYM_DOMINANCE = 10
# Shortest key looked up as a prefix ("Lab" → Labège, Labarthe-sur-Lèze…).
_MIN_PREFIX_LEN = 3
# Communes read from the trigram index when looking for typos.
_SIMILAR_LIMIT = 50

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
class CommuneHit:
    where: Where
    key: str  # the name's search_name
    population: int | None  # for ranking homonyms
    name: str  # the name matched, as written ("Les Ifs")


def communes_matching(
    match: str, key: str, department: str | None, limit: int, *, keys: list[str] | None = None,
    within: str | None = None,
) -> list[CommuneHit]:
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
    hits: dict[str, CommuneHit] = {}
    for code, name, kind, commune_name, search_name, dep, population, lon, lat in rows:
        if code in hits:
            continue
        # A former commune now part of another says which: "Courcouronnes (Évry-Courcouronnes, 91)".
        label = f"{name} ({commune_name}, {dep})" if kind == CommuneName.Kind.PART else f"{commune_name} ({dep})"
        where = Where(label=label, lon=lon, lat=lat, kind="commune", commune_code=code, department_code=dep)
        hits[code] = CommuneHit(where, search_name, population, name)
    return list(hits.values())


def communes_named(key: str, department: str | None, limit: int, *, within: str | None = None) -> list[CommuneHit]:
    """Communes whose key is `key` first, then (keys of 3 letters or more) those starting with it."""
    match = "exact_or_prefix" if len(key) >= _MIN_PREFIX_LEN else "exact"
    return communes_matching(match, key, department, limit, within=within)


def communes_within_typos(key: str, department: str | None, *, within: str | None = None) -> list[CommuneHit]:
    """Communes whose key is the closest to `key` within its typo budget (homonyms included),
    among the most similar ones the trigram index finds."""
    if typo_budget(key) == 0 or len(key) > LONGEST_NAME_KEY:
        return []
    hits = communes_matching("similar", key, department, _SIMILAR_LIMIT, within=within)
    nearest = closest(key, [hit.key for hit in hits])
    return [hit for hit in hits if hit.key in nearest]


def commune_resolve(parsed: WhereText) -> Where:
    """The commune named `parsed.key` (in `parsed.department` when given).

    The most precise kind of match decides: exact keys, else keys starting with the text, else
    the closest keys within the typo budget. One commune resolves, and so does one homonym
    HOMONYM_DOMINANCE times as populous as the others; several raise WhereAmbiguous (most
    populous first), none WhereNotFound with similar names as suggestions.
    """
    key, department, within, shown = parsed.key, parsed.department, parsed.within, parsed.shown
    if key.isdigit():
        raise WhereNotFound(f"{parsed.text!r} is neither a commune nor a postcode (postcodes have 5 digits)")
    named = communes_named(key, department, MAX_CANDIDATES + 1, within=within)
    exact = _same_article(parsed.name, [hit for hit in named if hit.key == key])
    dominant = _dominant(exact)
    if dominant is not None:
        return dominant.where
    matches = exact or named or communes_within_typos(key, department, within=within)
    if not matches and department:
        elsewhere = [hit.where for hit in communes_named(key, None, MAX_CANDIDATES)]
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
    if len(key) <= LONGEST_NAME_KEY:
        suggestions = [hit.where for hit in communes_matching("similar", key, department, 5, within=within)]
    raise WhereNotFound(f"no commune matches {shown!r}", suggestions)


def _same_article(name: str, homonyms: list[CommuneHit]) -> list[CommuneHit]:
    """The homonyms written with the article the text has, when it has one and some are: "Les
    Ifs" is Les Ifs (76), not Ifs (14), though both share the key "ifs". A text without article
    keeps them all ("Cannet" is most likely Le Cannet (06), 41,938 inhabitants, rather than
    Cannet (32))."""
    written = expand_saint(fold(name))
    if written == place_name_key(name):  # no leading article
        return homonyms
    alike = [hit for hit in homonyms if expand_saint(fold(hit.name)) == written]
    return alike or homonyms


def _dominant(homonyms: list[CommuneHit]) -> CommuneHit | None:
    """The homonym at least HOMONYM_DOMINANCE times as populous as each other one, if any (a
    commune without published population counts as none)."""
    if len(homonyms) < 2:
        return None
    first, *others = sorted(homonyms, key=lambda hit: -(hit.population or 0))
    if first.population and all((hit.population or 0) * HOMONYM_DOMINANCE <= first.population for hit in others):
        return first
    return None
