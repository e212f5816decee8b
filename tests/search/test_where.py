"""The where gazetteer, against the real 2018 communes and La Poste postcodes of the session DB."""

import pytest
from django.db.models import Count

from geofinder.search import where as where_module
from geofinder.search.where import (
    APPROXIMATE,
    Where,
    WhereAmbiguous,
    WhereError,
    WhereNotFound,
    at_commune,
    located,
    resolve_where,
    where_candidates,
    where_from_point,
)
from geofinder.territories.models import PostalCode

pytestmark = pytest.mark.django_db

# La Poste's point of Labège (31254), postcode 31670: `31254;LABEGE;31670;;LABEGE;43.539137717;1.5206207109`.
LABEGE = (1.5206207109, 43.539137717)


def codes(wheres) -> list[str | None]:
    return [where.commune_code for where in wheres]


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if the network geocoder is as much as built."""

    class Forbidden:
        def __init__(self, *args, **kwargs):
            raise AssertionError("the network geocoder must not be used here")

    monkeypatch.setattr(where_module, "NetworkGeocoder", Forbidden)


# --- Communes by name ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Labège", "labege", "LABEGE", "  Labège  ", "labège"])
def test_commune_name_ignores_accents_and_case(text):
    found = resolve_where(text)
    assert found == Where(
        label="Labège (31)", lon=LABEGE[0], lat=LABEGE[1], kind="commune", commune_code="31254", department_code="31"
    )


@pytest.mark.parametrize(
    "text", ["Saint-Orens-de-Gameville", "st orens de gameville", "ST-ORENS-DE-GAMEVILLE", "St Orens de Gameville"]
)
def test_commune_name_ignores_hyphens_and_expands_saint(text):
    found = resolve_where(text)
    assert (found.commune_code, found.label, found.kind) == ("31506", "Saint-Orens-de-Gameville (31)", "commune")


def test_leading_article_is_optional():
    assert resolve_where("Vieille Toulouse").commune_code == "31575"
    assert resolve_where("Le Pin 03").commune_code == "03208"  # the commune is named "Pin" in COG 2018


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Toulousse", "31555"),  # one letter too many
        # One letter off Labège (31); Labéjan (32) shares more trigrams but is two letters away.
        ("Labeje", "31254"),
        ("Castanet-Tolosn", "31113"),
    ],
)
def test_typo_resolves_to_the_closest_name(text, code):
    found = resolve_where(text)
    assert (found.commune_code, found.kind) == (code, "commune")


def test_beginning_of_a_single_name_resolves():
    assert resolve_where("Blagna").commune_code == "31069"  # only Blagnac starts so


def test_exact_name_wins_over_longer_names():
    # Saint-Orens (32) exists, so "saint orens" is not Saint-Orens-de-Gameville nor -Pouy-Petit.
    assert resolve_where("saint orens").commune_code == "32399"


def test_beginning_shared_by_several_names_is_ambiguous():
    with pytest.raises(WhereAmbiguous) as raised:
        resolve_where("Labeg")
    assert set(codes(raised.value.candidates)) == {"31254", "07116"}  # Labège, Labégude
    assert "'Labeg'" in raised.value.message


def test_too_many_typos_is_not_found_with_suggestions():
    with pytest.raises(WhereNotFound) as raised:
        resolve_where("Toulouuuuse")
    assert raised.value.message == "no commune matches 'Toulouuuuse'"
    assert raised.value.candidates[0].commune_code == "31555"


def test_unknown_name_is_not_found_naming_it():
    with pytest.raises(WhereNotFound) as raised:
        resolve_where("Zzyzx")
    assert raised.value.message == "no commune matches 'Zzyzx'"


@pytest.mark.parametrize("text", ["", "   ", ",,", " - "])
def test_empty_where_is_not_found(text):
    with pytest.raises(WhereNotFound) as raised:
        resolve_where(text)
    assert raised.value.message == "where is empty"
    assert raised.value.candidates == []


def test_a_number_that_is_no_postcode_says_so():
    with pytest.raises(WhereNotFound, match="postcodes have 5 digits"):
        resolve_where("31")


# --- Homonyms and départements --------------------------------------------------------------


def test_homonyms_are_ambiguous_and_listed():
    with pytest.raises(WhereAmbiguous) as raised:
        resolve_where("Saint-Martin")
    assert codes(raised.value.candidates) == ["32389", "54480", "65392", "67426"]
    assert [c.label for c in raised.value.candidates][:2] == ["Saint-Martin (32)", "Saint-Martin (54)"]
    assert raised.value.message == (
        "4 communes match 'Saint-Martin': add a département or a postcode, e.g. 'Saint-Martin 32'"
    )


def test_many_homonyms_list_ten_and_say_there_are_more():
    with pytest.raises(WhereAmbiguous) as raised:
        resolve_where("Sainte-Colombe")  # 12 communes
    assert len(raised.value.candidates) == 10
    assert raised.value.message.startswith("more than 10 communes match 'Sainte-Colombe'")
    assert {c.label for c in raised.value.candidates} >= {"Sainte-Colombe (05)", "Sainte-Colombe (17)"}


@pytest.mark.parametrize(
    ("text", "code", "department"),
    [
        ("Saint-Martin 32", "32389", "32"),
        ("Saint-Martin (65)", "65392", "65"),
        ("saint martin, 67", "67426", "67"),
        ("St-Martin 54", "54480", "54"),
        ("Ajaccio 2A", "2A004", "2A"),
        ("Bastia (2b)", "2B033", "2B"),
        ("Pointe-à-Pitre 971", "97120", "971"),
        ("Labège (31)", "31254", "31"),  # a commune's label resolves back to it
    ],
)
def test_department_code_restricts_homonyms(text, code, department):
    found = resolve_where(text)
    assert (found.commune_code, found.kind, found.department_code) == (code, "commune", department)


def test_name_absent_from_the_department_is_not_found_with_the_others():
    with pytest.raises(WhereNotFound) as raised:
        resolve_where("Saint-Martin 31")
    assert raised.value.message == "no commune named 'Saint-Martin' in département 31"
    assert codes(raised.value.candidates)[:4] == ["32389", "54480", "65392", "67426"]
    with pytest.raises(WhereNotFound, match="'Ajaccio' in département 2B"):
        resolve_where("Ajaccio 2B")


# --- Postcodes ------------------------------------------------------------------------------


def test_postcode_of_one_commune():
    found = resolve_where("31670")
    assert found == Where(
        label="31670 Labège", lon=LABEGE[0], lat=LABEGE[1], kind="postcode", commune_code="31254", department_code="31"
    )


def test_postcode_shared_by_several_communes_is_centred_between_them():
    rows = PostalCode.objects.filter(code="31320")
    assert rows.aggregate(n=Count("commune", distinct=True))["n"] == 9  # the data this test relies on
    # Among Toulouse's neighbours, 31320 is one of the postcodes serving several communes.
    shared = PostalCode.objects.filter(code__startswith="313").values("code").annotate(
        n=Count("commune", distinct=True)
    ).filter(n__gt=1)
    assert "31320" in {row["code"] for row in shared}

    found = resolve_where("31320")
    assert found.kind == "postcode"
    assert found.label == "31320 (Aureville, Auzeville-Tolosane, Castanet-Tolosan et 6 autres communes)"
    assert (found.commune_code, found.department_code) == (None, "31")
    points = [row.point for row in rows]  # one row per commune, none with a hamlet
    assert found.lon == pytest.approx(sum(p.x for p in points) / 9)
    assert found.lat == pytest.approx(sum(p.y for p in points) / 9)
    # The label given back resolves to the same place.
    assert resolve_where(found.label) == found


def test_postcode_of_two_or_three_communes_lists_them_all():
    assert resolve_where("31650").label == "31650 (Auzielle, Lauzerville, Saint-Orens-de-Gameville)"
    assert resolve_where("31660").label == "31660 (Bessières, Buzet-sur-Tarn)"


@pytest.mark.parametrize(
    "text", ["Labège 31670", "31670 Labège", "31670 LABEGE", "Labège, 31670", "31670 Labège, France"]
)
def test_name_and_postcode(text):
    found = resolve_where(text)
    assert (found.commune_code, found.kind, found.label) == ("31254", "postcode", "31670 Labège")
    assert (found.lon, found.lat) == LABEGE


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("Castelnau 31620", "31118", "31620 Castelnau-d'Estrétefonds"),  # no commune is named "Castelnau"
        ("Castanet 31320", "31113", "31320 Castanet-Tolosan"),
        ("31320 Vieille Toulouse", "31575", "31320 Vieille-Toulouse"),
        ("Pechabou 31320", "31409", "31320 Péchabou"),
        ("Pechabu 31320", "31409", "31320 Péchabou"),  # a typo within the postcode's communes
    ],
)
def test_name_within_a_shared_postcode(text, code, label):
    found = resolve_where(text)
    assert (found.commune_code, found.kind, found.label) == (code, "postcode", label)


def test_exact_name_wins_within_a_postcode():
    # 02160 serves both Craonne and Craonnelle.
    assert resolve_where("Craonne 02160").commune_code == "02234"
    with pytest.raises(WhereAmbiguous) as raised:
        resolve_where("Craon 02160")
    assert codes(raised.value.candidates) == ["02234", "02235"]


def test_commune_point_is_its_row_without_hamlet():
    # Le Hom (14689, "Hom" in COG 2018): the row without hamlet is at (-0.5253819, 48.9869319), its five hamlets'
    # rows at (-0.485109067102, 48.9864514562).
    found = resolve_where("Le Hom")
    assert (found.commune_code, found.lon, found.lat) == ("14689", -0.5253819, 48.9869319)
    by_postcode = resolve_where("Le Hom 14220")
    assert (by_postcode.label, by_postcode.lon, by_postcode.lat) == ("14220 Hom", -0.5253819, 48.9869319)


def test_hamlet_within_its_postcode_is_its_commune():
    assert resolve_where("Hamars 14220").commune_code == "14689"


def test_name_and_postcode_that_disagree_is_not_found():
    with pytest.raises(WhereNotFound) as raised:
        resolve_where("Toulouse 31670")
    assert raised.value.message == "no commune named 'Toulouse' has the postcode 31670, which serves Labège"
    assert [c.label for c in raised.value.candidates] == ["31670 Labège"]


def test_unknown_postcode_is_not_found_naming_it():
    with pytest.raises(WhereNotFound) as raised:
        resolve_where("99999")
    assert raised.value.message == "unknown postcode 99999"


# --- Paris, Lyon, Marseille -----------------------------------------------------------------


def test_paris_is_the_commune():
    found = resolve_where("Paris")
    assert (found.commune_code, found.kind, found.label) == ("75056", "commune", "Paris (75)")
    # La Poste has no row for 75056 itself (only arrondissements): a point inside Paris.
    assert 2.22 < found.lon < 2.47 and 48.81 < found.lat < 48.91


@pytest.mark.parametrize("text", ["Paris 15e", "paris 15eme arrondissement", "PARIS 15", "75015"])
def test_paris_arrondissement_is_its_postcode(text):
    found = resolve_where(text)
    assert (found.label, found.kind, found.commune_code, found.department_code) == (
        "75015 Paris 15e", "postcode", "75056", "75"
    )
    assert (found.lon, found.lat) == (2.29355937244, 48.8401554186)


@pytest.mark.parametrize(
    ("text", "label"),
    [("Lyon 1er", "69001 Lyon 1er"), ("Marseille 13e", "13013 Marseille 13e"), ("Paris 16", "75016 Paris 16e")],
)
def test_lyon_and_marseille_arrondissements(text, label):
    assert resolve_where(text).label == label


def test_arrondissement_out_of_range():
    with pytest.raises(WhereNotFound, match="Lyon has arrondissements 1 to 9, not 10"):
        resolve_where("Lyon 10e")


# --- Addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["12 rue de la Paix, 31670 Labège", "12 rue de la Paix 31670 Labège"])
def test_address_without_network_is_its_postcode_approximately(text, no_network):
    found = resolve_where(text, network=False)
    assert (found.kind, found.commune_code) == ("postcode", "31254")
    assert found.label == "31670 Labège (adresse approchée à la commune)"
    assert (found.lon, found.lat) == LABEGE


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("rue de la Paix Labège", "31254", "Labège (31), adresse approchée à la commune"),
        (
            "2 avenue de la Gare, St Orens de Gameville",
            "31506",
            "Saint-Orens-de-Gameville (31), adresse approchée à la commune",
        ),
        ("3 chemin du Lac Vieille-Toulouse", "31575", "Vieille-Toulouse (31), adresse approchée à la commune"),
    ],
)
def test_address_without_postcode_is_its_commune_approximately(text, code, label, no_network):
    found = resolve_where(text, network=False)
    assert (found.kind, found.commune_code, found.label) == ("commune", code, label)


@pytest.mark.parametrize(("text", "code"), [("Rue", "80688"), ("Cours-les-Barres", "18075"), ("Placé", "53179")])
def test_communes_named_like_streets_are_communes(text, code, no_network):
    found = resolve_where(text, network=True)
    assert (found.kind, found.commune_code) == ("commune", code)
    assert not found.label.endswith(APPROXIMATE)


def test_address_in_a_commune_named_like_a_street(no_network):
    with pytest.raises(WhereAmbiguous) as raised:
        resolve_where("Chemin")
    assert codes(raised.value.candidates) == ["39138", "51143"]
    found = resolve_where("12 rue Haute Chemin 51", network=False)
    assert (found.commune_code, found.label) == ("51143", f"Chemin (51), {APPROXIMATE}")


def test_address_without_known_commune_is_not_found(no_network):
    with pytest.raises(WhereNotFound, match="no commune found in the address '12 rue Inconnue'"):
        resolve_where("12 rue Inconnue", network=False)


def test_network_is_not_used_for_communes_and_postcodes(settings, no_network):
    settings.GEOFINDER_NETWORK = True
    assert resolve_where("Labège").kind == "commune"
    assert resolve_where("31670", network=True).kind == "postcode"


def test_network_setting_off_keeps_addresses_local(settings, no_network):
    settings.GEOFINDER_NETWORK = False
    assert resolve_where("12 rue de la Paix, 31670 Labège").label.endswith("(adresse approchée à la commune)")


# --- Points ---------------------------------------------------------------------------------


def test_point_in_a_commune():
    found = where_from_point(*LABEGE)
    assert found == Where(
        label="Position 1.52062, 43.53914", lon=LABEGE[0], lat=LABEGE[1], kind="point", commune_code="31254",
        department_code="31",
    )
    assert where_from_point(1.52, 43.55).label == "Position 1.52000, 43.55000"


def test_point_left_to_locate_is_located_later():
    pending = where_from_point(*LABEGE, locate=False)
    assert (pending.located, pending.commune_code) == (False, None)
    with pytest.raises(ValueError, match="not looked up yet"):
        pending.as_dict()
    assert located(pending) == where_from_point(*LABEGE)
    assert located(pending).located
    assert located(where_from_point(3.5, 43.0, locate=False)) == where_from_point(3.5, 43.0)
    assert at_commune(pending, ("31254", "31")) == where_from_point(*LABEGE)
    at_sea = {"label": pending.label, "lon": LABEGE[0], "lat": LABEGE[1], "kind": "point"}
    assert at_commune(pending, None).as_dict() == at_sea


def test_point_at_sea_has_no_commune():
    found = where_from_point(3.5, 43.0)  # Golfe du Lion, 40 km off the coast
    assert (found.kind, found.commune_code, found.department_code) == ("point", None, None)


def test_as_dict():
    assert resolve_where("Labège").as_dict() == {
        "label": "Labège (31)", "lon": LABEGE[0], "lat": LABEGE[1], "kind": "commune", "commune_code": "31254"
    }
    assert where_from_point(3.5, 43.0).as_dict() == {
        "label": "Position 3.50000, 43.00000", "lon": 3.5, "lat": 43.0, "kind": "point"
    }
    assert "commune_code" not in resolve_where("31320").as_dict()


def test_errors_are_value_errors_with_message_and_candidates():
    with pytest.raises(ValueError) as raised:
        resolve_where("99999")
    assert isinstance(raised.value, WhereError)
    assert str(raised.value) == raised.value.message == "unknown postcode 99999"


# --- Candidates for autocomplete ------------------------------------------------------------


def test_candidates_of_a_beginning():
    found = where_candidates("Lab")
    assert len(found) == 10
    assert all(w.kind == "commune" and w.label.startswith("Lab") for w in found)
    assert "31254" in codes(found)
    # Shortest completions first: the likeliest names for what is typed so far.
    assert [len(w.label.split(" (")[0]) for w in found] == sorted(len(w.label.split(" (")[0]) for w in found)


def test_candidates_put_the_exact_name_first():
    assert codes(where_candidates("saint orens")) == ["32399", "32400", "31506"]
    assert codes(where_candidates("Toulouse", limit=2)) == ["31555", "39533"]  # Toulouse-le-Château


def test_candidates_restricted_to_a_department():
    assert codes(where_candidates("Saint-Martin 32")) == ["32389", "32392", "32391", "32390"]


def test_candidates_of_a_typo():
    assert codes(where_candidates("Toulousse")) == ["31555"]


def test_candidates_of_a_postcode_beginning():
    found = where_candidates("316", limit=5)
    assert [w.label[:5] for w in found] == ["31600", "31620", "31650", "31660", "31670"]
    assert found[-1].label == "31670 Labège"
    assert all(w.kind == "postcode" for w in found)


def test_candidates_of_a_shared_postcode_list_its_communes():
    found = where_candidates("31320")
    assert found[0] == resolve_where("31320")
    assert [w.label for w in found[1:4]] == ["31320 Aureville", "31320 Auzeville-Tolosane", "31320 Castanet-Tolosan"]
    assert codes(found[1:4]) == ["31025", "31035", "31113"]


def test_candidates_of_name_and_postcode():
    assert [w.label for w in where_candidates("Castelnau 31620")] == ["31620 Castelnau-d'Estrétefonds"]


def test_candidates_resolve_back_to_themselves():
    for candidate in where_candidates("Lab", limit=5) + where_candidates("31320", limit=4):
        assert resolve_where(candidate.label) == candidate


@pytest.mark.parametrize("text", ["", "  ", ",,", "Zzyzx", "99999", "Saint-Martin 31", "Lyon 10e", "12 rue Inconnue"])
def test_candidates_of_nothing_known_are_empty(text):
    assert where_candidates(text) == []


# --- Cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "queries"), [("Labège", 1), ("31670", 1), ("Labège 31670", 1), ("Toulousse", 2)])
def test_resolving_takes_a_handful_of_queries(text, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        resolve_where(text)


def test_a_text_longer_than_any_commune_name_skips_the_typo_search(django_assert_num_queries):
    # 60 letters: no commune has such a key, so the trigram search (the costly one) is not run.
    text = "Saint-Quelquechose-sur-Une-Riviere-Tres-Longue-Et-Plus-Encore"
    with django_assert_num_queries(1), pytest.raises(WhereNotFound) as caught:
        resolve_where(text)
    assert caught.value.candidates == []


def test_an_address_is_searched_for_communes_in_its_last_words_only(django_assert_num_queries):
    # A long street text: only its last 8 words may be a commune's name.
    text = "rue " + " ".join(["du moulin"] * 30) + " Labège"
    with django_assert_num_queries(2):  # is it a commune? then the communes of its endings
        where = resolve_where(text, network=False)
    assert where.commune_code == "31254"
