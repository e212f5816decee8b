"""The gazetteer's reading of residents' where texts, against the real communes of today (COG 2026
on the 2018 boundaries) and La Poste postcodes of the session DB (moved from
tests/search/test_where.py with the gazetteer: resolve_where is where_resolve, where_candidates
takes its text by keyword)."""

import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from geofinder.core.text import place_name_key
from geofinder.territories import geocoder as geocoder_module
from geofinder.territories.gazetteer import (
    APPROXIMATE,
    HOMONYM_DOMINANCE,
    Where,
    WhereAmbiguous,
    WhereNotFound,
    where_candidates,
    where_resolve,
)
from geofinder.territories.gazetteer import postcodes as postcodes_module
from geofinder.territories.models import Commune, CurrentCommune, PostalCode

pytestmark = pytest.mark.django_db

# La Poste's point of Labège (31254), postcode 31670: `31254;LABEGE;31670;;LABEGE;43.539137717;1.5206207109`.
LABEGE = (1.5206207109, 43.539137717)
# geo.api.gouv.fr's centre of the commune: `"Labège","31254","31670",…,1.5207,43.5396`.
LABEGE_CENTRE = (1.5207, 43.5396)


def codes(wheres) -> list[str | None]:
    return [where.commune_code for where in wheres]


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if the network geocoder is as much as built."""

    def forbidden():
        raise AssertionError("the network geocoder must not be used here")

    monkeypatch.setattr(geocoder_module, "geopy_geocoder", forbidden)


# --- Communes by name ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Labège", "labege", "LABEGE", "  Labège  ", "labège"])
def test_commune_name_ignores_accents_and_case(text):
    found = where_resolve(text=text)
    assert found == Where(
        label="Labège (31)", lon=LABEGE_CENTRE[0], lat=LABEGE_CENTRE[1], kind="commune", commune_code="31254",
        department_code="31",
    )


@pytest.mark.parametrize(
    "text", ["Saint-Orens-de-Gameville", "st orens de gameville", "ST-ORENS-DE-GAMEVILLE", "St Orens de Gameville"]
)
def test_commune_name_ignores_hyphens_and_expands_saint(text):
    found = where_resolve(text=text)
    assert (found.commune_code, found.label, found.kind) == ("31506", "Saint-Orens-de-Gameville (31)", "commune")


def test_leading_article_is_optional():
    assert where_resolve(text="Vieille Toulouse").commune_code == "31575"
    assert where_resolve(text="Le Pin 03").commune_code == "03208"
    assert where_resolve(text="Pin 03").label == "Le Pin (03)"  # "Pin" in COG 2018, "Le Pin" in COG 2026


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
    found = where_resolve(text=text)
    assert (found.commune_code, found.kind) == (code, "commune")


def test_beginning_of_a_single_name_resolves():
    assert where_resolve(text="Blagna").commune_code == "31069"  # only Blagnac starts so


def test_exact_name_wins_over_longer_names():
    # Saint-Orens (32) exists, so "saint orens" is not Saint-Orens-de-Gameville nor -Pouy-Petit.
    assert where_resolve(text="saint orens").commune_code == "32399"


def test_beginning_shared_by_several_names_is_ambiguous():
    with pytest.raises(WhereAmbiguous) as raised:
        where_resolve(text="Labeg")
    assert set(codes(raised.value.candidates)) == {"31254", "07116"}  # Labège, Labégude
    assert "'Labeg'" in raised.value.message


def test_too_many_typos_is_not_found_with_suggestions():
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text="Toulouuuuse")
    assert raised.value.message == "no commune matches 'Toulouuuuse'"
    assert raised.value.candidates[0].commune_code == "31555"


def test_unknown_name_is_not_found_naming_it():
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text="Zzyzx")
    assert raised.value.message == "no commune matches 'Zzyzx'"


@pytest.mark.parametrize("text", ["xyzville", "Qwertyville", "Zorglubsur-Mer", "Marseilleville"])
def test_a_name_matching_nothing_is_not_found_with_suggestions_not_a_far_commune(text):
    # "xyzville" was two letters off Xonville (54): two typos in eight letters are no longer read
    # as the same name.
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text=text)
    assert raised.value.message == f"no commune matches {text!r}"
    assert raised.value.candidates, "suggestions of similar names come with it"
    assert all(candidate.kind == "commune" for candidate in raised.value.candidates)


def test_two_typos_are_read_in_longer_names():
    assert where_resolve(text="Castanett-Tolosn").commune_code == "31113"  # 15 letters, two typos


@pytest.mark.parametrize("text", ["", "   ", ",,", " - "])
def test_empty_where_is_not_found(text):
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text=text)
    assert raised.value.message == "where is empty"
    assert raised.value.candidates == []


def test_a_number_that_is_no_postcode_says_so():
    with pytest.raises(WhereNotFound, match="postcodes have 5 digits"):
        where_resolve(text="31")


# --- Communes created, renamed or merged since 2018 -------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "parts"),
    [
        # Commune nouvelle of 2019: Évry (91228) and Courcouronnes (91182).
        ("Évry-Courcouronnes", "91228", {"91228", "91182"}),
        ("evry courcouronnes", "91228", {"91228", "91182"}),
        # Saint-Ouen (93070) renamed on 2018-11-08.
        ("Saint-Ouen-sur-Seine", "93070", {"93070"}),
        # 2019: Charny, Chambeugle, Chêne-Arnoult, Dicy, Fontenouilles, Grandchamp, Malicorne,
        # Marchais-Beton, Perreux, Prunoy, Villefranche (Charny Orée de Puisaye).
        ("Charny Orée de Puisaye", "89086", None),
    ],
)
def test_names_of_communes_created_or_renamed_since_2018_resolve(text, code, parts):
    found = where_resolve(text=text)
    assert (found.commune_code, found.kind) == (code, "commune")
    commune = CurrentCommune.objects.get(code=code)
    covered = set(commune.parts.values_list("code", flat=True))
    if parts is not None:
        assert covered == parts
    assert len(covered) >= 1
    # Its polygon is the union of its 2018 communes, and the point lies inside it.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT ST_Equals(c.geom, (SELECT ST_Multi(ST_Union(o.geom)) FROM territories_commune o
                                          WHERE o.code = ANY(%s))),
                      ST_Covers(c.geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326))
               FROM territories_currentcommune c WHERE c.code = %s""",
            [sorted(covered), found.lon, found.lat, code],
        )
        same_area, inside = cursor.fetchone()
    assert same_area and inside


