"""The network geocoder: an address to a point through the BAN or Nominatim (geopy).

The one door to an outside geocoding service, for the residents' where texts (geofinder.search)
and the imported rows without coordinates (geofinder.imports.geocoding) alike:

- closed unless GEOFINDER_NETWORK is true (whatever a caller asks);
- each call waits at most GEOFINDER_GEOCODER_TIMEOUT_S seconds for the answer;
- a request may make at most GEOFINDER_GEOCODER_BUDGET calls (GeocodingBudgetMiddleware gives
  each request its budget; commands, the imports, have none and are bound by the timeout only).

Failures (closed, budget spent, timeout, an error of the service) raise GeocodingUnavailable,
which says why: the callers fall back on the local gazetteer (the search) or reject the row
with that reason (the imports).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

# Network calls the code running in this context may still make; None: no budget (commands).
_calls_left: ContextVar[int | None] = ContextVar("geofinder_geocoding_calls_left", default=None)


@dataclass(frozen=True)
class GeocodedAddress:
    lon: float  # WGS84 degrees
    lat: float
    label: str  # as the service writes the address: "12 Rue de la Paix 31670 Labège"


class GeocodingUnavailable(Exception):
    """The network geocoder was not asked or did not answer; `reason` says why (English)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def network_enabled() -> bool:
    """Whether the network geocoder may be asked at all (GEOFINDER_NETWORK)."""
    return bool(settings.GEOFINDER_NETWORK)


def address_geocode(*, street: str, postcode: str, city: str) -> GeocodedAddress | None:
    """The point of an address through the configured service (GEOFINDER_GEOCODER), None when
    the service knows no such address.

    Raises GeocodingUnavailable when the network is off, when this request's budget of calls is
    spent, past the timeout, or on any error of the service.
    """
    if not network_enabled():
        raise GeocodingUnavailable("network geocoding disabled (GEOFINDER_NETWORK is off)")
    _spend_one_call()
    from geopy.exc import GeopyError

    query = ", ".join(part for part in (street, f"{postcode} {city}".strip()) if part)
    try:
        location = geopy_geocoder().geocode(query, exactly_one=True, timeout=settings.GEOFINDER_GEOCODER_TIMEOUT_S)
    except GeopyError as exc:
        raise GeocodingUnavailable(f"the geocoder failed: {exc}") from exc
    if location is None:
        return None
    return GeocodedAddress(lon=location.longitude, lat=location.latitude, label=location.address)


def geopy_geocoder():
    """geopy's BAN (api-adresse.data.gouv.fr, default) or Nominatim geocoder, at
    GEOFINDER_GEOCODER_URL when set (a self-hosted instance)."""
    from geopy.adapters import RequestsAdapter
    from geopy.geocoders import BANFrance, Nominatim

    options = {
        "user_agent": settings.GEOFINDER_GEOCODER_USER_AGENT,
        "timeout": settings.GEOFINDER_GEOCODER_TIMEOUT_S,
        # One HTTP request per call: geopy's adapter retries twice by default, which made a call
        # wait three timeouts and ask the service three times.
        "adapter_factory": partial(RequestsAdapter, max_retries=0),
    }
    if settings.GEOFINDER_GEOCODER_URL:
        url = urlsplit(settings.GEOFINDER_GEOCODER_URL)
        options |= {"scheme": url.scheme, "domain": f"{url.netloc}{url.path}".rstrip("/")}
    if settings.GEOFINDER_GEOCODER == "nominatim":
        return Nominatim(**options)
    return BANFrance(**options)


def _spend_one_call() -> None:
    left = _calls_left.get()
    if left is None:
        return
    if left <= 0:
        logger.info("network geocoding budget of the request spent")
        raise GeocodingUnavailable("network geocoding budget of this request spent")
    _calls_left.set(left - 1)


@contextmanager
def geocoding_budget(calls: int) -> Iterator[None]:
    """At most `calls` network calls within the block (and within the blocks it opens)."""
    token = _calls_left.set(calls)
    try:
        yield
    finally:
        _calls_left.reset(token)


class GeocodingBudgetMiddleware:
    """Gives each request its budget of GEOFINDER_GEOCODER_BUDGET network geocoding calls, for
    as long as its view runs (a streamed answer's chunks are produced after: they geocode
    nothing, the where of an export is resolved when its query is read)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with geocoding_budget(settings.GEOFINDER_GEOCODER_BUDGET):
            return self.get_response(request)
