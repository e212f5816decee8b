"""Fast JSON renderers (orjson) for the API: GeoJSON for places and boundaries, JSON elsewhere."""

from __future__ import annotations

import orjson
from rest_framework.renderers import BaseRenderer


class JSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None  # JSON is UTF-8 by definition (RFC 8259)

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            # Keys that are not strings (numbers, dates) are written as strings, on a slower path
            # (a third of the time of a search's page) that only such answers take.
            return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"
