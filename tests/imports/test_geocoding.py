import pytest

from geofinder.imports.geocoding import Geocoder, LocalGazetteer, department_code_of_postcode
from geofinder.places.models import Place

pytestmark = pytest.mark.django_db


def test_a_postcode_and_city_give_the_postcode_point():
    found = LocalGazetteer().locate(postcode="31670", city="Labège")
    assert found is not None and found.precision == Place.LocationPrecision.POSTCODE
    assert found.label == "31670 LABEGE"
    assert abs(found.lon - 1.5206) < 0.001 and abs(found.lat - 43.5391) < 0.001


def test_a_cedex_postcode_falls_back_to_the_commune_name_in_its_departement():
    found = LocalGazetteer().locate(postcode="13751", city="Les Pennes-Mirabeau")
    assert found is not None and found.precision == Place.LocationPrecision.COMMUNE
    assert "13071" in found.label


def test_paris_arrondissement_names_resolve():
    found = LocalGazetteer().locate(postcode="75732", city="Paris 15e  Arrondissement")
    assert found is not None and "75056" in found.label


def test_an_unknown_locality_is_rejected_with_the_reason_when_the_network_is_off():
    found, reason = Geocoder(network=False).locate(street="", postcode="99999", city="Non Renseigné")
    assert found is None
    assert "locality unknown to the local gazetteer" in reason and "network geocoding disabled" in reason


@pytest.mark.parametrize("postcode, department", [("31670", "31"), ("20000", "2A"), ("20200", "2B"), ("97400", "974")])
def test_department_of_postcode(postcode, department):
    assert department_code_of_postcode(postcode) == department
