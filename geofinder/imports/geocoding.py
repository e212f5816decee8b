"""Locating rows that come without coordinates: the gazetteer first, then the network geocoder.

The gazetteer (geofinder.territories.gazetteer: communes and La Poste postcodes in PostGIS) only
knows localities, so its answers are at postcode or commune precision and say so. Address
precision needs the network geocoder (geofinder.territories.geocoder: BAN or Nominatim, only
with `GEOFINDER_NETWORK=true`, each call bound by GEOFINDER_GEOCODER_TIMEOUT_S).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from geofinder.places.models import Place
from geofinder.territories import geocoder
from geofinder.territories.gazetteer import locality_locate


@dataclass(frozen=True)
class Located:
    lon: float
    lat: float
    precision: str  # a Place.LocationPrecision value
    label: str


class Geocoder:
    """The geocoding chain of the importers: the gazetteer, then the network when enabled."""

    def __init__(self, *, network: bool | None = None):
        self.network = settings.GEOFINDER_NETWORK if network is None else network

    def locate(self, *, street: str, postcode: str, city: str) -> tuple[Located | None, str]:
        """(result, reason): the reason says why nothing was found."""
        found = locality_locate(postcode=postcode, city=city)
        if found:
            return Located(found.lon, found.lat, Place.LocationPrecision(found.precision), found.label), ""
        if not self.network:
            return None, (
                f"no coordinates and locality unknown to the local gazetteer: {postcode!r} {city!r} "
                "(network geocoding disabled)"
            )
        try:
            address = geocoder.address_geocode(street=street, postcode=postcode, city=city)
        except geocoder.GeocodingUnavailable as exc:
            return None, f"no coordinates and {exc.reason}"
        if address is None:
            return None, f"no coordinates and address not found: {street}, {postcode} {city}"
        return Located(address.lon, address.lat, Place.LocationPrecision.ADDRESS, address.label), ""
