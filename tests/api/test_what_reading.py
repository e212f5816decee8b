"""GET /api/v1/places/ reads `what` as a resident means it: a shop's name before the category
words inside it, words of intent as filters, and every word it did not understand said."""

import itertools

import pytest
from django.test import Client

from geofinder.imports.report import ImportReport
from geofinder.places.models import Place
from geofinder.places.records import PlaceRecord
from geofinder.places.services import places_upsert
from geofinder.territories.models import Commune

pytestmark = pytest.mark.django_db

URL = "/api/v1/places/"
LON, LAT = 1.5206, 43.5391  # Labège
LABEGE = f"{LON},{LAT}"
_ids = itertools.count(1)


def make_place(name: str, category: str, *, north_m: float, **fields) -> Place:
    """A place `north_m` metres north of LABEGE (0.001° of latitude ≈ 111 m), through the one
    write path."""
    source_id = f"what-reading-{next(_ids)}"
    record = PlaceRecord(
        source_id=source_id, name=name, category=category, lon=LON, lat=LAT + north_m / 111_000,
        commune_id=Commune.objects.get(code="31254").pk, **fields,
    )
    places_upsert(source="osm", records=[record], report=ImportReport(name="what-reading"))
    return Place.objects.get(source="osm", source_id=source_id)


def search(**params) -> dict:
    response = Client().get(URL, {"near": LABEGE, **params})
    assert response.status_code == 200, response.content
    return response.json()


def names(body: dict) -> list[str]:
    return [feature["properties"]["name"] for feature in body["features"]]


# --- A shop's name beats the category words inside it ---------------------------------------


def test_the_coffee_shop_comes_first_and_is_not_tea():
    make_place("Brûlerie du Thé", "torrefacteur", north_m=100)
    make_place("Café de la Gare", "cafe-bar", north_m=200)
    shop = make_place("The Coffee Shop", "restaurant", north_m=1500)
    body = search(what="The Coffee Shop", limit=5)
    assert body["features"][0]["id"] == shop.id
    assert names(body)[:2] == ["The Coffee Shop", "Café de la Gare"]
    assert "Brûlerie du Thé" not in names(body)  # "the" is no tea here
    assert [c["slug"] for c in body["what"]["categories"]] == ["cafe-bar"]
    assert body["what"]["name_first"] == "the coffee shop"
    assert body["what"]["message"] == "« The Coffee Shop » : les lieux de ce nom d’abord, puis Café-bar."
    assert body["count"] == len(set(f["id"] for f in body["features"]))  # shown once


def test_a_name_holding_a_synonym_finds_that_shop_first():
    jeweller = make_place("Bijouterie Martin", "bijouterie", north_m=300)
    alliance = make_place("L'Alliance", "restaurant", north_m=2000)
    body = search(what="L'Alliance", limit=5)
    assert [f["id"] for f in body["features"]][:2] == [alliance.id, jeweller.id]
    assert body["what"]["name_first"] == "l alliance"


def test_simply_market_near_one_is_that_shop_first():
    """Real data: Alim'confiance lists a Simply Market in Canteleu (Seine-Maritime)."""
    shop = Place.objects.filter(name__iexact="Simply Market", commune__department__code="76").first()
    assert shop is not None
    body = search(near=f"{shop.location.x},{shop.location.y}", what="Simply Market", limit=5)
    assert body["features"][0]["id"] == shop.id
    assert body["what"]["name_first"] == "simply market"
    assert body["what"]["not_understood"] == []  # "simply" is understood: a name


def test_simply_market_far_from_any_is_the_category_with_the_word_given_back():
    """Labège lies hundreds of kilometres from every Simply Market: the marketplaces, and the
    word not understood said, never silently dropped."""
    market = make_place("Marché de Labège", "marche", north_m=400)
    body = search(what="Simply Market", limit=5)
    assert [c["slug"] for c in body["what"]["categories"]] == ["marche"]
    assert body["features"][0]["id"] == market.id
    assert "SIMPLY MARKET" not in [name.upper() for name in names(body)]
    assert body["what"]["name_first"] is None
    assert body["what"]["not_understood"] == [
        {"word": "simply", "reason": "ni une catégorie, ni un critère connu : mot ignoré"}
    ]
    assert "« simply »" in body["what"]["message"]


