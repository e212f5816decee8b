"""Search results as GeoJSON (RFC 7946), built directly from the selector's hits.

Plain dicts rather than serializer classes: a page of 20 results is serialised in well under a
millisecond, which the request rate targets of bench/ need. The dicts are made for orjson (the
API's renderers): datetimes and dates stay what they are, and opening statuses and closures their
dataclasses, which orjson writes as ISO 8601 (with the UTC offset) and as objects of their
fields: what `isoformat()` and `OpeningStatus.as_dict()` give, without a Python call per value.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from geofinder.places.licences import licences_of_sources
from geofinder.places.selectors import NO_MERCHANT_FACTS, MerchantFacts, merchant_facts
from geofinder.search.query import query_filters
from geofinder.search.place_row import PlaceHit
from geofinder.search.selectors import SearchResult

PARIS = ZoneInfo("Europe/Paris")


def place_properties(hit: PlaceHit, merchant: MerchantFacts = NO_MERCHANT_FACTS) -> dict:
    """The properties every reader of a place gets (API, exports), in a stable order;
    `merchant`: what its merchant confirmed (fields, when) and announces today."""
    return {
        "name": hit.name,
        "category": {"slug": hit.category_slug, "label": hit.category_label},
        "address": hit.street,
        "postcode": hit.postcode,
        "city": hit.city,
        "commune": {"code": hit.commune_code, "name": hit.commune_name},
        "department": {"code": hit.department_code, "name": hit.department_name},
        "region": {"code": hit.region_code, "name": hit.region_name},
        "distance_m": round(hit.distance_m, 1) if hit.distance_m is not None else None,
        "opening_hours": hit.opening_hours or None,
        "opening": hit.opening,
        "closures": hit.closures,
        "services": hit.services,
        "artisan": hit.artisan,
        "phone": hit.phone or None,
        "email": hit.email or None,
        "website": hit.website or None,
        "shop_url": hit.shop_url or None,
        "status": hit.status,
        "source": hit.source,
        "verified_at": merchant.verified_at,
        "merchant_confirmed": list(merchant.confirmed),
        "announcements": list(merchant.announcements),
        "updated_at": hit.updated_at,
    }


def place_feature(hit: PlaceHit, merchant: MerchantFacts = NO_MERCHANT_FACTS) -> dict:
    return {
        "type": "Feature",
        "id": hit.id,
        "geometry": {"type": "Point", "coordinates": [round(hit.lon, 7), round(hit.lat, 7)]},
        "properties": place_properties(hit, merchant),
    }


def merchant_facts_of(hits: Iterable[PlaceHit], at: datetime) -> dict[int, MerchantFacts]:
    """The MerchantFacts of these hits, announcements as shown on `at`'s day in Paris: read only
    for the hits that may have some (most places have no merchant: no statement at all)."""
    day = at.astimezone(PARIS).date()
    place_ids = [hit.id for hit in hits if hit.may_have_merchant_facts(day)]
    return merchant_facts(place_ids=place_ids, on=day) if place_ids else {}


def licences_of(hits: Iterable[PlaceHit]) -> list[dict]:
    """Licence and attribution of each source present, then of the territories used."""
    return licences_of_sources({hit.source for hit in hits})


def next_after(result: SearchResult) -> str | None:
    """The cursor of the next page, "<metres>,<id>" of the last place (every digit of its
    distance: the exact float the next search compares with), or None when the page is not full
    (nothing after it)."""
    hits = result.hits
    if not hits or len(hits) < result.query.limit or hits[-1].distance_m is None:
        return None
    return f"{hits[-1].distance_m!r},{hits[-1].id}"


def search_feature_collection(result: SearchResult) -> dict:
    query = result.query
    facts = merchant_facts_of(result.hits, result.evaluated_at)
    features = [place_feature(hit, facts.get(hit.id, NO_MERCHANT_FACTS)) for hit in result.hits]
    return {
        "type": "FeatureCollection",
        "where": result.where.as_dict(),
        "what": query.what.as_dict(),
        "filters": query_filters(query),
        "opening_evaluated_at": result.evaluated_at.isoformat(),
        "complete": result.complete,
        "count": len(features),
        "next_after": next_after(result),
        "licences": licences_of(result.hits),
        "features": features,
    }
