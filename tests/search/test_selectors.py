"""place_search on the real data: geodesic ordering, borders, filters and live opening hours."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from geopy.distance import geodesic

from geofinder.core.text import fold
from geofinder.places.models import Place
from geofinder.search.query import SearchQuery, TerritoryFilter
from geofinder.opening.slots import week_slot
from geofinder.places.services import opening_slots_refresh
from geofinder.search.selectors import (
    PREPARED_FETCH_MAX,
    max_abs_latitude,
    open_slot_of,
    place_detail,
    place_search,
    slots_index_serves,
)
from geofinder.search.what import CategoryRef, What, category_by_slug, resolve_what
from geofinder.search.where import where_from_point
from geofinder.territories.models import Commune, Department
from tests.factories import CategoryFactory, PlaceClosureFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
CAPITOLE = (1.4434, 43.6045)  # Toulouse, place du Capitole
BESSIERES = (1.6060, 43.7980)  # Haute-Garonne, about 5 km west of the Tarn border
MAMOUDZOU = (45.2279, -12.7806)  # Mayotte
LAMAGISTERE = (0.8270, 44.1240)  # Tarn-et-Garonne (Occitanie), 2 km from Lot-et-Garonne (Nouvelle-Aquitaine)


def search(point, *, categories=(), text="", now=None, **filters):
    what = resolve_what(text)
    if categories:
        refs = tuple(category_by_slug(slug) for slug in categories)
        what = What(text="", categories=refs, name_query=None, suggestions=())
    query = SearchQuery(where=where_from_point(*point), what=what, **filters)
    return place_search(query=query, now=now or datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))


def brute_force(point, *, category=None, limit):
    """(id, geodesic metres) of the `limit` nearest active places of that category (primary or
    secondary), computed in Python."""
    places = Place.objects.exclude(status=Place.Status.PERMANENTLY_CLOSED)
    if category:
        places = places.filter(Q(category__slug=category) | Q(secondary_categories__slug=category)).distinct()
    lon, lat = point
    distances = sorted(
        (geodesic((lat, lon), (location.y, location.x)).meters, place_id)
        for place_id, location in places.values_list("id", "location")
    )
    return [(place_id, metres) for metres, place_id in distances[:limit]]


@pytest.mark.parametrize("category", ["restaurant", "boulangerie", None])
def test_nearest_order_is_the_brute_force_geodesic_order(category):
    result = search(CAPITOLE, categories=[category] if category else (), limit=50)
    expected = brute_force(CAPITOLE, category=category, limit=50)
    assert [hit.id for hit in result.hits] == [place_id for place_id, _ in expected]
    for hit, (_, metres) in zip(result.hits, expected):
        assert hit.distance_m == pytest.approx(metres, abs=0.01)
    assert result.complete


@pytest.mark.parametrize("category", ["epicerie", "boucherie-charcuterie"])
def test_nearest_order_holds_when_the_nearest_are_oceans_away(category):
    """From Mayotte the nearest reach La Réunion, then mainland France, thousands of km away,
    where lon/lat degrees are most distorted: the order is still the geodesic one."""
    result = search(MAMOUDZOU, categories=[category], limit=30)
    expected = brute_force(MAMOUDZOU, category=category, limit=30)
    assert max(metres for _, metres in expected) > 1_000_000  # the search does reach far
    assert [hit.id for hit in result.hits] == [place_id for place_id, _ in expected]
    assert result.complete


def test_max_abs_latitude_is_the_farthest_place_from_the_equator():
    ids = [category_by_slug(slug).id for slug in ("epicerie", "boulangerie")]
    latitudes = [location.y for location in Place.objects.filter(category_id__in=ids).values_list("location", flat=True)]
    assert max_abs_latitude(ids) == pytest.approx(max(abs(lat) for lat in latitudes), abs=1e-9)
    assert max_abs_latitude([0]) == 90.0  # no such category: nothing to bound


def test_several_categories_merge_by_distance():
    result = search(CAPITOLE, categories=["boulangerie", "boucherie-charcuterie"], limit=30)
    assert {"boulangerie", "boucherie-charcuterie"} <= {hit.category_slug for hit in result.hits}
    distances = [hit.distance_m for hit in result.hits]
    assert distances == sorted(distances)
    # A place of both (one of them secondary) counts once.
    both = sorted(
        dict(brute_force(CAPITOLE, category="boulangerie", limit=30)
             + brute_force(CAPITOLE, category="boucherie-charcuterie", limit=30)).items(),
        key=lambda pair: (pair[1], pair[0]),
    )
    assert [hit.id for hit in result.hits] == [place_id for place_id, _ in both[:30]]


@pytest.mark.parametrize("open_at", [None, datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)])
def test_hits_show_what_the_database_holds_with_or_without_the_opening_filter(open_at):
    # Without the filter the details come with the candidates, with it from a second read;
    # the names of categories and territories from the tables each process keeps, including
    # those renamed or created since the process read them.
    result = search(BESSIERES, limit=40)
    Place.objects.filter(pk=result.hits[0].id).update(name="Renommé", phone="05 61 00 00 00")
    moved = Place.objects.get(pk=result.hits[1].id)
    commune = Commune.objects.create(
        code="99998", name="Créée", department=Department.objects.get(code="81"), geom=moved.commune.geom
    )
    Place.objects.filter(pk=moved.pk).update(commune=commune, opening_hours="24/7")
    hits = search(BESSIERES, limit=40, open_at=open_at).hits
    places = Place.objects.select_related("category", "commune__department__region").in_bulk([hit.id for hit in hits])
    for hit in hits:
        place = places[hit.id]
        assert (hit.name, hit.phone, hit.street, hit.postcode, hit.city, hit.status, hit.source) == (
            place.name, place.phone, place.street, place.postcode, place.city, place.status, place.source
        )
        assert (hit.lon, hit.lat, hit.updated_at) == (place.location.x, place.location.y, place.updated_at)
        assert (hit.category_slug, hit.category_label) == (place.category.slug, place.category.label)
        commune = place.commune
        assert (hit.commune_code, hit.commune_name, hit.department_code, hit.department_name) == (
            commune.code, commune.name, commune.department.code, commune.department.name
        )
        assert (hit.region_code, hit.region_name) == (commune.department.region.code, commune.department.region.name)
        assert hit.services == {service: getattr(place, service) for service in hit.services}
    names = {hit.id: hit for hit in hits}
    assert names[moved.pk].commune_name == "Créée" and names[moved.pk].department_code == "81"
    if open_at is None:
        assert names[result.hits[0].id].name == "Renommé"


def test_results_cross_the_departement_border():
    result = search(BESSIERES, limit=40)
    departments = [hit.department_code for hit in result.hits]
    assert {"31", "81"} <= set(departments)
    assert [hit.distance_m for hit in result.hits] == sorted(hit.distance_m for hit in result.hits)
    # The point itself is in Haute-Garonne, and the search is not clipped to it.
    assert where_from_point(*BESSIERES).department_code == "31"


def test_results_cross_the_region_border():
    result = search(LAMAGISTERE, limit=30)
    assert {"75", "76"} <= {hit.region_code for hit in result.hits}
    assert where_from_point(*LAMAGISTERE).department_code == "82"


def test_territory_filter_restricts_when_asked():
    result = search(BESSIERES, limit=20, territory=TerritoryFilter(kind="department", code="81"))
    assert result.hits and {hit.department_code for hit in result.hits} == {"81"}
    region = search(LAMAGISTERE, limit=20, territory=TerritoryFilter(kind="region", code="75"))
    assert region.hits and {hit.region_code for hit in region.hits} == {"75"}
    # Blagnac's three places, though Toulouse's are nearer the Capitole.
    commune = search(CAPITOLE, limit=5, territory=TerritoryFilter(kind="commune", code="31069"))
    assert len(commune.hits) == 3 and {hit.commune_code for hit in commune.hits} == {"31069"}


def test_radius_keeps_only_places_within_it():
    everything = search(CAPITOLE, categories=["restaurant"], limit=100)
    radius = everything.hits[9].distance_m + 0.5
    within = search(CAPITOLE, categories=["restaurant"], limit=100, radius_m=radius)
    assert [hit.id for hit in within.hits] == [hit.id for hit in everything.hits[:10]]


def test_services_filter():
    nearest = search(CAPITOLE, categories=["boulangerie"], limit=5).hits
    Place.objects.filter(pk=nearest[3].id).update(click_and_collect=True)
    result = search(CAPITOLE, categories=["boulangerie"], limit=5, services=("click_and_collect",))
    assert [hit.id for hit in result.hits] == [nearest[3].id]
    assert result.hits[0].services["click_and_collect"] is True


def test_permanently_closed_places_are_hidden_unless_asked():
    first = search(CAPITOLE, limit=3).hits[0]
    Place.objects.filter(pk=first.id).update(status=Place.Status.PERMANENTLY_CLOSED)
    assert first.id not in [hit.id for hit in search(CAPITOLE, limit=3).hits]
    shown = search(CAPITOLE, limit=3, include_closed=True).hits
    assert shown[0].id == first.id and shown[0].status == "permanently_closed"


def test_name_search_finds_places_by_their_name():
    boukarou = Place.objects.get(name="LE BOUKAROU", commune__code="31555")
    result = search(CAPITOLE, text="boukarou", limit=5)
    assert result.query.what.name_query == "boukarou" and not result.query.what.categories
    assert [hit.id for hit in result.hits] == [boukarou.id]
    # A typo still finds it, through trigram word similarity.
    assert boukarou.id in [hit.id for hit in search(CAPITOLE, text="boukarrou", limit=5).hits]


def named_brute_force(point, text: str, limit: int) -> list[int]:
    """Ids of the `limit` nearest active places named like `text` (the name condition applied to
    every place, then sorted by geodesic distance)."""
    name = fold(text)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM places_place WHERE status <> 'permanently_closed'"
            " AND (geofinder_unaccent(lower(name)) LIKE %(like)s OR %(name)s <%% geofinder_unaccent(lower(name)))"
            " ORDER BY ST_Distance(location, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography), id"
            " LIMIT %(limit)s",
            {"like": f"%{name}%", "name": name, "lon": point[0], "lat": point[1], "limit": limit},
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("nearest_scan", [2000, 5])  # 5: the places of that name, by the trigram index
@pytest.mark.parametrize("text", ["chez", "le petit", "boukarou", "relais", "mcdonalds"])
@pytest.mark.parametrize("point", [CAPITOLE, MAMOUDZOU, (-4.5, 48.4)])
def test_name_search_is_the_nearest_of_that_name(monkeypatch, point, text, nearest_scan):
    from geofinder.search import selectors

    monkeypatch.setattr(selectors, "NAME_NEAREST_SCAN", nearest_scan)
    result = search(point, text=text, limit=10)
    assert result.query.what.name_query is not None
    expected = named_brute_force(point, text, 10)
    assert [hit.id for hit in result.hits] == expected
    assert result.complete


class TestOpeningFilter:
    AT = datetime(2026, 11, 25, 20, 30, tzinfo=PARIS)  # a Wednesday evening

    def nearest(self, count):
        return search(CAPITOLE, categories=["restaurant"], limit=count).hits

    def test_open_at_keeps_the_places_open_then_and_labels_them(self):
        late, lunch, broken = self.nearest(3)
        Place.objects.filter(pk=late.id).update(opening_hours="Mo-Su 19:00-23:00")
        Place.objects.filter(pk=lunch.id).update(opening_hours="Mo-Sa 12:00-14:00")
        Place.objects.filter(pk=broken.id).update(opening_hours="Mo-Fr 25:00-26:00 nonsense")
        result = search(CAPITOLE, categories=["restaurant"], limit=3, open_at=self.AT)
        assert [hit.id for hit in result.hits] == [late.id]
        assert result.hits[0].opening.state == "open"
        assert result.hits[0].opening.label == "Ouvert · ferme à 23:00"
        assert result.hits[0].opening.next_change == datetime(2026, 11, 25, 23, 0, tzinfo=PARIS)

    def test_every_result_carries_its_status_invalid_strings_included(self):
        late, lunch, broken = self.nearest(3)
        Place.objects.filter(pk=lunch.id).update(opening_hours="Mo-Sa 12:00-14:00")
        Place.objects.filter(pk=broken.id).update(opening_hours="Mo-Fr 25:00-26:00 nonsense")
        by_id = {hit.id: hit for hit in search(CAPITOLE, categories=["restaurant"], limit=3, now=self.AT).hits}
        assert by_id[lunch.id].opening.state == "closed"
        assert by_id[lunch.id].opening.label == "Fermé · ouvre demain à 12:00"
        assert by_id[broken.id].opening.state == "unknown"

    def test_exceptional_closure_closes_an_open_place(self):
        place = self.nearest(1)[0]
        Place.objects.filter(pk=place.id).update(opening_hours="24/7")
        PlaceClosureFactory(
            place=place.id, start=date(2026, 11, 20), end=date(2026, 11, 30), reason="fermeture administrative"
        )
        hit = place_detail(place_id=place.id, now=self.AT)
        assert hit.opening.state == "closed"
        assert hit.opening.label == "Fermé · fermeture exceptionnelle"
        assert hit.opening.next_change == datetime(2026, 12, 1, 0, 0, tzinfo=PARIS)
        assert place.id not in [h.id for h in search(CAPITOLE, categories=["restaurant"], limit=3, open_at=self.AT).hits]


def test_good_friday_closes_strasbourg_but_not_toulouse():
    good_friday = datetime(2027, 3, 26, 10, 0, tzinfo=PARIS)
    strasbourg = Place.objects.filter(commune__code="67482").first()
    toulouse = Place.objects.filter(commune__code="31555").first()
    Place.objects.filter(pk__in=[strasbourg.pk, toulouse.pk]).update(opening_hours="Mo-Sa 09:00-18:00; PH off")
    assert place_detail(place_id=strasbourg.pk, now=good_friday).opening.label == "Fermé · jour férié"
    assert place_detail(place_id=toulouse.pk, now=good_friday).opening.state == "open"


def test_a_place_in_la_reunion_is_evaluated_in_its_own_time_zone():
    place = Place.objects.filter(commune__department__code="974").first()
    assert place is not None
    Place.objects.filter(pk=place.pk).update(opening_hours="Mo-Su 08:00-12:00")
    at = datetime(2026, 6, 1, 5, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Saint-Denis, 07:00 in Paris
    hit = place_detail(place_id=place.pk, now=at)
    assert hit.opening.state == "open"
    assert hit.opening.next_change == datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Indian/Reunion"))
    assert hit.opening.next_change.utcoffset().total_seconds() == 4 * 3600


def test_place_detail_unknown_id():
    assert place_detail(place_id=0) is None


def index_plan(sql: str) -> str:
    """The plan of a search statement, the planner kept off the sequential scan and the sort
    (few rows here) to see which index it can use."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_category_search_uses_the_composite_knn_index():
    """The category is a condition of the (category, location::geometry) GiST index, not a filter
    applied to every row that a location-only scan yields (a 50x slowdown on 2M places)."""
    with CaptureQueriesContext(connection) as queries:
        search(CAPITOLE, categories=["boulangerie"], limit=5)
    [sql] = [query["sql"] for query in queries.captured_queries if "ORDER BY p.location::geometry <->" in query["sql"]]
    plan = index_plan(sql)
    assert "place_category_geom_gist" in plan
    assert re.search(r"Index Cond: \(category_id = .*::bigint\)", plan), plan


