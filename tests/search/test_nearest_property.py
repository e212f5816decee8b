"""The nearest search equals a brute-force geodesic nearest, wherever the point and whatever the
limit: categories of 1 to 1,000 places spread over mainland France and overseas, points drawn
anywhere over mainland France, its neighbours' border regions, the sea and overseas, limits 1 to
100, with and without a radius or a territory (issue 13, item 1), some places being of a
category as a secondary one (item 4).

The brute force is independent of the search: every place of the category in Python, geodesic
distances by PROJ (pyproj.Geod: Karney's algorithm on WGS84, as geopy's geodesic, within a
nanometre of it and sixty times faster, which the 75,000 distances of a run need), the filters
applied by hand. Hypothesis draws the cases from a fixed seed (derandomize), so a run is
repeatable.
"""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.db.models.functions import PointOnSurface
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from geopy.distance import geodesic
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pyproj import Geod

from geofinder.places.models import Category, CategoryFamily, Place
from geofinder.search.query import SearchQuery, TerritoryFilter
from geofinder.search.selectors import box_around, boxes_around, place_search
from geofinder.search.what import CategoryRef, What
from geofinder.search.where import where_from_point
from geofinder.territories.models import Commune
from tests.factories import CategoryFactory, PlaceFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
LIMITS = (1, 2, 3, 5, 10, 20, 100)
SIZES = (1, 3, 12, 80, 400, 1000)
# Where the points are drawn (lon/lat boxes): mainland France with the border regions of its
# neighbours and the sea around, and overseas.
REGIONS = {
    "mainland and borders": (-6.0, 41.0, 10.5, 51.5),
    "guadeloupe and martinique": (-62.0, 14.2, -60.7, 16.6),
    "guyane": (-55.0, 2.0, -51.5, 6.0),
    "la reunion": (55.0, -21.6, 56.0, -20.7),
    "mayotte": (44.9, -13.1, 45.4, -12.5),
}
WGS84 = Geod(ellps="WGS84")
# A tie: two places whose distances differ by less than this are in either order.
TIE_M = 1.0


@pytest.fixture(scope="module")
def commune_points(django_db_setup, django_db_blocker) -> list[tuple]:
    """(id, a point inside, département code) of every commune of the session's data, read once
    for the module (a second of PostGIS for 35,000 polygons, which no test changes)."""
    with django_db_blocker.unblock():
        communes = Commune.objects.annotate(inside=PointOnSurface("geom"))
        return list(communes.values_list("id", "inside", "department__code"))


