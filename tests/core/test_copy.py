"""rows_copy: rows inserted through COPY as the ORM would insert them."""

import json

import psycopg
import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection, transaction

from geofinder.core.copy import json_value, rows_copy
from geofinder.places.models import PlaceSource
from geofinder.territories.models import Commune, CurrentCommune, PostalCode
from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_values_by_name_or_attname_defaults_and_a_geography_point():
    labege = Commune.objects.get(code="31254")
    current = CurrentCommune.objects.get(code="31254")
    count = rows_copy(PostalCode, [
        # A relation by its field's name (a row) and another by its attname (an id); locality and
        # delivery_label left out: the model's defaults ("").
        {"code": "31670", "insee_code": "31254", "commune": labege, "current_commune_id": current.pk,
         "name": "LABEGE (copie)", "point": Point(1.5206, 43.5391, srid=4326), "source_hash": "h1"},
        {"code": "31670", "insee_code": "31254", "commune_id": None, "current_commune": None,
         "name": "LABEGE (copie) 2", "locality": "Village", "point": Point(1.53, 43.54, srid=4326),
         "source_hash": "h2"},
    ])
    assert count == 2
    first, second = PostalCode.objects.filter(name__startswith="LABEGE (copie)").order_by("name")
    assert (first.commune_id, first.current_commune_id, first.locality, first.delivery_label) == (
        labege.pk, current.pk, "", "",
    )
    assert (first.point.x, first.point.y, first.point.srid) == (1.5206, 43.5391, 4326)
    assert (second.commune_id, second.current_commune_id, second.locality) == (None, None, "Village")
    assert first.pk != second.pk and {first.pk, second.pk} <= set(PostalCode.objects.values_list("pk", flat=True))


def test_json_values_and_auto_dates():
    place = PlaceFactory()
    rows_copy(PlaceSource, [{"place": place, "source": "test", "source_id": "copie-1", "record": {"name": "Été"}}])
    copied = PlaceSource.objects.get(source="test", source_id="copie-1")
    assert copied.record == {"name": "Été"}
    assert copied.created_at is not None and copied.confidence is None and copied.matched_by == ""


def test_the_tables_constraints_hold_and_a_refused_batch_writes_nothing():
    bowtie = MultiPolygon(Polygon(((0, 0), (1, 1), (1, 0), (0, 1), (0, 0))), srid=4326)  # self-intersecting
    department = Commune.objects.get(code="31254").department_id
    valid = MultiPolygon(Polygon(((0, 0), (0, 1), (1, 1), (1, 0), (0, 0))), srid=4326)
    rows = [
        {"code": "99998", "name": "Valide", "geom": valid, "department_id": department, "source_hash": "x",
         "search_name": "valide"},
        {"code": "99999", "name": "Invalide", "geom": bowtie, "department_id": department, "source_hash": "x",
         "search_name": "invalide"},
    ]
    with pytest.raises(psycopg.errors.CheckViolation, match="commune_geom_valid"), transaction.atomic():
        rows_copy(Commune, rows)
    assert not Commune.objects.filter(code__in=["99998", "99999"]).exists()


def test_json_values_are_read_back_as_the_json_module_would_write_them():
    value = {"étiquette": "Été", 7: "clé numérique", "nested": {"list": [1, 2.5, None, True]}}
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb = %s::jsonb", [json_value(value), json.dumps(value)])
        assert cursor.fetchone()[0] is True
