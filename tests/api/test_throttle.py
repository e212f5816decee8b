"""One client cannot take the API from the others: requests per client address are limited
(GEOFINDER_API_RATE), answered 429 with Retry-After beyond, and counted per address, the one a
trusted reverse proxy saw when there is one (GEOFINDER_TRUSTED_PROXIES)."""

import pytest
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db

CATEGORIES = "/api/v1/categories/"


def test_a_client_past_its_rate_gets_429_with_retry_after(client, settings):
    settings.GEOFINDER_API_RATE = "3/m"
    statuses = [client.get(CATEGORIES).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(CATEGORIES)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "detail" in refused.json()


def test_each_address_has_its_own_rate(client, settings):
    settings.GEOFINDER_API_RATE = "2/m"
    assert [client.get(CATEGORIES, REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get(CATEGORIES, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(client, settings):
    settings.GEOFINDER_API_RATE = "2/m"
    # No trusted proxy: the header is the client's to choose, it is ignored.
    spoofed = [client.get(CATEGORIES, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert spoofed == [200, 200, 429]
    cache.clear()
    rest = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    with override_settings(REST_FRAMEWORK=rest):
        # Behind one proxy: the address it appended (the last one) is the client's.
        first = [client.get(CATEGORIES, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7").status_code for _ in range(3)]
        assert first == [200, 200, 429]
        assert client.get(CATEGORIES, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.8").status_code == 200


def test_off_means_no_limit(client, settings):
    settings.GEOFINDER_API_RATE = "off"
    assert {client.get(CATEGORIES).status_code for _ in range(30)} == {200}