@pytest.mark.parametrize(
    ("point", "filters"),
    [
        (CAPITOLE, {}),
        ((3.5, 43.0), {}),  # at sea: no commune contains it
        (CAPITOLE, {"radius_m": 0.5}),  # no candidate: the commune is asked for alone
        (CAPITOLE, {"open_at": datetime(2026, 11, 1, 3, 0, tzinfo=PARIS)}),  # several passes
    ],
)
def test_the_point_is_located_by_the_search(point, filters):
    query = SearchQuery(where=where_from_point(*point, locate=False), what=resolve_what("boulangerie"), **filters)
    result = place_search(query=query, now=datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))
    assert result.query is query and not query.where.located
    assert result.where == where_from_point(*point)


def searches_prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%ORDER BY p.location%"]
        )
        return {statement for (statement,) in cursor.fetchall()}


@pytest.mark.parametrize(("limit", "first_prepared"), [(10, True), (100, False)])
def test_only_a_first_pass_of_few_candidates_is_a_prepared_statement(limit, first_prepared):
    """Later passes (rare, thousands of candidates) and first passes of more than
    PREPARED_FETCH_MAX candidates are planned for their values."""
    query = SearchQuery(where=where_from_point(*CAPITOLE), what=resolve_what("boulangerie"), limit=limit,
                        open_at=datetime(2026, 11, 1, 3, 0, tzinfo=PARIS))  # past: no prefilter, few open
    before = searches_prepared()
    with CaptureQueriesContext(connection) as queries:
        place_search(query=query, now=datetime(2026, 11, 25, 10, 0, tzinfo=PARIS))
    # The fetch of each pass (its scans, the secondary categories' too, read as many).
    limits = [int(found[0]) for q in queries.captured_queries if (found := re.findall(r"LIMIT (\d+)\)", q["sql"]))]
    assert len(limits) >= (2 if limit == 10 else 1), limits  # 10: few open at 3:00, more passes
    assert (limits[0] <= PREPARED_FETCH_MAX) is first_prepared
    after = searches_prepared()
    assert any(f"LIMIT {limits[0]})" in statement for statement in after) is first_prepared
    assert not any(f"LIMIT {limit})" in statement for statement in after - before for limit in limits[1:])