@pytest.fixture(scope="module")
def spread_categories(commune_points, django_db_blocker):
    """Categories of SIZES places each, at the real positions of communes of France (most
    in mainland France, some overseas) moved by up to a few km, a few permanently closed.

    Written once for the module and committed, since its tests only read them (1,500 places
    and their indexes: more than a second a test), then deleted after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        refs = _spread_categories(commune_points)
    yield refs
    # Deleted as they came: no history of the deletion (simple-history writes one row a place).
    with django_db_blocker.unblock(), override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
        Place.objects.filter(source="test-spread").delete()
        Category.objects.filter(id__in=[ref.id for ref in refs]).delete()


def _spread_categories(commune_points) -> list[CategoryRef]:
    rng = random.Random(13)
    communes = commune_points
    assert len(communes) > 30_000
    refs = []
    places = []
    family = CategoryFamily.objects.first()
    for size in SIZES:
        category = CategoryFactory(
            slug=f"test-spread-{size}", label=f"Test spread {size}", label_en=f"Test spread {size}", family=family
        )
        refs.append(CategoryRef(category.id, category.slug, category.label, category.label_en, family.slug, family.label))
        for index in range(size):
            commune_id, point, _ = rng.choice(communes)
            places.append(PlaceFactory.build(
                name=f"Spread {size} #{index}", category=category, commune=commune_id, source="test-spread",
                source_id=f"{size}-{index}",
                lon=point.x + rng.uniform(-0.02, 0.02), lat=point.y + rng.uniform(-0.02, 0.02),
                status=Place.Status.PERMANENTLY_CLOSED if rng.random() < 0.05 else Place.Status.ACTIVE,
            ))
    Place.objects.bulk_create(places, batch_size=2000)
    # Some places are also of another category (secondary): the search finds them under it.
    through = Place.secondary_categories.through
    pairs = [(place, rng.choice(refs).id) for place in rng.sample(places, 300)]
    through.objects.bulk_create(
        [through(place_id=place.pk, category_id=category_id) for place, category_id in pairs
         if category_id != place.category_id]
    )
    return refs


def brute_force(category: CategoryRef, lon: float, lat: float, *, radius=None, department=None):
    """(metres, id) of every place the search may show, nearest first."""
    places = (
        Place.objects.filter(Q(category_id=category.id) | Q(secondary_categories=category.id))
        .exclude(status=Place.Status.PERMANENTLY_CLOSED)
        .distinct()
    )
    if department is not None:
        places = places.filter(commune__department__code=department)
    rows = list(places.values_list("id", "location"))
    if not rows:
        return []
    lons, lats = [location.x for _, location in rows], [location.y for _, location in rows]
    _, _, metres = WGS84.inv([lon] * len(rows), [lat] * len(rows), lons, lats)
    distances = sorted(zip(metres, (place_id for place_id, _ in rows), strict=True))
    if radius is not None:
        # The radius is a filter of the database (ST_DWithin on the spheroid): places within a
        # millimetre of the circle may go either way.
        distances = [(metres, place_id) for metres, place_id in distances if metres <= radius + 0.001]
    return distances


def assert_same_nearest(hits, expected, limit):
    """The hits are the `limit` first of `expected`, ties (within TIE_M) in either order."""
    wanted = expected[:limit]
    assert len(hits) == len(wanted), (len(hits), len(wanted))
    by_id = {place_id: metres for metres, place_id in expected}
    for hit, (metres, _) in zip(hits, wanted):
        assert hit.distance_m == pytest.approx(metres, abs=TIE_M)
        assert hit.id in by_id and abs(by_id[hit.id] - hit.distance_m) < 0.01


def points():
    return st.sampled_from(sorted(REGIONS)).flatmap(
        lambda region: st.tuples(
            st.floats(REGIONS[region][0], REGIONS[region][2]), st.floats(REGIONS[region][1], REGIONS[region][3])
        )
    )


@pytest.mark.parametrize("budget", ["passes", "one pass then every match within"])
def test_nearest_equals_the_brute_force_geodesic_nearest(spread_categories, budget, settings):
    """With its time budget, the search certifies its answer by passes; with none left after the
    first (budget 0), by reading every match within the farthest distance chosen (the strips of
    boxes_around): both exact."""
    if budget != "passes":
        settings.GEOFINDER_SEARCH_BUDGET_MS = 0
    departments = ["31", "13", "29", "67", "974", "971", "2A"]

    @hypothesis_settings(max_examples=250, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(
        point=points(),
        category=st.sampled_from(spread_categories),
        limit=st.sampled_from(LIMITS),
        radius=st.none() | st.sampled_from([500.0, 5_000.0, 30_000.0, 150_000.0]),
        department=st.none() | st.sampled_from(departments),
    )
    def check(point, category, limit, radius, department):
        lon, lat = point
        what = What(text="", categories=(category,), name_query=None, suggestions=())
        territory = TerritoryFilter("department", department) if department else None
        query = SearchQuery(where=where_from_point(lon, lat), what=what, limit=limit, radius_m=radius,
                            territory=territory)
        result = place_search(query=query, now=NOW)
        assert result.complete
        assert_same_nearest(result.hits, brute_force(category, lon, lat, radius=radius, department=department), limit)

    check()


@pytest.mark.parametrize("limit", LIMITS)
def test_a_single_place_is_found_from_anywhere(spread_categories, limit):
    """The lone place of a category, from the other side of the world (a point 600 km away
    found nothing at limit=10 before)."""
    lonely = spread_categories[0]
    for lon, lat in [(2.35, 48.85), (-52.3, 4.9), (55.45, -20.9), (8.0, 50.5), (-5.5, 46.5)]:
        what = What(text="", categories=(lonely,), name_query=None, suggestions=())
        result = place_search(query=SearchQuery(where=where_from_point(lon, lat), what=what, limit=limit), now=NOW)
        assert result.complete
        assert_same_nearest(result.hits, brute_force(lonely, lon, lat), limit)


def test_a_small_limit_a_few_km_from_the_only_nearby_place_finds_it(spread_categories):
    """`limit=1` 7 km east of a place, the next ones much farther: the planar scan cannot
    certify it alone (east-west degrees are shorter), the search must still answer it."""
    category = spread_categories[2]
    target = Place.objects.filter(category_id=category.id, status=Place.Status.ACTIVE).first()
    lon, lat = target.location.x, target.location.y
    east = geodesic(kilometers=7).destination((lat, lon), bearing=90)
    for limit in (1, 2, 3):
        what = What(text="", categories=(category,), name_query=None, suggestions=())
        query = SearchQuery(where=where_from_point(east.longitude, east.latitude), what=what, limit=limit)
        result = place_search(query=query, now=NOW)
        expected = brute_force(category, east.longitude, east.latitude)
        assert result.complete and len(result.hits) == limit
        assert_same_nearest(result.hits, expected, limit)


@pytest.mark.parametrize(
    ("lon", "lat", "metres"),
    [(1.44, 43.6, 1_000.0), (1.44, 43.6, 300_000.0), (55.45, -20.9, 50_000.0), (179.9, -16.0, 40_000.0),
     (-179.95, 0.0, 20_000.0), (10.0, 89.9, 30_000.0), (-61.0, 14.6, 5_000_000.0)],
)
def test_the_boxes_around_a_point_hold_every_point_within_the_distance(lon, lat, metres):
    """Points on the circle of that geodesic radius and inside it, in every direction, lie in
    the box and in one of the strips."""
    xmin, ymin, xmax, ymax = box_around(lon, lat, metres)
    strips = boxes_around(lon, lat, metres)
    for bearing in range(0, 360, 3):
        for share in (1.0, 0.7, 0.3):
            edge = geodesic(meters=metres * share).destination((lat, lon), bearing=bearing)
            assert ymin <= edge.latitude <= ymax
            assert xmin <= edge.longitude <= xmax
            assert any(
                x0 <= edge.longitude <= x1 and y0 <= edge.latitude <= y1 for x0, y0, x1, y1 in strips
            ), (bearing, share, edge)


def test_the_strips_hug_the_circle():
    """Far from the poles the strips cover little more than the circle: a box's corners are
    4/pi - 1 = 27 % more, the strips less than 10 %."""
    lon, lat, metres = 1.44, 43.6, 300_000.0
    xmin, ymin, xmax, ymax = box_around(lon, lat, metres)
    box = (xmax - xmin) * (ymax - ymin)
    strips = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes_around(lon, lat, metres))
    assert strips < 0.88 * box