def test_every_commune_created_renamed_or_enlarged_since_2018_resolves_by_name_and_department():
    old_keys = dict(Commune.objects.values_list("code", "search_name"))
    communes = CurrentCommune.objects.annotate(n=Count("parts")).values_list(
        "code", "name", "search_name", "department__code", "n"
    )
    changed = [row for row in communes if old_keys.get(row[0]) != row[2] or row[4] > 1]
    assert len(changed) > 350  # some 320 communes nouvelles since 2018, renamings, restorations
    wrong = []
    for code, name, _key, department, _parts in changed:
        found = where_resolve(text=f"{name} {department}")
        if found.commune_code != code:
            wrong.append((code, name, found.label))
    assert wrong == []


def test_a_former_commune_is_found_at_its_place_within_the_commune_of_today():
    found = where_resolve(text="Courcouronnes")
    assert (found.commune_code, found.label, found.kind) == (
        "91228", "Courcouronnes (Évry-Courcouronnes, 91)", "commune"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) FROM territories_commune WHERE code = '91182'",
            [found.lon, found.lat],
        )
        assert cursor.fetchone()[0]  # inside the 2018 Courcouronnes
    assert _covered_by("91228", found.lon, found.lat)
    # Its label, given back, resolves to it; so does a former name that became a whole commune's.
    assert where_resolve(text=found.label) == found
    assert where_resolve(text="Courcouronnes 91") == found
    # Évry gave its code to Évry-Courcouronnes (66,919 inhabitants): Évry (89) is not meant.
    assert where_resolve(text="Évry").label == "Évry (Évry-Courcouronnes, 91)"
    assert where_resolve(text="Évry 89").commune_code == "89162"


