"""Open-data exports: every place matching the search filters, streamed as GeoJSON or CSV."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geofinder.api.params import ParamErrors, search_query_from
from geofinder.api.renderers import JSONRenderer
from geofinder.api.views import ERROR_RESPONSE, SEARCH_PARAMETERS, bad_request
from geofinder.exports.formats import CONTENT_TYPES, FORMATS, Export

EXPORT_PARAMETERS = [
    OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(FORMATS), description="geojson or csv"),
    *[parameter for parameter in SEARCH_PARAMETERS if parameter.name != "limit"],
]


class PlaceExportView(APIView):
    """Every place matching the search filters (no limit; `near`/`where` optional), streamed:
    a GeoJSON FeatureCollection (RFC 7946) or a CSV file (UTF-8, RFC 4180) named after its
    content, with the licence of its rows, the query that produced it and when it was read."""

    renderer_classes = [JSONRenderer]

    @extend_schema(
        parameters=EXPORT_PARAMETERS,
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="GeoJSON or CSV file"), 400: ERROR_RESPONSE},
    )
    def get(self, request: Request, fmt: str) -> Response | StreamingHttpResponse:
        if fmt not in FORMATS:
            detail = f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}"
            return Response({"detail": detail}, status=404)
        try:
            query = search_query_from(request.query_params, export=True)
        except ParamErrors as errors:
            return bad_request(errors)
        export = Export(query=query, params=request.query_params.dict(), fmt=fmt)
        response = StreamingHttpResponse(export.chunks(), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
        response["X-Geofinder-Generated-At"] = export.now.isoformat()
        return response
