"""The OpenAPI description of the API, generated from the query contract.

Parameters come from the declarations that parse them (`geofinder.search.contract`): their type,
limits, enums, patterns and examples are what the parser checks, so a client generated from the
schema sends what the server accepts. Answers are described by the JSON Schemas below (added to
the document's components by `add_components`, a drf-spectacular post-processing hook), and
checked against real answers by the fuzz test (tests/api/test_schema_fuzz.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from geofinder.places.provenance import PROVENANCE_FIELDS
from geofinder.search.contract import Param
from geofinder.search.query import SERVICES, STATUSES, TERRITORY_KINDS


def parameters(params: Iterable[Param]) -> list[OpenApiParameter]:
    """The OpenAPI query parameters of these declarations."""
    return [
        OpenApiParameter(
            param.name,
            _with_example(param),
            required=param.required,
            description=param.description,
            style="form" if param.is_array else None,
            explode=False if param.is_array else None,
        )
        for param in params
    ]


def _with_example(param: Param) -> dict:
    schema = dict(param.schema)
    if param.example is not None:
        kind = schema.get("type")
        if kind == "array":
            schema["example"] = param.example.split(",")
        elif kind in {"integer", "number"}:
            schema["example"] = int(param.example) if kind == "integer" else float(param.example)
        else:
            schema["example"] = param.example
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def response(name: str, description: str) -> OpenApiResponse:
    return OpenApiResponse(ref(name), description=description)


ERROR_RESPONSE = response("Error", "Invalid parameters: `errors` maps each wrong field to its messages")
NOT_FOUND_RESPONSE = response("Message", "Nothing at this address")
TIMEOUT_RESPONSE = response("Message", "The database took too long to answer: try a narrower search")

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": "string", "nullable": True}
_DATE_TIME = {"type": "string", "format": "date-time"}
_SLUG_LABEL = {
    "type": "object",
    "properties": {"slug": _STRING, "label": _STRING},
    "required": ["slug", "label"],
}
_CODE_NAME = {
    "type": "object",
    "properties": {"code": _NULLABLE_STRING, "name": _NULLABLE_STRING},
    "required": ["code", "name"],
}

COMPONENTS = {
    "Error": {
        "type": "object",
        "properties": {
            "detail": _STRING,
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": _STRING}},
            "hints": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object"}}},
        },
        "required": ["detail"],
    },
    "Message": {"type": "object", "properties": {"detail": _STRING}, "required": ["detail"]},
    "Point": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        },
        "required": ["type", "coordinates"],
    },
    "OpeningStatus": {
        "type": "object",
        "properties": {
            "state": {"type": "string", "enum": ["open", "closed", "unknown"]},
            "next_change": {**_DATE_TIME, "nullable": True},
            "label": _STRING,
        },
        "required": ["state", "next_change", "label"],
    },
    "Closure": {
        "type": "object",
        "properties": {"start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
                       "reason": _STRING},
        "required": ["start", "end"],
    },
    "Announcement": {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["promotion", "event", "news"]},
            "title": _STRING, "text": {"type": "string", "maxLength": 500},
            "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
        },
        "required": ["kind", "title", "text", "start", "end"],
    },
    "PlaceProperties": {
        "type": "object",
        "properties": {
            "name": _STRING,
            "category": _SLUG_LABEL,
            "address": _STRING,
            "postcode": _STRING,
            "city": _STRING,
            "commune": _CODE_NAME,
            "department": _CODE_NAME,
            "region": _CODE_NAME,
            "distance_m": {"type": "number", "nullable": True, "description": "geodesic metres from the point"},
            "opening_hours": {**_NULLABLE_STRING, "description": "the raw OpenStreetMap opening_hours value"},
            "opening": ref("OpeningStatus"),
            "closures": {"type": "array", "items": ref("Closure")},
            "services": {
                "type": "object",
                "properties": {service: {"type": "boolean"} for service in SERVICES},
                "required": list(SERVICES),
            },
            "artisan": {"type": "boolean", "description": "registered in the répertoire des métiers (SIRENE)"},
            "phone": _NULLABLE_STRING,
            "email": _NULLABLE_STRING,
            "website": _NULLABLE_STRING,
            "shop_url": _NULLABLE_STRING,
            "status": {"type": "string", "enum": list(STATUSES)},
            "source": _STRING,
            "verified_at": {
                **_DATE_TIME, "nullable": True,
                "description": "the last time the merchant confirmed one of the place's fields (null: never)",
            },
            "merchant_confirmed": {
                "type": "array", "items": {"type": "string", "enum": list(PROVENANCE_FIELDS)},
                "description": "the fields whose value the merchant confirmed (imports never overwrite them)",
            },
            "announcements": {"type": "array", "items": ref("Announcement"),
                              "description": "the merchant's announcements shown today"},
            "updated_at": _DATE_TIME,
            "sources": {
                "type": "array",
                "description": "every source of the place, its own first, then those merged into it (same "
                "SIRET, or name, distance and category), on the detail only",
                "items": {
                    "type": "object",
                    "properties": {
                        "source": _STRING, "source_id": _STRING, "licence": _STRING,
                        "matched_by": {"type": "string", "enum": ["", "siret", "name_distance"]},
                        "confidence": {"type": "number", "nullable": True},
                    },
                    "required": ["source", "source_id", "licence", "matched_by", "confidence"],
                },
            },
            "week": {
                "type": "array",
                "description": "the week's opening hours, on the detail only",
                "items": {
                    "type": "object",
                    "properties": {
                        "date": {"type": "string", "format": "date"},
                        "weekday": _STRING,
                        "intervals": {"type": "array", "items": _STRING},
                        "today": {"type": "boolean"},
                        "note": _STRING,
                    },
                    "required": ["date", "weekday", "intervals", "today", "note"],
                },
            },
        },
        "required": [
            "name", "category", "address", "postcode", "city", "commune", "department", "region", "distance_m",
            "opening_hours", "opening", "closures", "services", "artisan", "phone", "email", "website", "shop_url",
            "status", "source", "verified_at", "merchant_confirmed", "announcements", "updated_at",
        ],
    },
    "Place": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "integer"},
            "geometry": ref("Point"),
            "properties": ref("PlaceProperties"),
            "licences": {"type": "array", "items": ref("Licence")},
        },
        "required": ["type", "id", "geometry", "properties"],
    },
    "Licence": {
        "type": "object",
        "properties": {"source": _STRING, "licence": _STRING, "licence_url": _STRING, "attribution": _STRING},
        "required": ["source", "licence", "attribution"],
    },
    "Where": {
        "type": "object",
        "properties": {
            "label": _STRING,
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "kind": {"type": "string", "enum": ["point", "commune", "postcode", "address"]},
            "commune_code": _STRING,
        },
        "required": ["label", "lon", "lat", "kind"],
    },
    "What": {
        "type": "object",
        "properties": {
            "text": _STRING,
            "kind": {"type": "string", "enum": ["category", "name", "all"]},
            "categories": {"type": "array", "items": _SLUG_LABEL},
            "suggestions": {"type": "array", "items": _SLUG_LABEL},
            "name_first": {
                **_NULLABLE_STRING,
                "description": "The text read as categories was also a shop's name: the places of exactly that "
                "name nearby came first (folded text), else null",
            },
            "filters": {
                "type": "array",
                "description": "Filters read in the words (ouvert dimanche, livraison, à emporter…), in the "
                "order typed; they are among the answer's filters",
                "items": {
                    "type": "object",
                    "properties": {
                        "words": _STRING,
                        "filter": {"type": "string", "enum": ["open", "services"]},
                        "value": _STRING,
                        "label": _STRING,
                        "open_at": _DATE_TIME,
                    },
                    "required": ["words", "filter", "value", "label"],
                },
            },
            "not_understood": {
                "type": "array",
                "description": "Words neither category, nor filter, nor name, with the reason (French)",
                "items": {
                    "type": "object",
                    "properties": {"word": _STRING, "reason": _STRING},
                    "required": ["word", "reason"],
                },
            },
            "message": {**_NULLABLE_STRING, "description": "How the words were read, in French, or null"},
        },
        "required": ["text", "kind", "categories", "suggestions", "name_first", "filters", "not_understood", "message"],
    },
    "Filters": {
        "type": "object",
        "properties": {
            "radius_m": {"type": "number", "nullable": True},
            "limit": {"type": "integer"},
            "open_at": {**_DATE_TIME, "nullable": True},
            "services": {"type": "array", "items": {"type": "string", "enum": list(SERVICES)}},
            "territory": _NULLABLE_STRING,
            "include_closed": {"type": "boolean"},
            "status": {"type": "array", "items": {"type": "string", "enum": list(STATUSES)}},
            "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4, "nullable": True},
            "artisan": {"type": "boolean", "nullable": True},
            "verified": {"type": "boolean"},
        },
        "required": ["radius_m", "open_at", "services", "territory", "include_closed", "status", "artisan", "verified"],
    },
    "PlaceCollection": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "where": ref("Where"),
            "what": ref("What"),
            "filters": ref("Filters"),
            "opening_evaluated_at": _DATE_TIME,
            "complete": {"type": "boolean", "description": "false when a time budget ended the search early"},
            "count": {"type": "integer", "minimum": 0},
            "next_after": {
                **_NULLABLE_STRING,
                "description": "the `after` of the next page (same parameters), null when this page is not full",
            },
            "licences": {"type": "array", "items": ref("Licence")},
            "features": {"type": "array", "items": ref("Place")},
        },
        "required": ["type", "where", "what", "filters", "opening_evaluated_at", "complete", "count", "licences",
                     "features"],
    },
    "ClusterCollection": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "tile": {"type": "array", "items": {"type": "integer"}, "minItems": 3, "maxItems": 3,
                     "description": "z, x, y"},
            "kind": {"type": "string", "enum": ["clusters", "points"]},
            "count": {"type": "integer", "minimum": 0, "description": "the places of the tile matching the filters"},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "integer", "description": "the place's id (points only)"},
                        "geometry": ref("Point"),
                        "properties": {
                            "type": "object",
                            "properties": {
                                "count": {"type": "integer", "minimum": 1},
                                "name": _STRING,
                                "category": _STRING,
                                "state": {"type": "string", "enum": ["open", "closed", "unknown"]},
                            },
                            "required": ["count"],
                        },
                    },
                    "required": ["type", "geometry", "properties"],
                },
            },
        },
        "required": ["type", "tile", "kind", "count", "features"],
    },
    "CategoryTree": {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "families": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "slug": _STRING,
                        "label": _STRING,
                        "label_en": _STRING,
                        "categories": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "slug": _STRING, "label": _STRING, "label_en": _STRING,
                                    "synonyms": {"type": "array", "items": _STRING},
                                    "osm_tags": {"type": "array", "items": _STRING},
                                    "has_places": {
                                        "type": "boolean",
                                        "description": "whether a place has it (primary or secondary category)",
                                    },
                                },
                                "required": ["slug", "label"],
                            },
                        },
                    },
                    "required": ["slug", "label", "categories"],
                },
            },
        },
        "required": ["count", "families"],
    },
    "Territory": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": _STRING,
            "properties": {
                "type": "object",
                "properties": {"kind": {"type": "string", "enum": list(TERRITORY_KINDS)}, "code": _STRING,
                               "name": _STRING},
                "required": ["kind", "code", "name"],
            },
            "geometry": {
                "type": "object",
                "properties": {"type": {"type": "string", "enum": ["MultiPolygon", "Polygon"]},
                               "coordinates": {"type": "array"}},
                "required": ["type", "coordinates"],
            },
        },
        "required": ["type", "id", "properties", "geometry"],
    },
    "Geocoding": {
        "type": "object",
        "properties": {
            "query": _STRING,
            "count": {"type": "integer", "minimum": 0},
            "results": {"type": "array", "items": ref("Where")},
            "categories": {"type": "array", "items": _SLUG_LABEL},
        },
        "required": ["query", "count", "results", "categories"],
    },
}


def add_components(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: the answers' schemas, referenced by the operations;
    optional query parameters marked as taking an empty value (the contract reads `radius=` as
    no radius, as HTML forms send their empty fields)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            # Answered by gunicorn's hook before any view (geofinder/core/gunicorn_hooks.py).
            operation["responses"].setdefault("414", {
                "description": "Request line too long", "content": {"application/json": {"schema": ref("Error")}}})
            operation["responses"].setdefault("431", {
                "description": "Too many or too large header fields",
                "content": {"application/json": {"schema": ref("Error")}}})
            # One client asking faster than GEOFINDER_API_RATE (geofinder/api/throttles.py).
            operation["responses"].setdefault("429", {
                "description": "Too many requests from this client: wait the seconds Retry-After says",
                "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}},
                "content": {"application/json": {"schema": ref("Message")}}})
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result
