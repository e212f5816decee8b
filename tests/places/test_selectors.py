"""Reads of the place directory kept by each process."""

import pytest
from django.db import connection

from geofinder.places.models import Category, Place
from geofinder.places.selectors import CategoryNames, category_names_of, open_slot_shares
from geofinder.places.services import opening_slots_refresh
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_category_names_of_knows_every_category_even_one_created_since():
    boulangerie = Category.objects.get(slug="boulangerie")
    assert category_names_of(boulangerie.pk) == CategoryNames("boulangerie", boulangerie.label)
    new = CategoryFactory(slug="souffleur-de-verre", label="Souffleur de verre", label_en="Glassblower",
                          family=boulangerie.family)
    assert category_names_of(new.pk) == ("souffleur-de-verre", "Souffleur de verre")  # read again
    assert category_names_of(0) is None


def test_open_slot_shares_are_the_shares_analyze_measured():
    """ANALYZE samples up to 300,000 rows at the statistics target of open_slots (1000): every
    place here, so the shares are exact."""
    hours = ["Mo-Fr 09:00-18:00", "24/7", "Fr-Sa 20:00-02:00", "Tu-Su 12:00-14:00"]
    ids = list(Place.objects.order_by("id").values_list("id", flat=True)[:400])
    for position, place_id in enumerate(ids):
        Place.objects.filter(pk=place_id).update(opening_hours=hours[position % len(hours)])
    opening_slots_refresh(place_ids=ids)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE places_place")
        cursor.execute("SELECT s, count(*) FROM places_place, unnest(open_slots) AS s GROUP BY s")
        counts = dict(cursor.fetchall())
    total = Place.objects.count()
    shares = open_slot_shares()
    assert counts and set(shares) == set(counts)
    for value, count in counts.items():
        assert shares[value] == pytest.approx(count / total, rel=1e-4)


def test_open_slot_shares_are_empty_without_statistics():
    """Read where places_place has never been analyzed, whatever this database's own table went
    through: a copy of it in a schema of this test's transaction, first on the search path."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA geofinder_never_analyzed")
        cursor.execute("CREATE TABLE geofinder_never_analyzed.places_place (LIKE public.places_place INCLUDING ALL)")
        cursor.execute("INSERT INTO geofinder_never_analyzed.places_place SELECT * FROM public.places_place LIMIT 100")
        cursor.execute("SET LOCAL search_path = geofinder_never_analyzed, public")
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'places_place' AND attname = 'open_slots'"
                       " AND schemaname = current_schema()")
        (analyzed,) = cursor.fetchone()
    assert not analyzed
    assert open_slot_shares() == {}