def test_a_plain_search_by_position_is_one_statement():
    """The commune at the point comes with the candidates (an InitPlan, run once) and so do
    the places' details."""
    search(CAPITOLE, categories=["boulangerie"], limit=5)  # the process's tables of names
    query = SearchQuery(where=where_from_point(*CAPITOLE, locate=False), what=resolve_what("boulangerie"), limit=5)
    with CaptureQueriesContext(connection) as queries:
        result = place_search(query=query)
    [statement] = queries.captured_queries
    assert result.where.commune_code == "31555" and len(result.hits) == 5
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + statement["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "InitPlan" in plan and "SubPlan" not in plan, plan


def next_saturday_night(now: datetime) -> datetime:
    """Saturday 23:00 in Paris, a few days after `now` (the slots hold from a day before it)."""
    day = now.astimezone(PARIS).date() + timedelta(days=2)
    while day.weekday() != 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 23, 0, tzinfo=PARIS)


@pytest.mark.parametrize("in_index", [True, False], ids=["slots-index", "rows-filter"])
def test_the_opening_prefilter_keeps_every_place_open_then(monkeypatch, in_index, clock):
    monkeypatch.setattr("geofinder.search.selectors.slots_index_serves", lambda slot: in_index)
    ids = [hit.id for hit in search(CAPITOLE, categories=["restaurant"], limit=60).hits]
    hours = ["Mo-Su 18:00-02:00", "Mo-Fr 09:00-12:00", "24/7", "Sa 20:00-23:30; PH off", "", "Sa 22:30-23:00"]
    for position, place_id in enumerate(ids):
        Place.objects.filter(pk=place_id).update(opening_hours=hours[position % len(hours)])
    assert opening_slots_refresh(place_ids=ids, now=clock) == len(ids)
    night = next_saturday_night(clock)
    query = SearchQuery(where=where_from_point(*CAPITOLE), what=What("", (category_by_slug("restaurant"),), None, ()),
                        limit=30, open_at=night)
    assert open_slot_of(query, now=clock) is not None
    with CaptureQueriesContext(connection) as queries:
        prefiltered = place_search(query=query, now=clock)
    assert any("open_slots &&" in q["sql"] for q in queries.captured_queries)
    assert any("IS TRUE" in q["sql"] for q in queries.captured_queries) is not in_index
    monkeypatch.setattr("geofinder.search.selectors.open_slot_of", lambda query, now: None)
    unfiltered = place_search(query=query, now=clock)
    assert [hit.id for hit in prefiltered.hits] == [hit.id for hit in unfiltered.hits]
    assert {hit.opening.state for hit in prefiltered.hits} == {"open"} and len(prefiltered.hits) >= 10


