"""A resident's where text to one place: a commune, a postcode, an arrondissement or an address."""

from __future__ import annotations

import logging
from dataclasses import replace

from geofinder.core.text import fold, place_name_key
from geofinder.territories import geocoder
from geofinder.territories.gazetteer.communes import (
    commune_resolve,
    communes_matching,
    communes_named,
    communes_within_typos,
)
from geofinder.territories.gazetteer.parsing import ARRONDISSEMENTS, WhereText, arrondissement_named, where_text_parse
from geofinder.territories.gazetteer.postcodes import (
    commune_codes,
    communes_in_postcode,
    outside_communes,
    postal_rows,
    postcode_resolve,
    postcode_where,
    postcodes_starting_with,
    rows_of,
)
from geofinder.territories.gazetteer.types import (
    APPROXIMATE,
    MAX_CANDIDATES,
    Where,
    WhereAmbiguous,
    WhereNotFound,
)
from geofinder.territories.gazetteer.typos import LONGEST_NAME_WORDS
from geofinder.territories.selectors import commune_codes_at_point

logger = logging.getLogger(__name__)


def where_resolve(*, text: str, network: bool | None = None) -> Where:
    """The one place a resident's where text means: a commune, a postcode or an address.

    Raises WhereNotFound (with close suggestions when there are some) or WhereAmbiguous (with
    the communes matching). Addresses go to the network geocoder (geofinder.territories.geocoder,
    closed unless GEOFINDER_NETWORK is on) unless `network` is False; when it does not answer,
    their locality is resolved and the label says the point is approximate.
    """
    parsed = where_text_parse(text)
    arrondissement = _arrondissement(parsed)
    if arrondissement:
        return arrondissement
    parsed = _unless_a_commune(parsed)
    if parsed.street:
        use_network = geocoder.network_enabled() if network is None else network
        if use_network:
            found = _network_where(parsed)
            if found:
                return found
        return _approximate(_address_locality(parsed))
    return _locality(parsed)


def where_candidates(*, text: str, limit: int = 10) -> list[Where]:
    """What a where text may mean, best first: postcodes and communes, for autocomplete.

    Accepts what where_resolve accepts and also beginnings ("Lab", "316"); never raises for
    want of a match (the list is empty). Never uses the network.
    """
    folded = fold(text or "")
    if not folded:
        return []
    if folded.isdigit() and 2 <= len(folded) < 5:
        return [postcode_where(code, rows) for code, rows in postcodes_starting_with(folded, limit)]
    try:
        return _candidates(where_text_parse(text), limit)
    except WhereNotFound:  # "Lyon 10e": nothing to offer
        return []


def _candidates(parsed: WhereText, limit: int) -> list[Where]:
    """where_candidates of a parsed text; may raise WhereNotFound."""
    arrondissement = _arrondissement(parsed)
    if arrondissement:
        return [arrondissement]
    parsed = _unless_a_commune(parsed)
    if parsed.postcode:
        # The postcode, then each of its communes when it serves several; or those named.
        rows, code = postal_rows(parsed.postcode), parsed.postcode
        if outside_communes(rows):
            return []
        if parsed.key:
            named = communes_in_postcode(parsed.key, rows)
            return [postcode_where(code, rows_of(rows, commune)) for commune in named][:limit]
        communes = commune_codes(rows)
        found = [postcode_where(code, rows)] if rows else []
        if len(communes) > 1:
            found += [postcode_where(code, rows_of(rows, commune)) for commune in communes]
        return found[:limit]
    if not parsed.key:  # "rue de la Paix Labège"
        try:
            return [_address_locality(parsed)]
        except WhereAmbiguous as exc:
            return exc.candidates[:limit]
    # Typos are looked for only when no name matches (the costlier trigram search).
    hits = communes_named(parsed.key, parsed.department, limit) or communes_within_typos(parsed.key, parsed.department)
    return [hit.where for hit in hits][:limit]


def _locality(parsed: WhereText) -> Where:
    if parsed.postcode:
        return postcode_resolve(parsed)
    if not parsed.key:
        raise WhereNotFound(f"no commune or postcode in {parsed.text!r}")
    return commune_resolve(parsed)


def _arrondissement(parsed: WhereText) -> Where | None:
    """The first postcode of the arrondissement named ("Paris 15e", "Lyon 3e arrondissement"), if any."""
    named = arrondissement_named(place_name_key(parsed.text))
    if named is None or parsed.postcode or parsed.street:
        return None
    city, number = named
    if number is None:  # "Paris iiii": not a roman numeral
        return None
    prefix, _commune, count = ARRONDISSEMENTS[city]
    if not 1 <= number <= count:
        raise WhereNotFound(f"{city.title()} has arrondissements 1 to {count}, not {number}")
    insee = f"{prefix}{number:0{5 - len(prefix)}d}"
    rows = postal_rows(insee=insee)
    if not rows:
        raise WhereNotFound(f"no postcode known for {parsed.text!r}")
    return postcode_where(rows[0].code, [row for row in rows if row.code == rows[0].code])


def _unless_a_commune(parsed: WhereText) -> WhereText:
    """A text read as a street only, unless it is the name of a commune: "Cours", "Chemin",
    "Rue", "Passage", "Cours-les-Barres" are communes."""
    if not parsed.street or parsed.key or parsed.postcode:
        return parsed
    key = place_name_key(parsed.street)
    if not communes_matching("exact", key, parsed.department, 1):
        return parsed
    return replace(parsed, street="", name=parsed.street, key=key)


def _address_locality(parsed: WhereText) -> Where:
    """The commune or postcode of an address, without the network."""
    if parsed.key or parsed.postcode:
        return _locality(parsed)
    # "rue de la Paix Labège": the longest ending of the street text that is a commune's key,
    # leaving at least two words for the street itself.
    words = fold(parsed.street).split()
    endings = [" ".join(words[i:]) for i in range(max(2, len(words) - LONGEST_NAME_WORDS), len(words))]
    keys = sorted({place_name_key(ending) for ending in endings}, key=len, reverse=True)
    # Ordered by similarity to the longest ending: the longest matches come first.
    hits = communes_matching("exact_any", keys[0] if keys else "", parsed.department, MAX_CANDIDATES + 1, keys=keys)
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


def _network_where(parsed: WhereText) -> Where | None:
    """The address through the network geocoder, or None when not found or unavailable."""
    city = parsed.name if parsed.key else ""
    try:
        found = geocoder.address_geocode(street=parsed.street, postcode=parsed.postcode or "", city=city)
    except geocoder.GeocodingUnavailable as exc:
        logger.warning("network geocoding of %r: %s; using the local gazetteer", parsed.text, exc.reason)
        return None
    if found is None:
        return None
    commune_code, department_code = commune_codes_at_point(lon=found.lon, lat=found.lat) or (None, None)
    return Where(
        label=found.label,
        lon=found.lon,
        lat=found.lat,
        kind="address",
        commune_code=commune_code,
        department_code=department_code,
    )
