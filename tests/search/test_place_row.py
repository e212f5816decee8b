"""One place row (geofinder.search.place_row): the search, the detail of a place and the static
maps read the same named columns and name a place from the same tables, so they agree."""

from dataclasses import fields
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from geofinder.maps.selectors import map_places
from geofinder.places.models import Category, Place
from geofinder.search.place_row import PLACE_COLUMNS, PlaceHit, place_columns_sql, place_values
from geofinder.search.query import SearchQuery
from geofinder.search.selectors import place_detail, place_search
from geofinder.search.what import What, category_by_slug
from geofinder.search.where import where_from_point
from geofinder.territories.models import Commune

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)
CAPITOLE = (1.4434, 43.6045)


def _restaurants(limit=5):
    what = What(text="", categories=(category_by_slug("restaurant"),), name_query=None, suggestions=())
    return SearchQuery(where=where_from_point(*CAPITOLE), what=what, limit=limit)


def test_a_detail_a_search_and_a_map_show_a_place_alike():
    query = _restaurants()
    hits = place_search(query=query, now=AT).hits
    assert len(hits) == 5
    on_map = {hit.id: hit for hit in map_places(query=query, now=AT)}
    for hit in hits:
        detail = place_detail(place_id=hit.id, now=AT)
        assert detail == PlaceHit(**{**{f.name: getattr(hit, f.name) for f in fields(PlaceHit)}, "distance_m": None})
        assert on_map[hit.id] == detail


def test_renamed_category_and_commune_read_the_same_in_a_search_and_a_detail():
    """Names come from the tables this process keeps, for every reader: a label changed in the
    database since they were read shows the same everywhere until they are read again."""
    hit = place_search(query=_restaurants(1), now=AT).hits[0]
    # Renamed as another process would: through the raw psycopg connection, which the tests'
    # watch of writes to the communes (tests/conftest.py) does not see.
    with connection.connection.cursor() as cursor:
        cursor.execute("UPDATE places_category SET label = 'Renamed label' WHERE slug = %s", [hit.category_slug])
        cursor.execute("UPDATE territories_commune SET name = 'Renamed commune' WHERE code = %s", [hit.commune_code])
    assert Category.objects.get(slug=hit.category_slug).label == "Renamed label"
    assert Commune.objects.get(code=hit.commune_code).name == "Renamed commune"
    detail = place_detail(place_id=hit.id, now=AT)
    again = place_search(query=_restaurants(1), now=AT).hits[0]
    assert (detail.category_label, detail.commune_name) == (again.category_label, again.commune_name) == (
        hit.category_label, hit.commune_name)


def test_the_columns_are_read_by_name():
    place = Place.objects.filter(category__slug="restaurant").first()
    names = ["id", "name", "commune_id", "opening_hours"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {place_columns_sql(names)} FROM places_place p WHERE p.id = %s", [place.id])
        values = place_values(cursor.fetchone(), names)
        assert [column.name for column in cursor.description] == names
    assert values == {"id": place.id, "name": place.name, "commune_id": place.commune_id,
                      "opening_hours": place.opening_hours}
    with pytest.raises(ValueError):  # a row of other columns is refused, not misread
        place_values((1, 2), names)
    assert set(PLACE_COLUMNS) >= {"id", "name", "lon", "lat", "category_id", "commune_id", "opening_hours"}
