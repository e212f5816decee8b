"""La Poste's postcodes: the communes of today each serves, and a point inside one of them."""

from __future__ import annotations

from dataclasses import dataclass

from geofinder.core.replicas import read_connection

from geofinder.core.text import place_name_key
from geofinder.territories.gazetteer.parsing import ARRONDISSEMENTS, WhereText
from geofinder.territories.gazetteer.types import MAX_CANDIDATES, Where, WhereAmbiguous, WhereNotFound
from geofinder.territories.gazetteer.typos import closest
from geofinder.territories.models import CurrentCommune, Department, PostalCode


def department_code_of_postcode(postcode: str) -> str:
    """The département a postcode belongs to, as far as its digits tell (20xxx: Corsica)."""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


@dataclass(frozen=True)
class PostalRow:
    code: str
    insee_code: str
    name: str  # La Poste's, upper case
    locality: str
    delivery_label: str
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
SELECT p.code, p.insee_code, p.name, p.locality, p.delivery_label, c.code, c.name, d.code, c.population,
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


def postal_rows(code: str | None = None, *, insee: str | None = None) -> list[PostalRow]:
    """The rows of postcode `code`, or of La Poste's INSEE code `insee`."""
    with read_connection().cursor() as cursor:
        cursor.execute(_POSTAL_SQL, {"codes": [code] if code else [], "insee": insee})
        return [PostalRow(*row) for row in cursor.fetchall()]


def postcodes_starting_with(prefix: str, limit: int) -> list[tuple[str, list[PostalRow]]]:
    """The first `limit` postcodes of a commune of today starting with `prefix`, with their rows."""
    codes = list(
        PostalCode.objects.filter(code__startswith=prefix, current_commune__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
        .distinct()[:limit]
    )
    with read_connection().cursor() as cursor:
        cursor.execute(_POSTAL_SQL, {"codes": codes, "insee": None})
        rows = [PostalRow(*row) for row in cursor.fetchall()]
    return [(code, [row for row in rows if row.code == code]) for code in codes]


def _place_name(row: PostalRow) -> str:
    """What a La Poste row names: the commune ("Labège"), with its arrondissement ("Paris 15e"),
    or La Poste's own name when the row is not of a 2018 commune ("Monaco", communes nouvelles)."""
    if row.commune_code == row.insee_code:
        return row.commune_name or row.name.title()
    for prefix, commune_code, _count in ARRONDISSEMENTS.values():
        if row.commune_code == commune_code and row.insee_code.startswith(prefix):
            number = int(row.insee_code[len(prefix) :])
            return f"{row.commune_name} {number}{'er' if number == 1 else 'e'}"
    return row.name.title()


def commune_codes(rows: list[PostalRow]) -> list[str]:
    """The communes of `rows` (or La Poste's INSEE code when outside any), in the rows' order."""
    return list(dict.fromkeys(row.commune_code or row.insee_code for row in rows))


def rows_of(rows: list[PostalRow], code: str) -> list[PostalRow]:
    """The rows of commune `code` (see commune_codes)."""
    return [row for row in rows if (row.commune_code or row.insee_code) == code]


def postcode_where(code: str, rows: list[PostalRow]) -> Where:
    """The where of postcode `code` from its rows, ordered best row first for each commune:
    the commune's point, or when it serves several that of the most populous (a point inside
    one of them: the centroid of their points could lie in another commune)."""
    chosen = [rows_of(rows, commune)[0] for commune in commune_codes(rows)]
    names = [_place_name(row) for row in chosen]
    if len(chosen) == 1:
        label = f"{code} {names[0]}"
    elif len(chosen) <= 3:
        label = f"{code} ({', '.join(names)})"
    else:
        label = f"{code} ({', '.join(names[:3])} et {len(chosen) - 3} autres communes)"
    departments = {row.department_code for row in chosen}
    # The first of the most populous of its communes of today (sorted is stable: the rows'
    # order breaks ties); La Poste's point only for a postcode of none (see outside_communes).
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


def outside_communes(rows: list[PostalRow]) -> bool:
    """Whether rows of a postcode lie in no commune of today: those of the collectivités
    d'outre-mer (Polynésie, Saint-Barthélemy…), which have no boundaries here and whose La Poste
    points are placeholders (all of Polynésie at one point in the sea, Saint-Barthélemy's at
    Saint-Pierre-et-Miquelon's)."""
    return bool(rows) and all(row.commune_code is None for row in rows)


def communes_in_postcode(key: str, rows: list[PostalRow]) -> list[str]:
    """The communes of `rows` named `key`: exact key (of the commune, of La Poste's name or of
    a hamlet), else keys starting with it, else the closest within the typo budget."""
    keys: dict[str, set[str]] = {}
    for row in rows:
        names = (row.commune_name or "", row.name, row.locality)
        keys.setdefault(row.commune_code or row.insee_code, set()).update(place_name_key(n) for n in names if n)
    exact = [code for code, names in keys.items() if key in names]
    prefixed = [code for code, names in keys.items() if any(name.startswith(key) for name in names)]
    nearest = closest(key, [name for names in keys.values() for name in names])
    return exact or prefixed or [code for code, names in keys.items() if names & nearest]


def postcode_resolve(parsed: WhereText) -> Where:
    """A postcode alone ("31320"), or a commune within a postcode ("Castelnau 31620")."""
    code = parsed.postcode or ""
    rows = postal_rows(code)
    if not rows:
        raise WhereNotFound(f"unknown postcode {code}")
    if outside_communes(rows):
        names = ", ".join(dict.fromkeys(row.name.title() for row in rows))
        raise WhereNotFound(
            f"postcode {code} ({names}) is outside the communes geofinder knows (collectivités d'outre-mer"
            " have no boundaries here)"
        )
    if not parsed.key:
        return postcode_where(code, rows)
    matched = [postcode_where(code, rows_of(rows, commune)) for commune in communes_in_postcode(parsed.key, rows)]
    if len(matched) == 1:
        return matched[0]
    shown = parsed.shown
    if matched:
        raise WhereAmbiguous(f"{len(matched)} communes of postcode {code} match {shown!r}", matched[:MAX_CANDIDATES])
    served = [postcode_where(code, rows_of(rows, commune)) for commune in commune_codes(rows)]
    names = ", ".join(where.label.removeprefix(f"{code} ") for where in served)
    raise WhereNotFound(
        f"no commune named {shown!r} has the postcode {code}, which serves {names}", served[:MAX_CANDIDATES]
    )
