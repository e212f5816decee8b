"""Locating rows that come without coordinates: local gazetteer first, then BAN/Nominatim.

The local gazetteer (communes and La Poste postcodes in PostGIS) only knows localities, so its
answers are at postcode or commune precision and say so. Address precision needs the network
(`GEOFINDER_NETWORK=true`), through geopy's BAN (default) or Nominatim geocoder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings

from geofinder.core.text import place_name_key
from geofinder.places.models import Place
from geofinder.territories.models import Commune, PostalCode

# "Paris 15e Arrondissement", "Lyon 3e arrondissement", "Marseille 1er Arrondissement"
_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille) \d+(?: ?(?:e|er|eme))? arrondissement$")


@dataclass(frozen=True)
class Located:
    lon: float
    lat: float
    precision: str  # a Place.LocationPrecision value
    label: str


def department_code_of_postcode(postcode: str) -> str:
    """The département a postcode belongs to, as far as its digits tell (20xxx: Corsica)."""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    return postcode[:2]


class LocalGazetteer:
    """Postcode and commune look-ups in PostGIS."""

    def locate(self, *, postcode: str, city: str) -> Located | None:
        target = _city_key(city)
        rows = list(PostalCode.objects.filter(code=postcode.strip()).exclude(commune=None))
        for row in rows:
            if target and target in {_city_key(row.name), _city_key(row.locality), _city_key(row.delivery_label)}:
                return self._postal(row)
        if len({row.commune_id for row in rows}) == 1:
            return self._postal(rows[0])
        if target:
            communes = Commune.objects.filter(search_name=target)
            if postcode.strip():
                communes = communes.filter(department__code=department_code_of_postcode(postcode.strip()))
            found = list(communes[:2])
            if len(found) == 1:
                point = found[0].geom.point_on_surface
                return Located(point.x, point.y, Place.LocationPrecision.COMMUNE, str(found[0]))
        return None

    @staticmethod
    def _postal(row: PostalCode) -> Located:
        return Located(row.point.x, row.point.y, Place.LocationPrecision.POSTCODE, f"{row.code} {row.name}")


def _city_key(city: str) -> str:
    key = place_name_key(city or "")
    match = _ARRONDISSEMENT.match(key)
    return match.group(1) if match else key


class NetworkGeocoder:
    """geopy's BAN (api-adresse.data.gouv.fr) or Nominatim geocoder; used only with network on."""

    @cached_property
    def _geocoder(self):
        from geopy.geocoders import BANFrance, Nominatim

        if settings.GEOFINDER_GEOCODER == "nominatim":
            return Nominatim(user_agent=settings.GEOFINDER_GEOCODER_USER_AGENT, timeout=10)
        return BANFrance(user_agent=settings.GEOFINDER_GEOCODER_USER_AGENT, timeout=10)

    def locate(self, *, street: str, postcode: str, city: str) -> Located | None:
        query = ", ".join(part for part in (street, f"{postcode} {city}".strip()) if part)
        location = self._geocoder.geocode(query, exactly_one=True)
        if location is None:
            return None
        return Located(location.longitude, location.latitude, Place.LocationPrecision.ADDRESS, location.address)


class Geocoder:
    """The geocoding chain of the importers: local gazetteer, then the network when enabled."""

    def __init__(self, *, network: bool | None = None):
        self.network = settings.GEOFINDER_NETWORK if network is None else network
        self.local = LocalGazetteer()

    def locate(self, *, street: str, postcode: str, city: str) -> tuple[Located | None, str]:
        """(result, reason): the reason says why nothing was found."""
        found = self.local.locate(postcode=postcode, city=city)
        if found:
            return found, ""
        if not self.network:
            return None, (
                f"no coordinates and locality unknown to the local gazetteer: {postcode!r} {city!r} "
                "(network geocoding disabled)"
            )
        from geopy.exc import GeopyError

        try:
            found = NetworkGeocoder().locate(street=street, postcode=postcode, city=city)
        except GeopyError as exc:
            return None, f"no coordinates and the geocoder failed: {exc}"
        return found, "" if found else f"no coordinates and address not found: {street}, {postcode} {city}"
