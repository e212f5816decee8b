"""Field-level provenance of a place: which source set each field's value, and when.

`Place.provenance` maps a field name (PROVENANCE_FIELDS) to `{"source": …, "at": ISO 8601, …}`
for the fields whose value was set after the place was created or by another source than the
place's own (`Place.source`). A field without an entry holds the value its place's source gave
when the place was created (`Place.created_at`): bulk imports create places without writing a
single entry, and a place of one source keeps an empty `provenance`.

A merchant's confirmation is a source of its own, MERCHANT (`{"source": "merchant", "at": …,
"by": <user id>}`, with `"approved_by"` when a moderator approved it). An import never
overwrites a field the merchant confirmed (geofinder.places.services.places_upsert keeps it and
says so in its report). `Place.verified_at` is the last instant a merchant confirmed a field.

The same entries serve the merge of several sources into one place (SIRENE, OSM,
Alim'confiance…): each field says which of the place's sources (geofinder.places.models.
PlaceSource) its value comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MERCHANT = "merchant"

# The fields whose provenance is kept, each with the Place columns it stands for (written
# together: a position moves its commune and precision; hours carry their warning).
# `secondary_categories` is the many-to-many table.
PROVENANCE_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "category": ("category_id",),
    "secondary_categories": (),
    "location": ("location", "location_precision", "commune_id"),
    "street": ("street",),
    "postcode": ("postcode",),
    "city": ("city",),
    "phone": ("phone",),
    "email": ("email",),
    "website": ("website",),
    "shop_url": ("shop_url",),
    "click_and_collect": ("click_and_collect",),
    "delivery": ("delivery",),
    "takeaway": ("takeaway",),
    "appointment": ("appointment",),
    "opening_hours": ("opening_hours", "opening_hours_warning"),
    "status": ("status",),
}


@dataclass(frozen=True, slots=True)
class FieldSource:
    """Where one field's value of a place comes from."""

    source: str
    at: datetime
    by: int | None = None  # the user who confirmed it (merchant)

    @property
    def merchant(self) -> bool:
        return self.source == MERCHANT


def entry(source: str, at: datetime, *, by: int | None = None, approved_by: int | None = None) -> dict:
    """A provenance entry as `Place.provenance` stores it."""
    value: dict = {"source": source, "at": at.isoformat()}
    if by is not None:
        value["by"] = by
    if approved_by is not None:
        value["approved_by"] = approved_by
    return value


def field_source(*, provenance: dict, field: str, place_source: str, created_at: datetime) -> FieldSource:
    """Where `field`'s value comes from (see the module's docstring for a field without entry)."""
    if field not in PROVENANCE_FIELDS:
        raise ValueError(f"no provenance is kept for {field!r}")
    found = provenance.get(field)
    if not found:
        return FieldSource(place_source, created_at)
    return FieldSource(found["source"], datetime.fromisoformat(found["at"]), found.get("by"))


def merchant_fields(provenance: dict) -> list[str]:
    """The fields a merchant confirmed, in PROVENANCE_FIELDS order."""
    return [field for field in PROVENANCE_FIELDS if (provenance.get(field) or {}).get("source") == MERCHANT]


def is_merchant(provenance: dict, field: str) -> bool:
    return (provenance.get(field) or {}).get("source") == MERCHANT
