"""GET /api/v1/export/places.geojson|csv: every matching place, with the search's filters."""

import csv
import io
from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import orjson
import pytest
from django.db.models import Q
from django.http import QueryDict

from geofinder.api.geojson import place_properties
from geofinder.search.contract import search_query_from
from geofinder.exports.formats import Export
from geofinder.places.models import Place
from geofinder.territories.models import Commune, CommuneCode, CurrentCommune, Department
from geofinder.territories.selectors import commune_names
from geofinder.search import stream
from geofinder.search.selectors import place_detail
from tests.exports.helpers import SEARCH_URL, csv_export, export, geojson_export
from tests.factories import PlaceClosureFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
LABEGE = "1.5206,43.5391"
PARIS_CENTRE = "2.3488,48.8534"  # Hôtel de Ville
EXPORT_ONLY = {"source_id", "secondary_categories", "location_precision", "extra", "merged_sources"}


def department_places(code: str, category: str | None = None):
    """The active places of a département, of a category (primary or secondary) if given."""
    places = Place.objects.filter(commune__department__code=code).exclude(status=Place.Status.PERMANENTLY_CLOSED)
    if category:
        places = places.filter(Q(category__slug=category) | Q(secondary_categories__slug=category)).distinct()
    return places


def test_geojson_export_holds_every_matching_place_not_the_first_20(client):
    response, body = export(client, "geojson", {"category": "restaurant", "territory": "department:34"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    today = datetime.now(PARIS).date().isoformat()
    name = f"geofinder-restaurant-department-34-{today}.geojson"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    data = orjson.loads(body)
    expected = sorted(department_places("34", "restaurant").values_list("id", flat=True))
    assert len(expected) > 100
    assert [feature["id"] for feature in data["features"]] == expected  # every one, by id
    assert data["count"] == len(expected)
    assert data["type"] == "FeatureCollection" and data["generator"] == "geofinder"
    assert data["query"] == {"category": "restaurant", "territory": "department:34"}
    assert data["filters"]["territory"] == "department:34" and data["where"] is None
    licences = {licence["source"]: licence for licence in data["licences"]}
    assert licences["alimconfiance"]["licence"].startswith("Licence Ouverte")
    assert "territories" in licences and "osm" not in licences
    assert data["generated_at"] and data["opening_evaluated_at"]


def test_features_have_the_properties_of_the_search(client):
    place = department_places("34", "restaurant").first()
    PlaceClosureFactory(place=place, start=date(2026, 1, 1), end=date(2026, 1, 5), reason="inventaire")
    Place.objects.filter(pk=place.pk).update(phone="05 61 00 00 00", opening_hours='Mo-Sa 07:00-19:30; "quoted"')
    data = geojson_export(client, {"category": "restaurant", "territory": "department:34"})
    by_id = {feature["id"]: feature for feature in data["features"]}
    evaluated_at = datetime.fromisoformat(data["opening_evaluated_at"])
    for place_id in [place.pk, *list(by_id)[:50]]:
        feature = by_id[place_id]
        hit = place_detail(place_id=place_id, now=evaluated_at)
        expected = orjson.loads(orjson.dumps(place_properties(hit)))
        got = {k: v for k, v in feature["properties"].items() if k not in EXPORT_ONLY}
        # The same instant; PostgreSQL writes microseconds without trailing zeros.
        assert datetime.fromisoformat(got.pop("updated_at")) == datetime.fromisoformat(expected.pop("updated_at"))
        assert got == expected
        assert list(feature["properties"])[: len(expected) + 1] == [*expected, "updated_at"]  # same order
        assert feature["geometry"] == {"type": "Point", "coordinates": [hit.lon, hit.lat]}  # every digit
    closures = [{"start": "2026-01-01", "end": "2026-01-05", "reason": "inventaire"}]
    assert by_id[place.pk]["properties"]["closures"] == closures
    assert by_id[place.pk]["properties"]["source_id"] == place.source_id


def test_near_and_radius_give_the_search_places_ordered_by_distance(client):
    params = {"category": "restaurant", "near": PARIS_CENTRE, "radius": "250"}
    search = client.get(SEARCH_URL, {**params, "limit": 100}).json()
    assert 5 < search["count"] < 100
    data = geojson_export(client, params)
    assert [f["id"] for f in data["features"]] == [f["id"] for f in search["features"]]
    distances = [f["properties"]["distance_m"] for f in data["features"]]
    assert distances == sorted(distances) and distances[-1] <= 250
    assert data["order"] == "distance_m, id"
    assert [f["properties"]["distance_m"] for f in search["features"]] == distances


def test_the_open_filter_keeps_the_places_open_then(client):
    ids = list(department_places("34", "restaurant").values_list("id", flat=True)[:40])
    Place.objects.filter(id__in=ids[:20]).update(opening_hours="Mo-Sa 07:00-19:30")
    Place.objects.filter(id__in=ids[20:]).update(opening_hours="Su 08:00-12:00")
    data = geojson_export(client, {"category": "restaurant", "territory": "department:34", "open": "2026-11-25T10:00"})
    assert sorted(f["id"] for f in data["features"]) == sorted(ids[:20])
    assert {f["properties"]["opening"]["state"] for f in data["features"]} == {"open"}
    assert data["opening_evaluated_at"] == "2026-11-25T10:00:00+01:00"


def test_csv_opening_columns_follow_hours_department_and_closures(client, monkeypatch):
    # One (opening_hours, département, closures) a batch, so that several batches of
    # statuses are evaluated before the COPY reads them.
    monkeypatch.setattr(stream, "OPENING_KEYS_BATCH", 1)
    herault = list(department_places("34", "restaurant").values_list("id", flat=True)[:6])
    gard = list(department_places("30", "restaurant").values_list("id", flat=True)[:2])
    Place.objects.filter(id__in=herault + gard).update(opening_hours="Mo-Sa 07:00-19:30")
    Place.objects.filter(id__in=herault[:2]).update(opening_hours="Su 08:00-12:00")
    for place_id in herault[2:4]:
        PlaceClosureFactory(place=place_id, start=date(2026, 11, 20), end=date(2026, 11, 30), reason="travaux")
    params = {"category": "restaurant", "territory": "region:76", "open": "2026-11-25T10:00"}
    rows = {int(row["id"]): row for row in csv_export(client, params)}
    assert set(rows) >= set(herault[4:] + gard) and not set(rows) & set(herault[:4])
    assert {rows[i]["opening_label"] for i in herault[4:] + gard} == {"Ouvert · ferme à 19:30"}
    # Without the filter, at the same instant: the closed places too, as the GeoJSON has them.
    query = search_query_from(QueryDict(urlencode({**params, "open": ""})), export=True)
    at = datetime(2026, 11, 25, 10, tzinfo=PARIS)
    body = b"".join(Export(query=query, params={}, fmt="csv", now=at).chunks()).decode()
    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(body, newline=""))}
    features = orjson.loads(b"".join(Export(query=query, params={}, fmt="geojson", now=at).chunks()))["features"]
    features = {f["id"]: f for f in features}
    for place_id in herault + gard:
        opening = features[place_id]["properties"]["opening"]
        assert rows[place_id]["opening_state"] == opening["state"]
        assert rows[place_id]["opening_label"] == opening["label"]
        assert rows[place_id]["opening_next_change"] == (opening["next_change"] or "")
    assert {rows[i]["opening_state"] for i in herault[:4]} == {"closed"}