def test_communes_deleguees_merged_before_2018_are_found_in_their_commune():
    # Jallais, commune déléguée of Beaupréau-en-Mauges (2015): no polygon of its own.
    found = where_resolve(text="Jallais")
    assert (found.commune_code, found.label) == ("49023", "Jallais (Beaupréau-en-Mauges, 49)")
    assert where_resolve(text=found.label) == found


def test_every_name_of_the_gazetteer_lies_inside_its_commune():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*), count(*) FILTER (WHERE NOT ST_Covers(c.geom, COALESCE(n.point, c.point)::geometry))
               FROM territories_communename n JOIN territories_currentcommune c ON c.id = n.commune_id"""
        )
        names, outside = cursor.fetchone()
    assert names > 37000 and outside == 0


def test_cayenne_is_in_cayenne():
    # La Poste's point of Cayenne is 20 km away, in another commune; geo.api.gouv.fr's centre
    # (-52.3319, 4.9464) lies 400 m off the simplified coastline: the nearest point inside is used.
    found = where_resolve(text="Cayenne")
    assert (found.commune_code, found.label) == ("97302", "Cayenne (973)")
    assert _covered_by("97302", found.lon, found.lat)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography,"
            " ST_SetSRID(ST_MakePoint(-52.3319, 4.9464), 4326)::geography)",
            [found.lon, found.lat],
        )
        assert cursor.fetchone()[0] < 1000  # metres from the centre of the town


# --- Homonyms and départements --------------------------------------------------------------


def test_homonyms_of_like_size_are_ambiguous_and_listed_most_populous_first():
    # Legal populations: 65392 436, 32389 434, 67426 374, 54480 53.
    with pytest.raises(WhereAmbiguous) as raised:
        where_resolve(text="Saint-Martin")
    assert codes(raised.value.candidates) == ["65392", "32389", "67426", "54480"]
    assert [c.label for c in raised.value.candidates][:2] == ["Saint-Martin (65)", "Saint-Martin (32)"]
    assert raised.value.message == (
        "4 communes match 'Saint-Martin': add a département or a postcode, e.g. 'Saint-Martin 65'"
    )
    # Saint-Denis (974) 155,634 and Saint-Denis (93) 149,077: neither is the obvious one.
    with pytest.raises(WhereAmbiguous) as raised:
        where_resolve(text="Saint-Denis")
    assert codes(raised.value.candidates)[:2] == ["97411", "93066"]


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        ("Valence", "26362", "Valence (26)"),  # 64,458, against 5,289 (82) and 192 (16)
        ("Montreuil", "93048", "Montreuil (93)"),  # 111,934, against a few thousand at most
        # Renamed Saint-Ouen-sur-Seine in 2018, 53,615: the Saint-Ouen of 41 and 80 are small.
        ("Saint-Ouen", "93070", "Saint-Ouen-sur-Seine (93)"),
    ],
)
def test_a_homonym_ten_times_as_populous_as_the_others_is_the_one_meant(text, code, label):
    found = where_resolve(text=text)
    assert (found.commune_code, found.label) == (code, label)
    homonyms = CurrentCommune.objects.filter(names__search_name=place_name_key(text)).distinct()
    populations = sorted((c.population or 0 for c in homonyms), reverse=True)
    assert len(populations) > 1 and populations[0] >= HOMONYM_DOMINANCE * populations[1]


def test_many_homonyms_list_ten_most_populous_first_and_say_there_are_more():
    with pytest.raises(WhereAmbiguous) as raised:
        where_resolve(text="Sainte-Colombe")  # 12 communes
    assert len(raised.value.candidates) == 10
    assert raised.value.message.startswith("more than 10 communes match 'Sainte-Colombe'")
    populations = {c.code: c.population or 0 for c in CurrentCommune.objects.filter(search_name="sainte colombe")}
    assert len(populations) == 12
    listed = [populations[code] for code in codes(raised.value.candidates)]
    assert listed == sorted(populations.values(), reverse=True)[:10]


@pytest.mark.parametrize(
    ("text", "code", "label"),
    [
        # Les Ifs (76) and Ifs (14, 11,000 inhabitants) share the key "ifs": the article
        # written says which.
        ("Les Ifs", "76371", "Les Ifs (76)"),
        ("Ifs", "14341", "Ifs (14)"),
        ("Le Percy", "38301", "Le Percy (38)"),  # not Percy, part of Percy-en-Normandie (50)
        ("Les Arques", "46008", "Les Arques (46)"),  # not Arques (62)
        ("Le Saix", "05158", "Le Saix (05)"),
        ("Saïx", "81273", "Saïx (81)"),
        # No article written: the most populous still wins (Cannet (32) has no published
        # population, Le Cannet (06) 41,938 inhabitants).
        ("Cannet", "06030", "Le Cannet (06)"),
        # Both written alike: population decides (Le Castellet (83) 6,040, (04) some 300).
        ("Le Castellet", "83035", "Le Castellet (83)"),
    ],
)
def test_a_leading_article_written_picks_the_homonym_written_so(text, code, label):
    found = where_resolve(text=text)
    assert (found.commune_code, found.label) == (code, label)
    assert _covered_by(code, found.lon, found.lat)


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
    found = where_resolve(text=text)
    assert (found.commune_code, found.kind, found.department_code) == (code, "commune", department)


def test_name_absent_from_the_department_is_not_found_with_the_others():
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text="Saint-Martin 31")
    assert raised.value.message == "no commune named 'Saint-Martin' in département 31"
    assert codes(raised.value.candidates)[:4] == ["65392", "32389", "67426", "54480"]
    with pytest.raises(WhereNotFound, match="'Ajaccio' in département 2B"):
        where_resolve(text="Ajaccio 2B")


# --- Postcodes ------------------------------------------------------------------------------


def test_postcode_of_one_commune():
    found = where_resolve(text="31670")
    assert found == Where(
        label="31670 Labège", lon=LABEGE[0], lat=LABEGE[1], kind="postcode", commune_code="31254", department_code="31"
    )


def test_postcode_shared_by_several_communes_is_at_its_most_populous_commune():
    rows = PostalCode.objects.filter(code="31320")
    assert rows.aggregate(n=Count("commune", distinct=True))["n"] == 9  # the data this test relies on
    # Among Toulouse's neighbours, 31320 is one of the postcodes serving several communes.
    shared = PostalCode.objects.filter(code__startswith="313").values("code").annotate(
        n=Count("commune", distinct=True)
    ).filter(n__gt=1)
    assert "31320" in {row["code"] for row in shared}

    found = where_resolve(text="31320")
    assert found.kind == "postcode"
    assert found.label == "31320 (Aureville, Auzeville-Tolosane, Castanet-Tolosan et 6 autres communes)"
    assert (found.commune_code, found.department_code) == (None, "31")
    # Castanet-Tolosan (15,317 inhabitants) is the most populous of the nine: the point is its
    # own, inside it (the centroid of the nine points was no commune's).
    castanet = where_resolve(text="Castanet-Tolosan 31320")
    assert (found.lon, found.lat) == (castanet.lon, castanet.lat)
    assert _covered_by("31113", found.lon, found.lat)
    # The label given back resolves to the same place.
    assert where_resolve(text=found.label) == found


def _covered_by(code: str, lon: float, lat: float) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Covers(geom, ST_SetSRID(ST_MakePoint(%s, %s), 4326)) FROM territories_currentcommune"
            " WHERE code = %s",
            [lon, lat, code],
        )
        return cursor.fetchone()[0]


def test_every_postcode_is_given_a_point_inside_one_of_its_communes():
    # The gazetteer's own query over every postcode, then its choice among the rows of each.
    codes_all = list(PostalCode.objects.order_by("code").values_list("code", flat=True).distinct())
    with connection.cursor() as cursor:
        cursor.execute(postcodes_module._POSTAL_SQL, {"codes": codes_all, "insee": None})
        rows = [postcodes_module.PostalRow(*row) for row in cursor.fetchall()]
    by_code = defaultdict(list)
    for row in rows:
        by_code[row.code].append(row)
    wheres = {code: postcodes_module.postcode_where(code, code_rows) for code, code_rows in by_code.items()}
    assert len(wheres) == len(codes_all) > 6000
    # Postcodes of communes with a polygon: the point lies in one of them.
    checked = [(code, w.lon, w.lat) for code, w in wheres.items() if all(r.commune_code for r in by_code[code])]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT t.code FROM unnest(%s::text[], %s::float8[], %s::float8[]) AS t(code, lon, lat)
               WHERE NOT EXISTS (
                   SELECT 1 FROM territories_postalcode p JOIN territories_currentcommune c ON c.id = p.current_commune_id
                   WHERE p.code = t.code AND ST_Covers(c.geom, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)))""",
            [[c for c, _, _ in checked], [x for _, x, _ in checked], [y for _, _, y in checked]],
        )
        outside = [row[0] for row in cursor.fetchall()]
    assert len(checked) > 6000
    assert outside == []
    # The others, of the collectivités d'outre-mer only, are not found: never a point in none.
    others = sorted(set(wheres) - {code for code, _, _ in checked})
    # (INSEE codes: Saint-Barthélemy's postcode is 97133, its code 97701.)
    insee = {row.insee_code[:3] for code in others for row in by_code[code]}
    assert insee <= {"975", "977", "978", "986", "987", "988", "989"} and others
    for code in others:
        with pytest.raises(WhereNotFound, match="outside the communes geofinder knows"):
            where_resolve(text=code)


