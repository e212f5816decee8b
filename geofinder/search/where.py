"""The *where* of a search: a point, or a text (a commune, a postcode or an address) resolved to
one point by the gazetteer of geofinder.territories.gazetteer (which says what texts mean).

A point's commune may be looked up later, within the search's own statement (`located`).
Addresses reach the network geocoder only through geofinder.territories.geocoder: with
GEOFINDER_NETWORK on, within the request's budget of calls and its timeout.
"""

from __future__ import annotations

from dataclasses import replace

from geofinder.territories import gazetteer
from geofinder.territories.gazetteer import (
    APPROXIMATE,
    HOMONYM_DOMINANCE,
    MAX_CANDIDATES,
    Where,
    WhereAmbiguous,
    WhereError,
    WhereNotFound,
)
from geofinder.territories.selectors import commune_codes_at_point

__all__ = [
    "APPROXIMATE", "HOMONYM_DOMINANCE", "MAX_CANDIDATES", "Where", "WhereAmbiguous", "WhereError", "WhereNotFound",
    "at_commune", "located", "resolve_where", "where_candidates", "where_from_point",
]


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
    """The one place a resident's where text means (see gazetteer.where_resolve): raises
    WhereNotFound or WhereAmbiguous. `network` False keeps addresses local; by default they go
    to the network geocoder when GEOFINDER_NETWORK is on."""
    return gazetteer.where_resolve(text=text, network=network)


def where_candidates(text: str, *, limit: int = 10) -> list[Where]:
    """What a where text may mean, best first, for autocomplete (see gazetteer.where_candidates);
    never the network."""
    return gazetteer.where_candidates(text=text, limit=limit)