def test_an_export_knows_a_commune_created_since_the_process_read_the_communes(client):
    commune_names()  # the process's table of communes, read before the new one
    labege = Commune.objects.get(code="31254")
    tarn = Department.objects.get(code="81")
    new = Commune.objects.create(code="99999", name="Nouvelle", department=tarn, geom=labege.geom)
    # The commune of today it makes, and its code, as load_territories writes them.
    today = CurrentCommune.objects.create(
        code="99999", name="Nouvelle", department=tarn, geom=labege.geom, point=labege.geom.point_on_surface,
    )
    today.parts.add(new)
    CommuneCode.objects.create(code="99999", commune=today)
    place = department_places("31").first()
    Place.objects.filter(pk=place.pk).update(commune=new, opening_hours="Mo-Su 00:00-24:00")
    for fmt in ("geojson", "csv"):
        response, body = export(client, fmt, {"territory": "commune:99999", "open": "2026-11-25T10:00"})
        assert response.status_code == 200 and str(place.pk).encode() in body
    feature = geojson_export(client, {"territory": "commune:99999"})["features"][0]
    assert feature["properties"]["department"]["code"] == "81" and feature["properties"]["opening"]["state"] == "open"


def test_status_and_services_filters(client):
    ids = list(department_places("31").values_list("id", flat=True)[:6])
    Place.objects.filter(id__in=ids[:2]).update(status=Place.Status.PERMANENTLY_CLOSED, delivery=True)
    Place.objects.filter(id__in=ids[2:4]).update(status=Place.Status.TEMPORARILY_CLOSED, delivery=True)
    closed = geojson_export(client, {"territory": "department:31", "status": "permanently_closed,temporarily_closed"})
    assert sorted(f["id"] for f in closed["features"]) == sorted(ids[:4])
    delivering = geojson_export(client, {"territory": "department:31", "services": "delivery"})
    assert sorted(f["id"] for f in delivering["features"]) == sorted(ids[2:4])  # permanently closed left out
    params = {"territory": "department:31", "services": "delivery", "include_closed": "true"}
    everything = geojson_export(client, params)
    assert sorted(f["id"] for f in everything["features"]) == sorted(ids[:4])
    # The search takes the same status filter.
    search = client.get(SEARCH_URL, {"near": LABEGE, "status": "permanently_closed", "limit": 100}).json()
    assert {f["id"] for f in search["features"]} == set(ids[:2])