def test_postcode_of_two_or_three_communes_lists_them_all():
    assert where_resolve(text="31650").label == "31650 (Auzielle, Lauzerville, Saint-Orens-de-Gameville)"
    assert where_resolve(text="31660").label == "31660 (Bessières, Buzet-sur-Tarn)"


@pytest.mark.parametrize(
    "text", ["Labège 31670", "31670 Labège", "31670 LABEGE", "Labège, 31670", "31670 Labège, France"]
)
def test_name_and_postcode(text):
    found = where_resolve(text=text)
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
    found = where_resolve(text=text)
    assert (found.commune_code, found.kind, found.label) == (code, "postcode", label)


def test_exact_name_wins_within_a_postcode():
    # 02160 serves both Craonne and Craonnelle.
    assert where_resolve(text="Craonne 02160").commune_code == "02234"
    with pytest.raises(WhereAmbiguous) as raised:
        where_resolve(text="Craon 02160")
    assert codes(raised.value.candidates) == ["02234", "02235"]


def test_postcode_point_is_its_row_without_hamlet():
    # Le Hom (14689, "Hom" in COG 2018, Thury-Harcourt-le-Hom since 2023): La Poste's row without
    # hamlet is at (-0.5253819, 48.9869319), its five hamlets' rows at (-0.485109067102,
    # 48.9864514562); both inside the commune.
    by_postcode = where_resolve(text="Le Hom 14220")
    assert (by_postcode.label, by_postcode.lon, by_postcode.lat) == (
        "14220 Thury-Harcourt-le-Hom", -0.5253819, 48.9869319
    )
    # The commune itself is at geo.api.gouv.fr's centre: `"Thury-Harcourt-le-Hom","14689",…,-0.5222,48.9871`.
    found = where_resolve(text="Le Hom")
    assert (found.commune_code, found.label, found.lon, found.lat) == (
        "14689", "Thury-Harcourt-le-Hom (14)", -0.5222, 48.9871
    )