def test_bar_finds_bars_and_pubs():
    cafe = make_place("Le Zinc", "cafe-bar", north_m=100)
    pub = make_place("The Dubliner", "pub", north_m=200)
    body = search(what="bar", limit=5)
    assert [f["id"] for f in body["features"]][:2] == [cafe.id, pub.id]
    assert [c["slug"] for c in body["what"]["categories"]] == ["cafe-bar", "pub"]
    assert body["what"]["name_first"] is None


# --- Words of intent become filters, and the answer says so ---------------------------------


def _nearest_bakeries(limit: int) -> list[int]:
    return [f["id"] for f in search(category="boulangerie", limit=limit)["features"]]


@pytest.mark.parametrize("words", ["ouvert", "ouvert maintenant", "ouverte"])
def test_open_words_are_the_open_now_filter(words):
    first, second = _nearest_bakeries(2)
    Place.objects.filter(pk=first).update(opening_hours="off")
    Place.objects.filter(pk=second).update(opening_hours="24/7")
    body = search(what=f"boulangerie {words}", limit=1)
    assert [f["id"] for f in body["features"]] == [second]
    assert body["features"][0]["properties"]["opening"]["state"] == "open"
    assert body["filters"]["open_at"] is not None
    (read,) = body["what"]["filters"]
    assert (read["filter"], read["value"], read["words"]) == ("open", "now", words)
    assert body["what"]["message"] == "Filtres lus dans la recherche : ouvert maintenant."


def test_open_sunday_is_the_open_filter_on_a_sunday():
    # Open all Sunday day long, and never on Sundays: whatever today is, "ouvert dimanche"
    # asks about a Sunday between 11:00 and 19:00.
    first, second = _nearest_bakeries(2)
    Place.objects.filter(pk=first).update(opening_hours="Mo-Sa 07:00-20:00")
    Place.objects.filter(pk=second).update(opening_hours="Su 08:00-20:00")
    body = search(what="boulangerie ouvert dimanche", limit=1)
    assert [f["id"] for f in body["features"]] == [second]
    (read,) = body["what"]["filters"]
    assert (read["filter"], read["value"]) == ("open", "dimanche")
    assert read["open_at"] == body["filters"]["open_at"] == body["opening_evaluated_at"]
    assert body["what"]["message"].startswith("Filtres lus dans la recherche : ouvert dimanche (à ")


@pytest.mark.parametrize(
    ("words", "service"),
    [("livraison", "delivery"), ("à emporter", "takeaway"), ("click and collect", "click_and_collect")],
)
def test_service_words_are_the_services_filter(words, service):
    offering = make_place("Boulangerie qui rend service", "boulangerie", north_m=5000, **{service: True})
    body = search(what=f"boulangerie {words}", limit=3)
    assert body["features"][0]["id"] == offering.id
    assert all(f["properties"]["services"][service] for f in body["features"])
    assert body["filters"]["services"] == [service]
    assert [(f["filter"], f["value"]) for f in body["what"]["filters"]] == [("services", service)]
    assert [c["slug"] for c in body["what"]["categories"]] == ["boulangerie"]
    assert body["what"]["not_understood"] == []


def test_service_words_add_to_the_services_parameter():
    make_place("Boulangerie complète", "boulangerie", north_m=5000, delivery=True, takeaway=True)
    body = search(what="boulangerie livraison", services="takeaway", limit=1)
    assert body["filters"]["services"] == ["takeaway", "delivery"]
    assert body["features"][0]["properties"]["name"] == "Boulangerie complète"


def test_the_open_parameter_wins_over_words_and_says_so():
    body = search(what="boulangerie ouverte", open="false", limit=2)
    assert body["filters"]["open_at"] is None
    assert body["what"]["filters"] == []
    assert body["what"]["not_understood"] == [
        {"word": "ouverte", "reason": "le paramètre « open » de la requête l’emporte sur ces mots"}
    ]


def test_words_not_understood_are_given_back():
    body = search(what="boulangerie xyzzy terrasse", limit=2)
    assert [c["slug"] for c in body["what"]["categories"]] == ["boulangerie"]
    assert body["count"] == 2
    assert body["what"]["not_understood"] == [
        {"word": "xyzzy", "reason": "ni une catégorie, ni un critère connu : mot ignoré"},
        {"word": "terrasse", "reason": "les fiches ne disent pas si le lieu a une terrasse"},
    ]
