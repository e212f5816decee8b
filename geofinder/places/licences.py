"""Licence and attribution of the places of each source, shown with every answer that holds them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class SourceLicence:
    source: str
    licence: str
    licence_url: str
    attribution: str

    def as_dict(self) -> dict:
        return asdict(self)


ETALAB = ("Licence Ouverte / Open Licence 2.0 (Etalab)", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")

SOURCE_LICENCES = {
    "alimconfiance": SourceLicence(
        "alimconfiance", *ETALAB, "Ministère de l'Agriculture et de l'Alimentation (DGAL), Alim'confiance"
    ),
    # What merchants typed in their dashboard, published by the operator of this instance.
    "merchant": SourceLicence(
        "merchant", "informations fournies par les commerçants à l'opérateur de cette instance", "",
        "les commerçants (geofinder)",
    ),
    "osm": SourceLicence(
        "osm", "ODbL 1.0", "https://opendatacommons.org/licenses/odbl/1-0/", "© les contributeurs d'OpenStreetMap"
    ),
    "sirene": SourceLicence(
        "sirene", *ETALAB, "INSEE, base Sirene des entreprises et de leurs établissements; géolocalisation Etalab (BAN)"
    ),
    "synthetic": SourceLicence(
        "synthetic", "none (synthetic benchmark data, not real places)", "", "geofinder bench/synthetic.py"
    ),
}

# Boundaries (IGN ADMIN EXPRESS COG 2018) and postcodes (La Poste) locate every answer.
TERRITORY_LICENCE = SourceLicence(
    "territories", *ETALAB, "IGN ADMIN EXPRESS COG 2018, INSEE COG 2018, La Poste base des codes postaux"
)


def licence_for(source: str) -> SourceLicence:
    """The licence of a source; a source imported by hand under another name is flagged unknown."""
    return SOURCE_LICENCES.get(
        source, SourceLicence(source, "unknown: see the operator of this instance", "", source)
    )


def licences_of_sources(sources: Iterable[str]) -> list[dict]:
    """Licence and attribution of each of these sources, then of the territories used."""
    return [dict(licence) for licence in _licences(frozenset(sources))]


@lru_cache(maxsize=64)
def _licences(sources: frozenset[str]) -> tuple[dict, ...]:
    # The same few sets of sources answer after answer (copied out: callers may add to them).
    return tuple(licence_for(source).as_dict() for source in sorted(sources)) + (TERRITORY_LICENCE.as_dict(),)