def test_the_opening_prefilter_is_an_index_condition(clock):
    night = next_saturday_night(clock)
    with CaptureQueriesContext(connection) as queries:
        search(CAPITOLE, categories=["boulangerie"], limit=5, open_at=night, now=clock)
    [sql] = [q["sql"] for q in queries.captured_queries if "open_slots &&" in q["sql"]]
    plan = index_plan(sql)
    assert "place_category_slots_geom_gist" in plan
    assert re.search(r"Index Cond: \(\(category_id = .*::bigint\) AND \(open_slots && ", plan), plan


def test_when_many_may_be_open_the_prefilter_filters_the_rows_of_the_category_index(monkeypatch, clock):
    monkeypatch.setattr("geofinder.search.selectors.slots_index_serves", lambda slot: False)
    with CaptureQueriesContext(connection) as queries:
        search(CAPITOLE, categories=["boulangerie"], limit=5, open_at=next_saturday_night(clock), now=clock)
    [sql] = [q["sql"] for q in queries.captured_queries if "open_slots &&" in q["sql"]]
    plan = index_plan(sql)
    assert "place_category_geom_gist" in plan and "place_category_slots_geom_gist" not in plan, plan
    assert re.search(r"Filter: .*\(open_slots && .*IS TRUE", plan), plan


