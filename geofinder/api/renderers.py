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
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"
