"""The locality of a data row: its postcode and city as sources write them, to a point.

For the importers' rows without coordinates (geofinder.imports.geocoding): the same gazetteer
as the residents' where texts, read more strictly (a row is located or rejected, never asked
back): the postcode's row named as the city (exact key, else within the typo budget), else the
postcode's only commune, else the commune of today of that name in the postcode's département
(a CEDEX code, 13751, is no La Poste row).
"""

from __future__ import annotations

from dataclasses import dataclass

from geofinder.core.text import place_name_key
from geofinder.territories.gazetteer.communes import commune_resolve
from geofinder.territories.gazetteer.parsing import WhereText, city_key
from geofinder.territories.gazetteer.postcodes import PostalRow, commune_codes, department_code_of_postcode, postal_rows
from geofinder.territories.gazetteer.types import WhereError
from geofinder.territories.gazetteer.typos import closest


@dataclass(frozen=True)
class Locality:
    lon: float  # WGS84 degrees, inside the commune
    lat: float
    precision: str  # "postcode" or "commune" (as geofinder.places' LocationPrecision)
    label: str  # "31670 LABEGE" (La Poste's row), "Les Pennes-Mirabeau (13071)" (a commune of today)


def locality_locate(*, postcode: str, city: str) -> Locality | None:
    """Where a row of `postcode` and `city` lies, at the precision they allow; None when they
    name no locality the gazetteer knows (or several)."""
    code, key = postcode.strip(), city_key(city)
    rows = [row for row in postal_rows(code) if row.commune_code is not None] if code else []
    named = [row for row in rows if key and key in _keys(row)]
    if not named and key:
        nearest = closest(key, [name for row in rows for name in _keys(row)])
        named = [row for row in rows if _keys(row) & nearest]
    if named:
        return _postal(named[0])
    if len(commune_codes(rows)) == 1:
        return _postal(rows[0])
    if not key:
        return None
    name = city if place_name_key(city) == key else key
    department = department_code_of_postcode(code) if code else None
    text = WhereText(text=city, street="", name=name, key=key, postcode=None, department=department)
    try:
        where = commune_resolve(text)
    except WhereError:
        return None
    return Locality(where.lon, where.lat, "commune", f"{where.label.split(' (')[0]} ({where.commune_code})")


def _keys(row: PostalRow) -> set[str]:
    names = (row.commune_name, row.name, row.locality, row.delivery_label)
    return {city_key(name) for name in names if name}


def _postal(row: PostalRow) -> Locality:
    return Locality(row.lon, row.lat, "postcode", f"{row.code} {row.name}")
