import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction

from geofinder.territories.models import Commune, Department

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
