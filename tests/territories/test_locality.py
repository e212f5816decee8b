"""The gazetteer's reading of imported rows' postcode and city (moved from
tests/imports/test_geocoding.py with LocalGazetteer, now locality_locate)."""

import pytest

from geofinder.places.models import Place
from geofinder.territories.gazetteer import department_code_of_postcode, locality_locate

pytestmark = pytest.mark.django_db


def test_a_postcode_and_city_give_the_postcode_point():
    found = locality_locate(postcode="31670", city="Labège")
    assert found is not None and found.precision == Place.LocationPrecision.POSTCODE
    assert found.label == "31670 LABEGE"
    assert abs(found.lon - 1.5206) < 0.001 and abs(found.lat - 43.5391) < 0.001


def test_a_cedex_postcode_falls_back_to_the_commune_name_in_its_departement():
    found = locality_locate(postcode="13751", city="Les Pennes-Mirabeau")
    assert found is not None and found.precision == Place.LocationPrecision.COMMUNE
    assert "13071" in found.label


def test_paris_arrondissement_names_resolve():
    found = locality_locate(postcode="75732", city="Paris 15e  Arrondissement")
    assert found is not None and "75056" in found.label


def test_an_unknown_locality_is_not_located():
    assert locality_locate(postcode="99999", city="Non Renseigné") is None


@pytest.mark.parametrize("postcode, department", [("31670", "31"), ("20000", "2A"), ("20200", "2B"), ("97400", "974")])
def test_department_of_postcode(postcode, department):
    assert department_code_of_postcode(postcode) == department


def test_a_city_with_a_typo_is_read_within_its_postcode():
    # The typo budget of the residents' where texts ("Pechabu 31320" is Péchabou there too).
    found = locality_locate(postcode="31320", city="Pechabu")
    assert found is not None and found.precision == Place.LocationPrecision.POSTCODE
    assert found.label == "31320 PECHABOU"


def test_arrondissements_are_read_as_in_where_texts():
    # Roman numerals and no "arrondissement", as the where texts accept them.
    for city in ("Paris XVe", "Paris 15", "PARIS 15EME"):
        found = locality_locate(postcode="75732", city=city)
        assert found is not None and found.precision == Place.LocationPrecision.COMMUNE and "75056" in found.label