def test_a_postcode_whose_la_poste_point_is_outside_its_commune_is_at_the_commune():
    # La Poste puts 97300 Cayenne 20 km away, in another commune: `97302;CAYENNE;97300;;CAYENNE;5.0217…;-52.5012…`.
    row = PostalCode.objects.get(code="97300")
    assert not _covered_by("97302", row.point.x, row.point.y)
    found = where_resolve(text="97300")
    assert (found.label, found.commune_code) == ("97300 Cayenne", "97302")
    commune = CurrentCommune.objects.get(code="97302")
    assert (found.lon, found.lat) == (commune.point.x, commune.point.y)


def test_hamlet_within_its_postcode_is_its_commune():
    assert where_resolve(text="Hamars 14220").commune_code == "14689"


def test_name_and_postcode_that_disagree_is_not_found():
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text="Toulouse 31670")
    assert raised.value.message == "no commune named 'Toulouse' has the postcode 31670, which serves Labège"
    assert [c.label for c in raised.value.candidates] == ["31670 Labège"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("98714", "Papeete"),  # Polynésie: La Poste puts its 83 postcodes at one point in the sea
        ("97133", "Saint Barthelemy"),  # La Poste's point is Saint-Pierre-et-Miquelon's
        ("Papeete 98714", "Papeete"),
    ],
)
def test_a_postcode_of_no_commune_of_today_is_not_found_rather_than_a_point_in_none(text, names):
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text=text)
    code = text.split()[-1]
    assert raised.value.message.startswith(f"postcode {code} ({names}) is outside the communes geofinder knows")
    assert where_candidates(text=text) == []


