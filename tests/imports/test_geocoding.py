"""The importers' geocoding chain (the gazetteer's own reading of a row's locality:
tests/territories/test_locality.py; the network geocoder: tests/territories/test_geocoder.py)."""

import pytest

from geofinder.imports.geocoding import Geocoder
from geofinder.places.models import Place

pytestmark = pytest.mark.django_db


def test_a_known_locality_is_located_by_the_gazetteer_without_the_network():
    found, reason = Geocoder(network=False).locate(street="", postcode="31670", city="Labège")
    assert found is not None and reason == ""
    assert found.precision == Place.LocationPrecision.POSTCODE and found.label == "31670 LABEGE"


def test_an_unknown_locality_is_rejected_with_the_reason_when_the_network_is_off():
    found, reason = Geocoder(network=False).locate(street="", postcode="99999", city="Non Renseigné")
    assert found is None
    assert "locality unknown to the local gazetteer" in reason and "network geocoding disabled" in reason
