"""API views: thin wrappers turning query strings into selector calls and selector results
into GeoJSON. Parameters are read by the query contract (geofinder.search.contract), which also
documents them (geofinder.api.openapi); bad parameters get HTTP 400 naming the wrong fields."""

from __future__ import annotations

import re

import orjson
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geofinder.api.geojson import merchant_facts_of, place_feature, search_feature_collection
from geofinder.api.openapi import ERROR_RESPONSE, NOT_FOUND_RESPONSE, TIMEOUT_RESPONSE, parameters, response
from geofinder.api.renderers import GeoJSONRenderer, JSONRenderer
from geofinder.opening.week import week_schedule
from geofinder.search.contract import GEOCODE_PARAMS, SEARCH_PARAMS, geocode_query_from, search_query_from
from geofinder.search.errors import ParamErrors
from geofinder.search.query import TERRITORY_KINDS
from geofinder.places.models import Category
from geofinder.places.licences import licences_of_sources
from geofinder.places.selectors import NO_MERCHANT_FACTS, category_ids_with_places, category_tree, place_sources
from geofinder.search.named import search_places
from geofinder.search.selectors import place_detail
from geofinder.search.what import category_suggestions
from geofinder.search.where import where_candidates
from geofinder.territories.selectors import territory_boundary

MAX_ID = 2**63 - 1
PLACE_ID = re.compile(r"[0-9]{1,19}")
TERRITORY_CODE = re.compile(r"[0-9A-Za-z]{1,5}")


def bad_request(errors: ParamErrors) -> Response:
    return Response(errors.as_dict(), status=400)


def not_found(detail: str) -> Response:
    return Response({"detail": detail}, status=404)


class PlaceSearchView(APIView):
    """The nearest shops and artisans: GeoJSON FeatureCollection ordered by distance."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        operation_id="places_search",
        description="The nearest places to `near` or `where` (one of them is required), ordered by geodesic "
        "distance, with the filters given.",
        parameters=parameters(SEARCH_PARAMS.values()),
        responses={
            200: response("PlaceCollection", "GeoJSON FeatureCollection, nearest first"),
            400: ERROR_RESPONSE,
            503: TIMEOUT_RESPONSE,
        },
    )
    def get(self, request: Request) -> Response:
        try:
            query = search_query_from(request.query_params)
        except ParamErrors as errors:
            return bad_request(errors)
        return Response(search_feature_collection(search_places(query=query)))


class PlaceDetailView(APIView):
    """One place as a GeoJSON Feature, with its opening status now and the week's hours."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        operation_id="place_detail",
        parameters=[OpenApiParameter("place_id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH)],
        responses={
            200: response("Place", "GeoJSON Feature"), 400: ERROR_RESPONSE, 404: NOT_FOUND_RESPONSE,
            503: TIMEOUT_RESPONSE,
        },
    )
    def get(self, request: Request, place_id: str) -> Response:
        hit = None
        now = timezone.now()  # one instant for the status and the week shown
        if PLACE_ID.fullmatch(place_id) and int(place_id) <= MAX_ID:
            hit = place_detail(place_id=int(place_id), now=now)
        if hit is None:
            return not_found(f"no place with id {place_id!r}")
        now = timezone.now()
        feature = place_feature(hit, merchant_facts_of([hit], now).get(hit.id, NO_MERCHANT_FACTS))
        # The week's opening hours, for the detail panel (only on this endpoint).
        feature["properties"]["week"] = week_schedule(
            hit.opening_hours,
            at=now,
            department_code=hit.department_code,
            closures=hit.closures,
            position=(hit.lon, hit.lat),
        )
        feature["properties"]["sources"] = place_sources(place_id=hit.id)
        feature["licences"] = licences_of_sources({source["source"] for source in feature["properties"]["sources"]})
        return Response(feature)


class CategoryListView(APIView):
    """The category taxonomy: families and their categories (slug, labels, synonyms, OSM tags,
    whether any place has it)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="categories_list",
        responses={200: response("CategoryTree", "The taxonomy"), 400: ERROR_RESPONSE},
    )
    def get(self, request: Request) -> Response:
        families = category_tree()
        # Whether each category has places (as its primary or a secondary one): the pages offer
        # only those, or mark the others.
        ids = dict(Category.objects.values_list("slug", "id"))
        with_places = category_ids_with_places()
        for family in families:
            for category in family["categories"]:
                category["has_places"] = ids[category["slug"]] in with_places
        return Response({"count": sum(len(f["categories"]) for f in families), "families": families})


class TerritoryView(APIView):
    """A région, département or commune boundary as a GeoJSON Feature (COG 2018)."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        operation_id="territory_boundary",
        parameters=[
            OpenApiParameter("kind", {"type": "string", "enum": list(TERRITORY_KINDS)}, OpenApiParameter.PATH),
            OpenApiParameter(
                "code", {"type": "string", "pattern": "^[0-9A-Za-z]{1,5}$"}, OpenApiParameter.PATH,
                description="INSEE code: 76, 31, 2A, 971, 31555, 2B033",
            ),
        ],
        responses={200: response("Territory", "GeoJSON Feature"), 400: ERROR_RESPONSE, 404: NOT_FOUND_RESPONSE},
    )
    def get(self, request: Request, kind: str, code: str) -> Response:
        if kind not in TERRITORY_KINDS:
            return not_found(f"unknown territory kind {kind!r}; expected one of {', '.join(TERRITORY_KINDS)}")
        # INSEE codes: "76", "31", "2A", "971", "31555", "2B033" (anything else names nothing).
        feature = territory_boundary(kind=kind, code=code.upper()) if TERRITORY_CODE.fullmatch(code) else None
        if feature is None:
            return not_found(f"no {kind} with code {code!r}")
        feature["geometry"] = orjson.Fragment(feature.pop("geometry_json"))
        return Response(feature)


class GeocodeView(APIView):
    """What a `where` text may mean: communes and postcodes, best first (for autocomplete)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="geocode",
        parameters=parameters(GEOCODE_PARAMS.values()),
        responses={200: response("Geocoding", "Candidates, best first"), 400: ERROR_RESPONSE, 503: TIMEOUT_RESPONSE},
    )
    def get(self, request: Request) -> Response:
        try:
            text, limit = geocode_query_from(request.query_params)
        except ParamErrors as errors:
            return bad_request(errors)
        candidates = where_candidates(text, limit=limit)
        return Response(
            {
                "query": text,
                "count": len(candidates),
                "results": [candidate.as_dict() for candidate in candidates],
                "categories": [{"slug": c.slug, "label": c.label} for c in category_suggestions(text, limit=5)],
            }
        )