def test_postcodes_of_no_commune_of_today_are_not_offered_while_typed():
    assert where_candidates(text="987") == []
    assert [w.label[:5] for w in where_candidates(text="9713")] == ["97130", "97131", "97134", "97136", "97137", "97139"]


def test_unknown_postcode_is_not_found_naming_it():
    with pytest.raises(WhereNotFound) as raised:
        where_resolve(text="99999")
    assert raised.value.message == "unknown postcode 99999"


# --- Paris, Lyon, Marseille -----------------------------------------------------------------


def test_paris_is_the_commune():
    found = where_resolve(text="Paris")
    assert (found.commune_code, found.kind, found.label) == ("75056", "commune", "Paris (75)")
    # La Poste has no row for 75056 itself (only arrondissements): a point inside Paris.
    assert 2.22 < found.lon < 2.47 and 48.81 < found.lat < 48.91


@pytest.mark.parametrize("text", ["Paris 15e", "paris 15eme arrondissement", "PARIS 15", "75015"])
def test_paris_arrondissement_is_its_postcode(text):
    found = where_resolve(text=text)
    assert (found.label, found.kind, found.commune_code, found.department_code) == (
        "75015 Paris 15e", "postcode", "75056", "75"
    )
    assert (found.lon, found.lat) == (2.29355937244, 48.8401554186)


@pytest.mark.parametrize(
    ("text", "label"),
    [("Lyon 1er", "69001 Lyon 1er"), ("Marseille 13e", "13013 Marseille 13e"), ("Paris 16", "75016 Paris 16e")],
)
def test_lyon_and_marseille_arrondissements(text, label):
    assert where_resolve(text=text).label == label


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("Paris XIe", "Paris 11e"),
        ("paris xième", "Paris 11e"),
        ("PARIS XI", "Paris 11e"),
        ("Paris XIe arrondissement", "Paris 11e"),
        ("Paris Ier", "Paris 1er"),
        ("Paris XXe", "Paris 20e"),
        ("Lyon IIIe", "Lyon 3e"),
        ("Marseille XVIe", "Marseille 16e"),
    ],
)
def test_arrondissements_in_roman_numerals(text, same_as):
    found = where_resolve(text=text)
    assert found == where_resolve(text=same_as)
    assert found.kind == "postcode"


