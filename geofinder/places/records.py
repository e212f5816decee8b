"""What an importer says about one place, before it is written."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from geofinder.places.models import Place


@dataclass
class PlaceRecord:
    """One place as a source describes it. `commune_id` is filled by the importer's resolution."""

    source_id: str
    name: str
    category: str  # slug
    lon: float | None  # None until geocoded
    lat: float | None
    secondary_categories: list[str] = field(default_factory=list)  # slugs
    location_precision: str = Place.LocationPrecision.SOURCE
    street: str = ""
    postcode: str = ""
    city: str = ""
    commune_id: int | None = None
    phone: str = ""
    email: str = ""
    website: str = ""
    shop_url: str = ""
    click_and_collect: bool = False
    delivery: bool = False
    takeaway: bool = False
    appointment: bool = False
    artisan: bool = False  # registered with the chambre de métiers (SIRENE's artisan activity)
    opening_hours: str = ""
    opening_hours_warning: str = ""
    status: str = Place.Status.ACTIVE
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The record's fields by name (lists and dicts not copied: dataclasses.asdict's deep
        copy was a third of an import's time in Python)."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}


_FIELD_NAMES = tuple(f.name for f in fields(PlaceRecord))
