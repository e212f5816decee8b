"""Shared helpers of the export tests."""

import csv
import io

import orjson

URL = "/api/v1/export/places.{fmt}"
SEARCH_URL = "/api/v1/places/"


def export(client, fmt: str, params: dict):
    """(response, body bytes) of an export through the API."""
    response = client.get(URL.format(fmt=fmt), params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def geojson_export(client, params: dict) -> dict:
    response, body = export(client, "geojson", params)
    assert response.status_code == 200, body[:500]
    return orjson.loads(body)


def csv_export(client, params: dict) -> list[dict]:
    response, body = export(client, "csv", params)
    assert response.status_code == 200, body[:500]
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
