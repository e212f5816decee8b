"""Open-data exports: every place matching the search filters, streamed as GeoJSON or CSV."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geofinder.api.openapi import ERROR_RESPONSE, NOT_FOUND_RESPONSE, parameters
from geofinder.api.renderers import JSONRenderer
from geofinder.api.views import bad_request, not_found
from geofinder.exports.formats import CONTENT_TYPES, FORMATS, Export, export_file_options
from geofinder.search.contract import EXPORT_FILE_PARAMS, EXPORT_PARAMS, search_query_from
from geofinder.search.errors import ParamErrors

_CSV_SCHEMA = {
    "type": "string",
    "description": "CSV (RFC 4180, UTF-8; with dialect=excel-fr: semicolons, a byte order mark, decimal commas), "
    "a header line then one place a line",
}
_GEOJSON_SCHEMA = {
    "type": "object",
    "description": "GeoJSON FeatureCollection (RFC 7946), one feature a line, with the query and the licences; "
    "with properties=flat, each feature's properties are the CSV columns",
    "properties": {"type": {"type": "string", "enum": ["FeatureCollection"]}, "features": {"type": "array"}},
    "required": ["type", "features"],
}


class PlaceExportView(APIView):
    """Every place matching the search filters (no limit; `near`/`where` optional), streamed:
    a GeoJSON FeatureCollection (RFC 7946) or a CSV file (UTF-8, RFC 4180) named after its
    content, with the licence of its rows, the query that produced it and when it was read."""

    renderer_classes = [JSONRenderer]

    @staticmethod
    def reads_on_primary_for(kwargs: dict) -> bool:
        """CSV exports read on the primary: their opening statuses go through a temporary table
        (search/stream.py), which a replica (read-only) cannot create. GeoJSON ones read on a
        replica (geofinder/core/replica_routing.py)."""
        return kwargs.get("fmt") == "csv"

    @extend_schema(
        operation_id="places_export",
        parameters=[
            OpenApiParameter("fmt", {"type": "string", "enum": list(FORMATS)}, OpenApiParameter.PATH,
                             description="geojson or csv"),
            *parameters(EXPORT_PARAMS.values()),
            *parameters(EXPORT_FILE_PARAMS.values()),
        ],
        responses={
            (200, CONTENT_TYPES["geojson"]): OpenApiResponse(_GEOJSON_SCHEMA, description="GeoJSON file"),
            (200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(_CSV_SCHEMA, description="CSV file"),
            400: ERROR_RESPONSE,
            404: NOT_FOUND_RESPONSE,
        },
    )
    def get(self, request: Request, fmt: str) -> Response | StreamingHttpResponse:
        if fmt not in FORMATS:
            return not_found(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
        file_errors = ParamErrors()
        layout = export_file_options(request.query_params, fmt, file_errors)
        try:
            query = search_query_from(request.query_params, export=True)
        except ParamErrors as errors:
            for name, messages in file_errors.errors.items():
                errors.errors.setdefault(name, []).extend(messages)
            return bad_request(errors)
        if file_errors.errors:
            return bad_request(file_errors)
        params = {name: value for name, value in request.query_params.dict().items() if name not in EXPORT_FILE_PARAMS}
        export = Export(query=query, params=params, fmt=fmt, **layout)
        response = StreamingHttpResponse(export.chunks(), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
        response["X-Geofinder-Generated-At"] = export.now.isoformat()
        return response