def test_arrondissement_out_of_range():
    with pytest.raises(WhereNotFound, match="Lyon has arrondissements 1 to 9, not 10"):
        where_resolve(text="Lyon 10e")
    with pytest.raises(WhereNotFound, match="Paris has arrondissements 1 to 20, not 21"):
        where_resolve(text="Paris XXIe")


# --- Addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["12 rue de la Paix, 31670 Labège", "12 rue de la Paix 31670 Labège"])
def test_address_without_network_is_its_postcode_approximately(text, no_network):
    found = where_resolve(text=text, network=False)
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
    found = where_resolve(text=text, network=False)
    assert (found.kind, found.commune_code, found.label) == ("commune", code, label)


@pytest.mark.parametrize(("text", "code"), [("Rue", "80688"), ("Cours-les-Barres", "18075"), ("Placé", "53179")])
def test_communes_named_like_streets_are_communes(text, code, no_network):
    found = where_resolve(text=text, network=True)
    assert (found.kind, found.commune_code) == ("commune", code)
    assert not found.label.endswith(APPROXIMATE)


def test_address_in_a_commune_named_like_a_street(no_network):
    with pytest.raises(WhereAmbiguous) as raised:
        where_resolve(text="Chemin")
    assert codes(raised.value.candidates) == ["39138", "51143"]
    found = where_resolve(text="12 rue Haute Chemin 51", network=False)
    assert (found.commune_code, found.label) == ("51143", f"Le Chemin (51), {APPROXIMATE}")


def test_address_without_known_commune_is_not_found(no_network):
    with pytest.raises(WhereNotFound, match="no commune found in the address '12 rue Inconnue'"):
        where_resolve(text="12 rue Inconnue", network=False)


def test_network_is_not_used_for_communes_and_postcodes(settings, no_network):
    settings.GEOFINDER_NETWORK = True
    assert where_resolve(text="Labège").kind == "commune"
    assert where_resolve(text="31670", network=True).kind == "postcode"


def test_network_setting_off_keeps_addresses_local(settings, no_network):
    settings.GEOFINDER_NETWORK = False
    assert where_resolve(text="12 rue de la Paix, 31670 Labège").label.endswith("(adresse approchée à la commune)")


# --- Candidates for autocomplete ------------------------------------------------------------


def test_candidates_of_a_beginning():
    found = where_candidates(text="Lab")
    assert len(found) == 10
    assert all(w.kind == "commune" and w.label.startswith("Lab") for w in found)
    assert "31254" in codes(found)
    # Shortest completions first: the likeliest names for what is typed so far.
    assert [len(w.label.split(" (")[0]) for w in found] == sorted(len(w.label.split(" (")[0]) for w in found)


def test_candidates_put_the_exact_name_first():
    assert codes(where_candidates(text="saint orens")) == ["32399", "32400", "31506"]
    assert codes(where_candidates(text="Toulouse", limit=2)) == ["31555", "39533"]  # Toulouse-le-Château


def test_candidates_restricted_to_a_department():
    assert codes(where_candidates(text="Saint-Martin 32")) == ["32389", "32392", "32391", "32390"]


def test_candidates_of_a_typo():
    assert codes(where_candidates(text="Toulousse")) == ["31555"]


def test_candidates_of_a_postcode_beginning():
    found = where_candidates(text="316", limit=5)
    assert [w.label[:5] for w in found] == ["31600", "31620", "31650", "31660", "31670"]
    assert found[-1].label == "31670 Labège"
    assert all(w.kind == "postcode" for w in found)


