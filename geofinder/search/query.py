"""What a search asks for, once its parameters are understood and checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geofinder.search.what import What
    from geofinder.search.where import Where

SERVICES = ("click_and_collect", "delivery", "takeaway", "appointment")
TERRITORY_KINDS = ("region", "department", "commune")
# Place.Status values, for the `status` filter.
STATUSES = ("active", "temporarily_closed", "permanently_closed")

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_RADIUS_M = 1_000_000  # 1,000 km: farther than any two points of metropolitan France


@dataclass(frozen=True, slots=True)
class TerritoryFilter:
    """Restrict a search to a région, a département or a commune, by INSEE code."""

    kind: str  # one of TERRITORY_KINDS
    code: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A checked search: the nearest places to `where` matching `what` and the filters.

    `open_at` keeps only the places open at that instant; opening statuses are evaluated at
    `open_at`, or at the time of the request when it is None. `radius_m` is in geodesic metres.
    `statuses`, when given, keeps the places of those statuses (instead of `include_closed`).
    `verified` keeps the places a merchant confirmed (Place.verified_at).
    `where` is None only for exports (every matching place, wherever it is); the nearest-places
    search requires it.
    """

    where: Where | None
    what: What
    limit: int = DEFAULT_LIMIT
    radius_m: float | None = None
    open_at: datetime | None = None
    services: tuple[str, ...] = ()
    territory: TerritoryFilter | None = None
    include_closed: bool = False
    statuses: tuple[str, ...] = ()
    verified: bool = False  # only the places some of whose fields a merchant confirmed