@pytest.mark.parametrize(
    ("shares", "serves"),
    [
        ({}, True),  # no statistics yet: the index, as before they existed
        ({67: 0.1}, True),
        ({67: 0.19}, True),
        ({67: 0.5}, False),
        ({67: 0.1, 336: 0.15}, False),  # "any time" places are open in every half-hour
        ({68: 0.9}, True),  # a half-hour the statistics do not list is rare
    ],
)
def test_the_slots_index_serves_half_hours_few_places_may_be_open_in(monkeypatch, shares, serves):
    monkeypatch.setattr("geofinder.search.selectors.open_slot_shares", lambda: shares)
    assert slots_index_serves(67) is serves


def test_the_opening_prefilter_is_used_only_while_the_slots_hold(clock):
    # Every place's slots computed now: whenever the session's data was loaded (--reuse-db).
    opening_slots_refresh(now=clock)

    def slot_at(at):
        query = SearchQuery(where=where_from_point(*CAPITOLE), what=resolve_what(""), open_at=at)
        return open_slot_of(query, now=clock)

    now = clock
    assert slot_at(now) == week_slot(now)
    assert slot_at(now - timedelta(days=2)) is None  # before the window of slots computed now
    assert slot_at(now + timedelta(days=400)) is None  # after the year they hold for


