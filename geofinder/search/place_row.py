"""One place row: the columns of a place that every reader shows, declared once, and how a row
of them becomes a PlaceHit.

The search, the detail of a place and the static maps select `PLACE_COLUMNS` (or the part of
them they have not read already) over `places_place p`, and build their PlaceHits with
`place_hit()` from the values by name: no reader counts positions. The names of a place's
category and territories come from one source for all of them, the tables this process keeps
(`category_names_of`, `commune_names_of`): a detail and a search name a place alike, and the
rows carry ids, not names (a join per place cost more than the search's scan).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from geofinder.opening import Closure, OpeningStatus
from geofinder.places.selectors import category_names_of
from geofinder.search.query import SERVICES
from geofinder.territories.selectors import commune_names_of

# The columns of a place, by name, as SQL over `places_place p`.
PLACE_COLUMNS: dict[str, str] = {
    "id": "p.id",
    "name": "p.name",
    "lon": "ST_X(p.location::geometry)",
    "lat": "ST_Y(p.location::geometry)",
    "category_id": "p.category_id",
    "street": "p.street",
    "postcode": "p.postcode",
    "city": "p.city",
    "commune_id": "p.commune_id",
    "opening_hours": "p.opening_hours",
    **{service: f"p.{service}" for service in SERVICES},
    "phone": "p.phone",
    "email": "p.email",
    "website": "p.website",
    "shop_url": "p.shop_url",
    "status": "p.status",
    "source": "p.source",
    "updated_at": "p.updated_at",
    "artisan": "p.artisan",
    "verified_at": "p.verified_at",
    "announced_until": "p.announced_until",
}


def place_columns_sql(names: Iterable[str] | None = None, *, alias: bool = True) -> str:
    """The SQL select list of these columns of PLACE_COLUMNS (all by default), in that order,
    each named after its column when `alias`."""
    chosen = PLACE_COLUMNS if names is None else {name: PLACE_COLUMNS[name] for name in names}
    return ", ".join(f"{sql} AS {name}" if alias else sql for name, sql in chosen.items())


def place_values(row: Iterable[Any], names: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of a row of `place_columns_sql(names)` by column name."""
    return dict(zip(PLACE_COLUMNS if names is None else names, row, strict=True))


@dataclass(frozen=True, slots=True)
class PlaceHit:
    """One place as every reader of the search shows it."""

    id: int
    name: str
    lon: float
    lat: float
    distance_m: float | None
    category_slug: str
    category_label: str
    street: str
    postcode: str
    city: str
    commune_code: str
    commune_name: str
    department_code: str
    department_name: str
    region_code: str
    region_name: str
    opening_hours: str
    services: dict[str, bool]
    phone: str
    email: str
    website: str
    shop_url: str
    status: str
    source: str
    updated_at: datetime
    closures: tuple[Closure, ...]
    opening: OpeningStatus
    artisan: bool = False
    verified_at: datetime | None = None  # the last time its merchant confirmed a field
    announced_until: date | None = None  # the last day one of its announcements is shown

    def may_have_merchant_facts(self, on: date) -> bool:
        """Whether its merchant confirmed a field or an announcement may be shown on day `on`
        (geofinder.places.selectors.merchant_facts says which)."""
        return self.verified_at is not None or (self.announced_until is not None and self.announced_until >= on)


def place_hit(
    values: Mapping[str, Any], *, distance_m: float | None, opening: OpeningStatus, closures: tuple[Closure, ...]
) -> PlaceHit | None:
    """A place's values (every column of PLACE_COLUMNS, by name) as a PlaceHit, its category and
    territories named from this process's tables; None when its category or commune is gone
    (deleted since the row was read)."""
    category = category_names_of(values["category_id"])
    commune = commune_names_of(values["commune_id"])
    if category is None or commune is None:
        return None
    return PlaceHit(
        id=values["id"],
        name=values["name"],
        lon=values["lon"],
        lat=values["lat"],
        distance_m=distance_m,
        category_slug=category.slug,
        category_label=category.label,
        street=values["street"],
        postcode=values["postcode"],
        city=values["city"],
        commune_code=commune.code,
        commune_name=commune.name,
        department_code=commune.department_code,
        department_name=commune.department_name,
        region_code=commune.region_code,
        region_name=commune.region_name,
        opening_hours=values["opening_hours"],
        services={service: values[service] for service in SERVICES},
        phone=values["phone"],
        email=values["email"],
        website=values["website"],
        shop_url=values["shop_url"],
        status=values["status"],
        source=values["source"],
        updated_at=values["updated_at"],
        closures=closures,
        opening=opening,
        artisan=values["artisan"],
        verified_at=values["verified_at"],
        announced_until=values["announced_until"],
    )
