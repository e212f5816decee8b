"""From OpenStreetMap tags to a PlaceRecord: category, address, contacts, services, status."""

from __future__ import annotations

from geofinder.imports.osm.readers import OsmFeature
from geofinder.places.models import Place
from geofinder.places.records import PlaceRecord

# Which tag decides the primary category, in order; `cuisine` refines restaurants.
CATEGORY_KEYS = ("cuisine", "shop", "craft", "amenity", "healthcare", "office")
YES = {"yes", "only", "required"}
# Tags copied into fields; everything else goes to `extra`.
USED_TAGS = {
    "name", "addr:housenumber", "addr:street", "addr:postcode", "addr:city", "phone", "contact:phone",
    "email", "contact:email", "website", "contact:website", "opening_hours", "delivery", "takeaway",
    "click_and_collect", "appointment", "delivery:covid19", "takeaway:covid19",
}


def osm_record(
    feature: OsmFeature, *, tag_categories: dict[str, str], category_labels: dict[str, str],
    excluded: dict[str, str] | None = None,
) -> PlaceRecord | str:
    """The record for one OSM feature, or the reason it is rejected (no mapped tag).

    A `cuisine` category (pizzeria…) leads and the amenity one (restaurant) follows as secondary.
    An unnamed shop is named after its category. `excluded` (data/osm_exclusions.toml: tag →
    reason) says why a tag left out on purpose is, in the rejection's reason.
    """
    tags = feature.tags
    slugs = []
    for key in CATEGORY_KEYS:
        for value in tags.get(key, "").split(";"):
            slug = tag_categories.get(f"{key}={value.strip()}")
            if slug and slug not in slugs:
                slugs.append(slug)
    if not slugs:
        found = [f"{k}={tags[k]}" for k in CATEGORY_KEYS if k in tags]
        on_purpose = [f"{tag}, {excluded[tag]}" for tag in found if excluded and tag in excluded]
        why = f" (left out on purpose: {'; '.join(on_purpose)})" if on_purpose else ""
        return f"no shop or craft category for tags: {', '.join(found) or 'none'}{why}"
    street = " ".join(p for p in (tags.get("addr:housenumber", ""), tags.get("addr:street", "")) if p)
    return PlaceRecord(
        source_id=feature.ref,
        name=tags.get("name") or tags.get("brand") or category_labels[slugs[0]],
        category=slugs[0],
        secondary_categories=slugs[1:],
        lon=feature.lon,
        lat=feature.lat,
        street=street,
        postcode=tags.get("addr:postcode", ""),
        city=tags.get("addr:city", ""),
        phone=tags.get("phone") or tags.get("contact:phone", ""),
        email=tags.get("email") or tags.get("contact:email", ""),
        website=tags.get("website") or tags.get("contact:website", ""),
        click_and_collect=tags.get("click_and_collect") in YES,
        delivery=YES & {tags.get("delivery"), tags.get("delivery:covid19")} != set(),
        takeaway=YES & {tags.get("takeaway"), tags.get("takeaway:covid19")} != set(),
        appointment=tags.get("appointment") in YES,
        opening_hours=tags.get("opening_hours", "").strip(),
        status=_status(tags),
        extra={k: v for k, v in tags.items() if k not in USED_TAGS},
    )


def _status(tags: dict[str, str]) -> str:
    if tags.get("opening_hours", "").strip().lower() == "closed" or "disused:shop" in tags:
        return Place.Status.PERMANENTLY_CLOSED
    return Place.Status.ACTIVE
