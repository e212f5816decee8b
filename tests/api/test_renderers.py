"""The API's orjson renderers."""

from datetime import date

from geofinder.api.renderers import GeoJSONRenderer, JSONRenderer


def test_keys_that_are_not_strings_are_written_as_strings():
    assert JSONRenderer().render({1: "a", date(2026, 12, 25): True}) == b'{"1":"a","2026-12-25":true}'


def test_plain_data_and_nothing():
    assert GeoJSONRenderer().render({"type": "FeatureCollection", "features": []}) == (
        b'{"type":"FeatureCollection","features":[]}'
    )
    assert JSONRenderer().render(None) == b""
