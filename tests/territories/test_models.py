import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from geofinder.territories.models import Commune, CurrentCommune, Department

pytestmark = pytest.mark.django_db

# A bow-tie: the ring crosses itself, which ST_IsValid refuses.
BOW_TIE = "SRID=4326;MULTIPOLYGON(((1 43, 2 44, 2 43, 1 44, 1 43)))"


def test_the_database_refuses_an_invalid_commune_polygon():
    department = Department.objects.get(code="31")
    with pytest.raises(IntegrityError, match="commune_geom_valid"), transaction.atomic():
        Commune.objects.create(
            code="99999", name="Invalide", department=department, geom=GEOSGeometry(BOW_TIE), source_hash="x"
        )


def test_commune_codes_are_unique():
    existing = Commune.objects.get(code="31254")
    with pytest.raises(IntegrityError), transaction.atomic():
        Commune.objects.create(
            code="31254", name="Doublon", department=existing.department, geom=existing.geom, source_hash="x"
        )


def test_the_repaired_condé_en_normandie_polygon_is_stored_valid():
    commune = Commune.objects.get(code="14174")
    assert commune.geom.valid
    assert commune.geom.geom_type == "MultiPolygon"


def test_the_database_refuses_a_commune_point_outside_its_polygon():
    labege = Commune.objects.get(code="31254")
    with pytest.raises(IntegrityError, match="currentcommune_point_inside"), transaction.atomic():
        CurrentCommune.objects.create(
            code="99999", name="Ailleurs", search_name="ailleurs", department=labege.department, geom=labege.geom,
            point=Point(1.4442, 43.6047, srid=4326),  # Toulouse
            source_hash="x",
        )


def test_every_commune_of_today_has_its_point_inside_its_valid_polygon():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*),
                      count(*) FILTER (WHERE NOT ST_Covers(geom, point::geometry)),
                      count(*) FILTER (WHERE NOT ST_IsValid(geom))
               FROM territories_currentcommune"""
        )
        communes, outside, invalid = cursor.fetchone()
    assert communes == 34875  # COG 2026
    assert (outside, invalid) == (0, 0)


def test_every_2018_commune_is_covered_by_a_commune_of_today():
    assert not Commune.objects.filter(current_communes=None).exists()
    # Only communes split since 2018 share a 2018 commune; they say their polygon is approximate.
    shared = Commune.objects.annotate(n=Count("current_communes")).filter(n__gt=1)
    assert set(shared.values_list("code", flat=True)) == {"14712", "15141", "85084"}
    approximate = set(CurrentCommune.objects.filter(approximate=True).values_list("code", flat=True))
    assert approximate == set(
        CurrentCommune.objects.filter(parts__in=shared).values_list("code", flat=True)
    )
