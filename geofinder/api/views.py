"""API views: thin wrappers turning query strings into selector calls and selector results
into GeoJSON. Bad parameters get HTTP 400 with the wrong fields named (see params.py)."""

from __future__ import annotations

import re

import orjson
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geofinder.api.geojson import licences_of, place_feature, search_feature_collection
from geofinder.api.params import ParamErrors, search_query_from
from geofinder.api.renderers import GeoJSONRenderer, JSONRenderer
from geofinder.opening.week import week_schedule
from geofinder.places.selectors import category_tree
from geofinder.search.query import DEFAULT_LIMIT, MAX_LIMIT, MAX_RADIUS_M, SERVICES, STATUSES, TERRITORY_KINDS
from geofinder.search.selectors import place_detail, place_search
from geofinder.search.what import category_suggestions
from geofinder.search.where import where_candidates
from geofinder.territories.selectors import territory_boundary

MAX_ID = 2**63 - 1
TERRITORY_CODE = re.compile(r"[0-9A-Za-z]{1,5}")
ERROR_RESPONSE = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Invalid parameters: `errors` maps each wrong field to its messages"
)

SEARCH_PARAMETERS = [
    OpenApiParameter("what", str, description="Category words or a shop's name: boulangerie, pain, plombier, Chez Marcel"),
    OpenApiParameter("category", str, description="Category slug(s), comma-separated (see /api/v1/categories/)"),
    OpenApiParameter("near", str, description="Position as <longitude>,<latitude> (WGS84), e.g. 1.5206,43.5391"),
    OpenApiParameter("where", str, description="Commune, postcode or address: Labège, 31670, Saint-Martin 31"),
    OpenApiParameter("radius", float, description=f"Maximum geodesic distance in metres (at most {MAX_RADIUS_M})"),
    OpenApiParameter("limit", int, description=f"Number of places, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT})"),
    OpenApiParameter("open", str, description="Only places open `now` or at an ISO 8601 date-time"),
    OpenApiParameter("services", str, description=f"Required services, comma-separated: {', '.join(SERVICES)}"),
    OpenApiParameter("territory", str, description="Restrict to region:<code>, department:<code> or commune:<code>"),
    OpenApiParameter("include_closed", bool, description="Include permanently closed places (default false)"),
    OpenApiParameter("status", str, description=f"Only these statuses, comma-separated: {', '.join(STATUSES)} (instead of include_closed)"),
]


def bad_request(errors: ParamErrors) -> Response:
    return Response(errors.as_dict(), status=400)


class PlaceSearchView(APIView):
    """The nearest shops and artisans: GeoJSON FeatureCollection ordered by distance."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="GeoJSON FeatureCollection"), 400: ERROR_RESPONSE},
    )
    def get(self, request: Request) -> Response:
        try:
            query = search_query_from(request.query_params)
        except ParamErrors as errors:
            return bad_request(errors)
        return Response(search_feature_collection(place_search(query=query)))


class PlaceDetailView(APIView):
    """One place as a GeoJSON Feature, with its opening status now."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT})
    def get(self, request: Request, place_id: int) -> Response:
        hit = place_detail(place_id=place_id) if place_id <= MAX_ID else None
        if hit is None:
            return Response({"detail": f"no place with id {place_id}"}, status=404)
        feature = place_feature(hit)
        # The week's opening hours, for the detail panel (only on this endpoint).
        feature["properties"]["week"] = week_schedule(
            hit.opening_hours, at=timezone.now(), department_code=hit.department_code, closures=hit.closures
        )
        feature["licences"] = licences_of([hit])
        return Response(feature)


class CategoryListView(APIView):
    """The category taxonomy: families and their categories (slug, labels, synonyms, OSM tags)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        families = category_tree()
        return Response({"count": sum(len(f["categories"]) for f in families), "families": families})


class TerritoryView(APIView):
    """A région, département or commune boundary as a GeoJSON Feature (COG 2018)."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT})
    def get(self, request: Request, kind: str, code: str) -> Response:
        if kind not in TERRITORY_KINDS:
            return Response({"detail": f"unknown territory kind {kind!r}; expected one of {', '.join(TERRITORY_KINDS)}"}, status=404)
        # INSEE codes: "76", "31", "2A", "971", "31555", "2B033" (anything else names nothing).
        feature = territory_boundary(kind=kind, code=code.upper()) if TERRITORY_CODE.fullmatch(code) else None
        if feature is None:
            return Response({"detail": f"no {kind} with code {code!r}"}, status=404)
        feature["geometry"] = orjson.Fragment(feature.pop("geometry_json"))
        return Response(feature)


class GeocodeView(APIView):
    """What a `where` text may mean: communes and postcodes, best first (for autocomplete)."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="Commune, postcode or address text"),
            OpenApiParameter("limit", int, description="Number of answers, 1 to 20 (default 10)"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR_RESPONSE},
    )
    def get(self, request: Request) -> Response:
        errors = ParamErrors()
        text = request.query_params.get("q", "").strip()
        if not text:
            errors.add("q", "the text to look up is required")
        limit_raw = request.query_params.get("limit", "10").strip() or "10"
        if not limit_raw.isdigit() or not 1 <= int(limit_raw) <= 20:
            errors.add("limit", f"must be a whole number between 1 and 20, got {limit_raw!r}")
        if errors.errors:
            return bad_request(errors)
        candidates = where_candidates(text, limit=int(limit_raw))
        return Response(
            {
                "query": text,
                "count": len(candidates),
                "results": [candidate.as_dict() for candidate in candidates],
                "categories": [{"slug": c.slug, "label": c.label} for c in category_suggestions(text, limit=5)],
            }
        )
