import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from geofinder.territories.models import Commune, Department
from geofinder.territories.selectors import (
    COMMUNE_TERRITORY_SQL,
    commune_at_point,
    commune_code_today,
    commune_codes_at_point,
    commune_ids_at_points,
    communes_today,
    department_code_of_commune,
    territory_boundary,
)

pytestmark = pytest.mark.django_db


def test_a_point_in_labege_resolves_to_its_commune_departement_and_region():
    commune = commune_at_point(lon=1.5339, lat=43.5330)  # Labège, near the town hall
    assert commune is not None
    assert (commune.code, commune.name) == ("31254", "Labège")
    assert commune.department.code == "31"
    assert commune.department.region.code == "76"


def test_a_point_at_sea_resolves_to_none():
    assert commune_at_point(lon=-5.0, lat=45.5) is None  # Bay of Biscay, 150 km offshore
    assert commune_codes_at_point(lon=-5.0, lat=45.5) is None


def test_commune_codes_at_point_gives_the_commune_and_departement_codes():
    assert commune_codes_at_point(lon=1.5339, lat=43.5330) == ("31254", "31")  # Labège
    assert commune_codes_at_point(lon=9.4500, lat=42.7000) == ("2B033", "2B")  # Bastia


def test_the_commune_comes_without_the_geometries_it_does_not_need():
    commune = commune_at_point(lon=1.5339, lat=43.5330)
    deferred = commune.get_deferred_fields()
    assert "geom" in deferred and "geom" in commune.department.get_deferred_fields()
    assert "geom" in commune.department.region.get_deferred_fields()


def test_a_point_just_off_the_coast_is_snapped_to_the_nearest_commune_only_within_the_distance():
    # A restaurant on the Promenade de la Concurrence, La Rochelle (Alim'confiance coordinates),
    # just outside the simplified coastline.
    quay = (-1.162515, 46.155345)
    [(snapped_id, snapped)] = commune_ids_at_points([quay], snap_m=300)
    [(strict_id, strict_snapped)] = commune_ids_at_points([quay], snap_m=0)
    from geofinder.territories.models import Commune

    assert snapped and Commune.objects.get(pk=snapped_id).code == "17300"  # La Rochelle
    assert (strict_id, strict_snapped) == (None, False)
    # A search from there: no polygon holds the point, the snap (300 m by default) finds it.
    assert commune_codes_at_point(lon=quay[0], lat=quay[1]) == ("17300", "17")


def test_batch_resolution_keeps_the_order_of_the_points():
    points = [(2.3522, 48.8566), (-5.0, 45.5), (1.4442, 43.6047)]  # Paris, at sea, Toulouse
    ids = commune_ids_at_points(points)
    from geofinder.territories.models import Commune

    codes = [Commune.objects.get(pk=i).code if i else None for i, _ in ids]
    assert codes == ["75056", None, "31555"]


def test_department_code_of_commune_knows_every_commune_even_one_created_since():
    for code, department in [("31254", "31"), ("67482", "67"), ("97411", "974"), ("2A004", "2A")]:
        assert department_code_of_commune(Commune.objects.get(code=code).pk) == department
    labege = Commune.objects.get(code="31254")
    new = Commune.objects.create(code="99999", name="Nouvelle", department=Department.objects.get(code="81"), geom=labege.geom)
    assert department_code_of_commune(new.pk) == "81"  # not in the table yet: read again
    assert department_code_of_commune(0) is None


