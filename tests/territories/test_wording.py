"""How pages name a territory in a sentence, from the article INSEE's COG gives its name."""

import pytest

from geofinder.territories.wording import territory_in


@pytest.mark.parametrize(
    ("kind", "code", "name", "article", "expected"),
    [
        ("department", "31", "Haute-Garonne", 3, "en Haute-Garonne"),
        ("department", "69", "Rhône", 2, "dans le Rhône"),
        ("department", "40", "Landes", 4, "dans les Landes"),
        ("department", "01", "Ain", 5, "dans l’Ain"),
        ("department", "35", "Ille-et-Vilaine", 1, "en Ille-et-Vilaine"),
        ("department", "77", "Seine-et-Marne", 0, "en Seine-et-Marne"),
        ("department", "75", "Paris", 0, "à Paris"),
        ("department", "974", "La Réunion", 0, "à La Réunion"),
        ("region", "76", "Occitanie", 1, "en Occitanie"),
        ("region", "44", "Grand Est", 2, "dans le Grand Est"),
        ("region", "32", "Hauts-de-France", 4, "dans les Hauts-de-France"),
        ("region", "53", "Bretagne", 0, "en Bretagne"),
        ("region", "06", "Mayotte", 0, "à Mayotte"),
        ("commune", "31254", "Labège", None, "à Labège"),
        ("commune", "76351", "Le Havre", None, "au Havre"),
        ("commune", "91692", "Les Ulis", None, "aux Ulis"),
    ],
)
def test_french_prepositions_and_articles(kind, code, name, article, expected):
    assert territory_in(kind=kind, code=code, name=name, article=article) == expected


def test_english_says_in():
    assert territory_in(kind="department", code="69", name="Rhône", article=2, language="en") == "in Rhône"