def test_csv_export_flattens_the_same_places(client):
    params = {"category": "restaurant", "territory": "department:34"}
    response, body = export(client, "csv", params)
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    disposition = response["Content-Disposition"]
    assert disposition.endswith('.csv"') and "geofinder-restaurant-department-34-" in disposition
    assert body.startswith(b"id,lon,lat,name,category_slug,category_label,address,") and b"\r\n" in body
    rows = csv_export(client, params)
    features = geojson_export(client, params)["features"]
    assert [int(row["id"]) for row in rows] == [f["id"] for f in features]
    for row, feature in zip(rows, features):
        props = feature["properties"]
        assert [float(row["lon"]), float(row["lat"])] == feature["geometry"]["coordinates"]
        assert row["name"] == props["name"] and row["category_slug"] == props["category"]["slug"]
        assert row["commune_code"] == props["commune"]["code"] and row["region_name"] == props["region"]["name"]
        assert row["opening_state"] == props["opening"]["state"] and row["opening_label"] == props["opening"]["label"]
        assert row["delivery"] == str(props["services"]["delivery"]).lower()
        assert row["updated_at"] == props["updated_at"] and row["source_id"] == props["source_id"]
        assert row["distance_m"] == ""
        assert row["licence"].startswith("Licence Ouverte") and "Alim'confiance" in row["attribution"]


def test_an_export_without_any_filter_is_the_whole_directory(client):
    rows = csv_export(client, {})
    assert len(rows) == Place.objects.exclude(status=Place.Status.PERMANENTLY_CLOSED).count() > 9000


BAD = [
    {"near": "200,43"},
    {"near": LABEGE, "category": "boulangerie,licorne"},
    {"near": LABEGE, "territory": "department:999"},
    {"near": LABEGE, "open": "demain"},
    {"near": LABEGE, "services": "teleportation"},
    {"near": LABEGE, "status": "bankrupt"},
    {"near": LABEGE, "status": "active", "include_closed": "true"},
    {"where": "Zzyzxville-sur-Rien"},
    {"where": "Saint-Martin"},
    {"radius": "-5", "near": LABEGE},
    {"near": LABEGE, "what": "pain", "category": "boulangerie"},
]


@pytest.mark.parametrize("params", BAD, ids=lambda p: ",".join(p))
@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_bad_filters_get_the_same_400_as_the_search(client, fmt, params):
    search = client.get(SEARCH_URL, params)
    response, body = export(client, fmt, params)
    assert search.status_code == response.status_code == 400
    assert orjson.loads(body) == search.json()


def test_a_radius_needs_a_point_and_an_unknown_format_is_404(client):
    response, body = export(client, "geojson", {"radius": "500"})
    assert response.status_code == 400 and "radius" in orjson.loads(body)["errors"]
    assert export(client, "xlsx", {})[0].status_code == 404


def test_the_search_still_requires_a_location(client):
    assert "where" in client.get(SEARCH_URL, {"category": "boulangerie"}).json()["errors"]