def test_categories_without_places_are_left_out_of_the_scans():
    from geofinder.search.selectors import categories_with_places

    empty = CategoryFactory(slug="categorie-vide-test", label="Catégorie vide", label_en="Empty")
    bakery, restaurant = category_by_slug("boulangerie").id, category_by_slug("restaurant").id
    assert categories_with_places([restaurant, empty.id, bakery]) == [restaurant, bakery]
    assert categories_with_places([empty.id]) == []


def test_a_search_of_categories_without_places_is_complete_and_empty():
    empty = CategoryFactory(slug="categorie-vide-test", label="Catégorie vide", label_en="Empty")
    other = CategoryFactory(slug="autre-vide-test", label="Autre vide", label_en="Other empty", position=1000)
    refs = (CategoryRef(empty.id, empty.slug, empty.label, "", "", ""), CategoryRef(other.id, other.slug, other.label, "", "", ""))
    query = SearchQuery(where=where_from_point(*CAPITOLE, locate=False), what=What("", refs, None))
    result = place_search(query=query)
    assert result.hits == [] and result.complete and result.where.commune_code == "31555"


def test_only_a_spent_time_budget_makes_a_search_incomplete_and_what_was_found_is_returned(monkeypatch, settings):
    """Open restaurants from Mayotte: two with known hours there, the others in Toulouse. With no
    time left after the first pass, the search answers what that pass found, flagged; with
    its budget, it goes on to the end and is complete."""
    from geofinder.search import selectors

    for index in range(5):
        # Two in Mamoudzou, three in Toulouse.
        code, (lon, lat) = ("97611", MAMOUDZOU) if index < 2 else ("31555", CAPITOLE)
        PlaceFactory(name=f"Ouvert toujours {index}", category="restaurant", commune=code, opening_hours="24/7",
                     lon=lon + index / 1000, lat=lat)
    # Without the opening prefilter, every restaurant is a candidate: the 5 open ones come after
    # thousands of others.
    monkeypatch.setattr(selectors, "open_slot_of", lambda query, now=None: None)
    at = datetime(2026, 11, 24, 12, 30, tzinfo=PARIS)
    full = search(MAMOUDZOU, categories=["restaurant"], open_at=at, now=at, limit=5)
    assert full.complete and len(full.hits) == 5
    settings.GEOFINDER_SEARCH_BUDGET_MS = 0
    with CaptureQueriesContext(connection) as queries:
        cut = search(MAMOUDZOU, categories=["restaurant"], open_at=at, now=at, limit=5)
    passes = [query for query in queries.captured_queries if query["sql"].startswith("SELECT k.id")]
    assert len(passes) == 1 and not cut.complete
    # The two open ones of Mayotte, found by the first pass, are answered.
    assert [hit.id for hit in cut.hits] == [hit.id for hit in full.hits[:2]]
    assert [hit.name for hit in cut.hits] == ["Ouvert toujours 0", "Ouvert toujours 1"]
