"""What a search asks for, once its parameters are understood and checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

# The values of the `services` filter: the services of a place.
from geofinder.places.models import SERVICES  # noqa: F401

if TYPE_CHECKING:
    from geofinder.search.what import What
    from geofinder.search.where import Where

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
    `artisan` keeps the artisans (registered in the répertoire des métiers) or the others.
    `verified` keeps the places a merchant confirmed (Place.verified_at).
    `where` is None only for exports (every matching place, wherever it is); the nearest-places
    search requires it. `bbox` (min lon, min lat, max lon, max lat, WGS84 degrees) keeps the places
    inside that box, its edges included. `after` (geodesic metres, id) keeps the places strictly
    after that one in the search's order (distance, id): the cursor of the next page.
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
    bbox: tuple[float, float, float, float] | None = None
    after: tuple[float, int] | None = None
    artisan: bool | None = None  # only the artisans (True), only the others (False), all (None)
    verified: bool = False  # only the places some of whose fields a merchant confirmed


def query_filters(query: SearchQuery, *, limit: bool = True) -> dict:
    """The filters of a query as answers show them (`limit` left out for exports)."""
    filters = {
        "radius_m": query.radius_m,
        "limit": query.limit,
        "open_at": query.open_at.isoformat() if query.open_at else None,
        "services": list(query.services),
        "territory": str(query.territory) if query.territory else None,
        "include_closed": query.include_closed,
        "status": list(query.statuses),
        "bbox": list(query.bbox) if query.bbox else None,
        "artisan": query.artisan,
        "verified": query.verified,
    }
    if not limit:
        del filters["limit"]
    return filters