# --- Communes of today ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "today"),
    [
        ("31254", "31254"),  # a commune of today is its own
        ("91182", "91228"),  # Courcouronnes, in Évry-Courcouronnes since 2019
        ("93059", "93066"),  # Pierrefitte-sur-Seine, in Saint-Denis since 2025
        ("27058", "27676"),  # Les Trois Lacs: code 27058 from 2021 to 2023, 27676 again since
        ("14513", "50592"),  # Pont-Farcy: to the Manche (50649) then into Tessy-Bocage, 2018
        ("60455", "60694"),  # La Neuville-Garnier: commune déléguée of Les Hauts-Talican
        ("75111", "75056"),  # Paris 11e arrondissement
        ("51385", None),  # split between 51440, 51487 and 51503: no one commune continues it
        ("99999", None),
    ],
)
def test_commune_code_today_follows_the_movements_of_communes(code, today):
    assert commune_code_today(code) == today


def test_the_places_of_a_commune_of_today_are_those_of_the_2018_communes_it_covers():
    from geofinder.places.models import Place

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM places_place p WHERE {COMMUNE_TERRITORY_SQL}", {"territory": "93066"})
        found = cursor.fetchone()[0]
    # Saint-Denis absorbed Pierrefitte-sur-Seine in 2025: places in both 2018 communes.
    assert Place.objects.filter(commune__code="93059").exists()
    assert found == Place.objects.filter(commune__code__in=["93066", "93059"]).count()


def test_the_boundary_of_a_merged_commune_is_that_of_the_commune_of_today():
    feature = territory_boundary(kind="commune", code="91182")
    assert feature["id"] == "commune:91228"
    assert (feature["properties"]["code"], feature["properties"]["name"]) == ("91228", "Évry-Courcouronnes")
    assert feature["properties"]["department"]["code"] == "91"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Equals(ST_GeomFromGeoJSON(%s), (SELECT ST_Union(geom) FROM territories_commune"
            " WHERE code IN ('91228', '91182')))",
            [feature["geometry_json"]],
        )
        assert cursor.fetchone()[0]
    assert territory_boundary(kind="commune", code="51385") is None


def test_a_point_is_in_the_commune_of_today_covering_its_2018_commune():
    # Inside the 2018 Courcouronnes (91182), in Évry-Courcouronnes since 2019.
    assert Commune.objects.get(code="91182").geom.contains(Point(2.4119, 48.6217, srid=4326))
    assert commune_codes_at_point(lon=2.4119, lat=48.6217) == ("91228", "91")
    # Pierrefitte-sur-Seine (93059), in Saint-Denis since 2025.
    pierrefitte = Commune.objects.get(code="93059").geom.point_on_surface
    assert commune_codes_at_point(lon=pierrefitte.x, lat=pierrefitte.y) == ("93066", "93")
    # Every 2018 commune has its one commune of today but the three split since (see below).
    assert len(communes_today(fresh=True)) == Commune.objects.count() - 3


def test_a_point_in_a_2018_commune_split_since_keeps_its_2018_code():
    # Essarts-en-Bocage (85084) was one commune in 2018; L'Oie and Sainte-Florence left it in
    # 2019: its 2018 polygon does not say which of the three a point is in.
    today = set(Commune.objects.get(code="85084").current_communes.values_list("code", flat=True))
    assert len(today) == 3 and "85084" in today
    essarts = Commune.objects.get(code="85084").geom.point_on_surface
    assert commune_codes_at_point(lon=essarts.x, lat=essarts.y) == ("85084", "85")


def test_a_territory_is_searched_from_its_chef_lieu():
    from geofinder.territories.selectors import territory_seat

    haute_garonne = territory_seat(kind="department", code="31")
    assert haute_garonne["name"] == "Haute-Garonne" and haute_garonne["article"] == 3
    assert haute_garonne["seat"]["code"] == "31555" and haute_garonne["seat"]["name"] == "Toulouse"
    assert territory_seat(kind="region", code="76")["seat"]["name"] == "Toulouse"  # Occitanie
    assert territory_seat(kind="department", code="01")["seat"]["name"] == "Bourg-en-Bresse"
    # A commune is searched from itself; a merged commune's code leads to the commune of today.
    assert territory_seat(kind="commune", code="91182")["seat"]["code"] == "91228"
    assert territory_seat(kind="department", code="999") is None
