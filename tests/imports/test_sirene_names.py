import pytest

from geofinder.imports.sirene.names import readable_case


@pytest.mark.parametrize(
    "register, readable",
    [
        ("PLOMBERIE EXEMPLE FICTIVE", "Plomberie Exemple Fictive"),
        ("BOULANGERIE DU CHATEAU D'EAU", "Boulangerie du Chateau d'Eau"),
        ("L'ATELIER DE LA COUPE", "L'Atelier de la Coupe"),
        ("SARL BTP MARTIN", "SARL BTP Martin"),  # legal forms and acronyms stay in capitals
        ("GARAGE SNCF DES 2 PONTS", "Garage SNCF des 2 Ponts"),  # no vowel: an acronym
        ("S.A.R.L. EXEMPLE", "S.A.R.L. Exemple"),  # dotted initials
        ("SAINT-ORENS AUTO", "Saint-Orens Auto"),
        ("  A  LA  BONNE PATE ", "A la Bonne Pate"),  # spaces tidied; the first word keeps its capital
    ],
)
def test_register_capitals_become_the_case_of_a_sign(register, readable):
    assert readable_case(register) == readable


def test_a_name_in_mixed_case_is_kept_as_its_owner_wrote_it():
    assert readable_case("Chez Marcel et fils") == "Chez Marcel et fils"


def test_a_street_name_after_its_type_starts_in_lower_case():
    assert readable_case("DE LA PAIX", initial=False) == "de la Paix"
