"""Requests per client, so that one client cannot take the service from the others.

DRF's sliding-window throttle (SimpleRateThrottle), by client address: REMOTE_ADDR, or, behind
GEOFINDER_TRUSTED_PROXIES reverse proxies (DRF's NUM_PROXIES), the address the nearest of them
saw in X-Forwarded-For (a client cannot choose it). Each web process counts in its own cache
(Django's default, local memory): with N processes a client gets up to N times the rate, which
is enough to stop one client's flood (bench/hostile.py) and costs no shared store. A flood from
many addresses needs the reverse proxy's limits (nginx `limit_req`, see docs/deploy/).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """At most settings.GEOFINDER_API_RATE requests per client ("20/s" by default; "off": no
    limit), read at each request (DRF binds its rates once, at import)."""

    scope = "client"

    def __init__(self) -> None:  # the rate is read by allow_request
        pass

    def allow_request(self, request, view) -> bool:
        rate = settings.GEOFINDER_API_RATE
        if rate == "off":
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
