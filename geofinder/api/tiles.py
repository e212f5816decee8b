"""GET /api/v1/clusters/{z}/{x}/{y}/: the places of a map tile matching the search's filters, as
GeoJSON clusters by cell (or the places themselves from zoom 14), for the map's overview of a
whole département (geofinder.search.clusters)."""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from geofinder.api.openapi import ERROR_RESPONSE, TIMEOUT_RESPONSE, parameters, response
from geofinder.api.renderers import GeoJSONRenderer, JSONRenderer
from geofinder.api.views import bad_request
from geofinder.search.clusters import MAX_POINTS, MAX_ZOOM, MIN_ZOOM, POINTS_ZOOM, Tile, tile_errors, tile_places
from geofinder.search.contract import EXPORT_PARAMS, search_query_from
from geofinder.search.errors import ParamErrors

# The filters of a search; the tile is the location (no point, radius or box).
TILE_PARAMS = {name: param for name, param in EXPORT_PARAMS.items() if name not in {"near", "where", "radius", "bbox"}}
_NUMBER = re.compile(r"[0-9]{1,7}")


def _tile_of(z: str, x: str, y: str) -> Tile:
    errors = ParamErrors()
    values = {}
    for name, raw in (("z", z), ("x", x), ("y", y)):
        if not _NUMBER.fullmatch(raw):
            errors.add(name, f"must be a whole number (at most 7 digits), got {raw[:20]!r}")
        else:
            values[name] = int(raw)
    if not errors.errors:
        for name, message in tile_errors(**values).items():
            errors.add(name, message)
    if errors.errors:
        raise errors
    return Tile(**values)


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, {"type": "integer", "minimum": 0}, OpenApiParameter.PATH, description=description)


class ClusterTileView(APIView):
    """The places of a tile matching the filters: clusters (count, mean position) by cell of a
    4 × 4 grid of the tile; from zoom 14, a tile of at most 500 places gives them one by one."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        operation_id="places_clusters",
        description=(
            f"Web Mercator tile z/x/y (the OSM scheme, z from {MIN_ZOOM} to {MAX_ZOOM}): the places matching the "
            "search's filters, counted by cell (4 × 4 cells a tile) as Point features of `count` places at their "
            f"mean position; from zoom {POINTS_ZOOM}, when the tile holds at most {MAX_POINTS}, the places "
            "themselves (`id`, `name`, `category`, `state`: the opening state). A place on the edge of two tiles "
            "counts in one: the counts of the tiles covering an area add up to the places matching there."
        ),
        parameters=[
            _path("z", f"zoom, {MIN_ZOOM} to {MAX_ZOOM}"), _path("x", "column, 0 to 2^z − 1"),
            _path("y", "row from the north, 0 to 2^z − 1"),
            *parameters(TILE_PARAMS.values()),
        ],
        responses={200: response("ClusterCollection", "GeoJSON FeatureCollection"), 400: ERROR_RESPONSE,
                   503: TIMEOUT_RESPONSE},
    )
    def get(self, request: Request, z: str, x: str, y: str) -> Response:
        try:
            tile = _tile_of(z, x, y)
            values = {name: request.query_params[name] for name in TILE_PARAMS if name in request.query_params}
            query = search_query_from(values, export=True)
        except ParamErrors as errors:
            return bad_request(errors)
        content = tile_places(query=query, tile=tile)
        features = [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
             "properties": {"count": c.count}}
            for c in content.clusters
        ] + [
            {"type": "Feature", "id": p.id, "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
             "properties": {"count": 1, "name": p.name, "category": p.category, "state": p.state}}
            for p in content.points
        ]
        return Response({
            "type": "FeatureCollection", "tile": [tile.z, tile.x, tile.y],
            "kind": "points" if content.points else "clusters", "count": content.count, "features": features,
        })