def test_candidates_of_a_shared_postcode_list_its_communes():
    found = where_candidates(text="31320")
    assert found[0] == where_resolve(text="31320")
    assert [w.label for w in found[1:4]] == ["31320 Aureville", "31320 Auzeville-Tolosane", "31320 Castanet-Tolosan"]
    assert codes(found[1:4]) == ["31025", "31035", "31113"]


def test_candidates_of_name_and_postcode():
    assert [w.label for w in where_candidates(text="Castelnau 31620")] == ["31620 Castelnau-d'Estrétefonds"]


def test_candidates_resolve_back_to_themselves():
    for candidate in where_candidates(text="Lab", limit=5) + where_candidates(text="31320", limit=4):
        assert where_resolve(text=candidate.label) == candidate


@pytest.mark.parametrize("text", ["", "  ", ",,", "Zzyzx", "99999", "Saint-Martin 31", "Lyon 10e", "12 rue Inconnue"])
def test_candidates_of_nothing_known_are_empty(text):
    assert where_candidates(text=text) == []


# --- The README ----------------------------------------------------------------------------


def _readme_where_examples() -> list[str]:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `where` |"))
    return re.findall(r"`([^`]+)`", row.split("|")[2])


def test_the_readme_lists_where_examples():
    assert len(_readme_where_examples()) >= 5


# What each example of the README means: (kind, commune of today, label). An example added to
# the README without its meaning here fails below.
README_WHERE = {
    "Labège": ("commune", "31254", "Labège (31)"),
    "31670": ("postcode", "31254", "31670 Labège"),
    "st orens de gameville": ("commune", "31506", "Saint-Orens-de-Gameville (31)"),
    "Saint-Martin 32": ("commune", "32389", "Saint-Martin (32)"),
    "Castelnau 31620": ("postcode", "31118", "31620 Castelnau-d'Estrétefonds"),
    "Évry-Courcouronnes": ("commune", "91228", "Évry-Courcouronnes (91)"),
    "Paris XIe": ("postcode", "75056", "75011 Paris 11e"),
}


@pytest.mark.parametrize("text", _readme_where_examples())
def test_every_where_example_of_the_readme_resolves_to_what_it_means(text, no_network):
    # "Saint-Martin 31" was one: no commune of that name lies in Haute-Garonne (31), in COG 2018
    # or 2026 (see test_name_absent_from_the_department_is_not_found_with_the_others); the
    # Saint-Martin of the README is that of the Gers (32).
    assert text in README_WHERE
    found = where_resolve(text=text, network=False)
    assert (found.kind, found.commune_code, found.label) == README_WHERE[text]
    assert _covered_by(found.commune_code, found.lon, found.lat)



# --- Cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "queries"), [("Labège", 1), ("31670", 1), ("Labège 31670", 1), ("Toulousse", 2)])
def test_resolving_takes_a_handful_of_queries(text, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        where_resolve(text=text)


def test_a_text_longer_than_any_commune_name_skips_the_typo_search(django_assert_num_queries):
    # 60 letters: no commune has such a key, so the trigram search (the costly one) is not run.
    text = "Saint-Quelquechose-sur-Une-Riviere-Tres-Longue-Et-Plus-Encore"
    with django_assert_num_queries(1), pytest.raises(WhereNotFound) as caught:
        where_resolve(text=text)
    assert caught.value.candidates == []


def test_an_address_is_searched_for_communes_in_its_last_words_only(django_assert_num_queries):
    # A long street text: only its last 8 words may be a commune's name.
    text = "rue " + " ".join(["du moulin"] * 30) + " Labège"
    with django_assert_num_queries(2):  # is it a commune? then the communes of its endings
        where = where_resolve(text=text, network=False)
    assert where.commune_code == "31254"
