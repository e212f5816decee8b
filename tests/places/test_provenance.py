"""Field-level provenance in the places' write path: imports, merchants' confirmations, history."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.utils import timezone

from geofinder.places.edits import Author, announcement_add, place_create_by_merchant, place_merchant_update
from geofinder.places.models import Place, PlaceSource
from geofinder.places.provenance import MERCHANT, field_source, merchant_fields

pytestmark = pytest.mark.django_db

PUBS = "osm/toulouse-pubs_2017-01-11_overpass.geojson"
TXUS = "node/304974924"
SEARCH = "/api/v1/places/"


def _import(tmp_path, data_dir, name):
    report = tmp_path / name
    call_command("import_osm", str(data_dir / PUBS), report=report, no_progress=True, verbosity=0)
    return json.loads(report.read_text())


@pytest.fixture
def merchant():
    return get_user_model().objects.create_user("patron@example.org", "patron@example.org", "un mot de passe long")


def test_reimport_keeps_the_hours_a_merchant_changed_and_reports_it(tmp_path, data_dir, merchant):
    first = _import(tmp_path, data_dir, "first.json")
    assert first["created"] == 51 and first["kept_merchant_count"] == 0
    txus = Place.objects.get(source="osm", source_id=TXUS)
    osm_hours = txus.opening_hours
    changed = place_merchant_update(place=txus, values={"opening_hours": "Mo-Sa 11:00-23:00; PH off"},
                                    author=Author(merchant.pk))
    assert changed == ["opening_hours"]

    second = _import(tmp_path, data_dir, "second.json")

    txus.refresh_from_db()
    assert txus.opening_hours == "Mo-Sa 11:00-23:00; PH off" != osm_hours
    # Every row accounted for once (the report checks the sum); the merchant's hours kept and said so.
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 51)
    assert second["kept_merchant"] == [{"row": TXUS, "fields": ["opening_hours"]}]
    assert second["kept_merchant_count"] == 1
    source = field_source(provenance=txus.provenance, field="opening_hours", place_source=txus.source,
                          created_at=txus.created_at)
    assert source.source == MERCHANT and source.by == merchant.pk and txus.verified_at == source.at
    # A third import keeps and reports them again: the merchant's places are compared every time.
    third = _import(tmp_path, data_dir, "third.json")
    assert third["kept_merchant"] == [{"row": TXUS, "fields": ["opening_hours"]}]


def test_an_import_update_records_the_source_and_instant_of_each_changed_field(tmp_path, data_dir):
    _import(tmp_path, data_dir, "first.json")
    txus = Place.objects.get(source="osm", source_id=TXUS)
    assert txus.provenance == {}  # created by its source: every field is the source's, of its creation
    assert field_source(provenance={}, field="name", place_source="osm", created_at=txus.created_at).source == "osm"
    Place.objects.filter(pk=txus.pk).update(phone="+33 5 00 00 00 00", content_hash="changed")
    before = timezone.now()

    report = _import(tmp_path, data_dir, "second.json")

    txus.refresh_from_db()
    assert report["updated"] == 1 and report["unchanged"] == 50
    assert set(txus.provenance) == {"phone"}
    assert txus.provenance["phone"]["source"] == "osm"
    assert field_source(provenance=txus.provenance, field="phone", place_source="osm",
                        created_at=txus.created_at).at >= before


def test_a_changed_hash_with_equal_values_is_unchanged(tmp_path, data_dir):
    _import(tmp_path, data_dir, "first.json")
    Place.objects.filter(source="osm", source_id=TXUS).update(content_hash="stale")
    report = _import(tmp_path, data_dir, "second.json")
    assert (report["updated"], report["unchanged"]) == (0, 51)
    assert Place.objects.get(source="osm", source_id=TXUS).content_hash != "stale"


def test_imported_places_have_their_source_with_its_licence(tmp_path, data_dir):
    _import(tmp_path, data_dir, "first.json")
    txus = Place.objects.get(source="osm", source_id=TXUS)
    [record] = PlaceSource.objects.filter(place=txus)
    assert (record.source, record.source_id, record.licence) == ("osm", TXUS, "ODbL 1.0")
    # Places that existed before provenance got theirs from the migration.
    assert not Place.objects.filter(source="alimconfiance", sources__isnull=True).exists()


def test_a_merchant_change_is_in_the_history_with_who_before_and_after(merchant):
    place = Place.objects.filter(source="alimconfiance").first()
    old_phone = place.phone
    place_merchant_update(place=place, values={"phone": "05 61 11 22 33"}, author=Author(merchant.pk))
    records = list(place.history.order_by("history_date"))
    assert len(records) == 2  # the state the import left, then the merchant's change
    baseline, change = records
    assert baseline.history_user is None and "alimconfiance" in baseline.history_change_reason
    assert change.history_user == merchant
    [delta] = [d for d in change.diff_against(baseline).changes if d.field == "phone"]
    assert (delta.old, delta.new) == (old_phone, "05 61 11 22 33")


def test_confirming_a_field_unchanged_makes_it_the_merchants(merchant):
    place = Place.objects.filter(source="alimconfiance").first()
    assert place_merchant_update(place=place, values={"name": place.name}, author=Author(merchant.pk),
                                 confirm=["name"]) == []
    place.refresh_from_db()
    assert merchant_fields(place.provenance) == ["name"] and place.verified_at is not None


def test_verified_filter_and_what_the_merchant_confirmed_in_the_api(client, merchant):
    near = "1.5206,43.5391"  # Labège
    first = client.get(SEARCH, {"category": "boulangerie", "near": near, "limit": 3}).json()["features"]
    assert all(f["properties"]["verified_at"] is None and f["properties"]["merchant_confirmed"] == [] for f in first)
    place = Place.objects.get(pk=first[2]["id"])
    place_merchant_update(place=place, values={"phone": "05 61 11 22 33", "website": "https://boulangerie.example"},
                          author=Author(merchant.pk))
    today = timezone.localdate()
    announcement_add(place=place, kind="promotion", title="Galette", text="Galettes des rois -10 %",
                     start=today - timedelta(days=1), end=today + timedelta(days=1), author=Author(merchant.pk))
    announcement_add(place=place, kind="news", title="Passée", text="fini", start=today - timedelta(days=9),
                     end=today - timedelta(days=1), author=Author(merchant.pk))

    body = client.get(SEARCH, {"category": "boulangerie", "near": near, "verified": "true"}).json()

    assert [f["id"] for f in body["features"]] == [place.pk]
    assert body["filters"]["verified"] is True
    properties = body["features"][0]["properties"]
    assert properties["merchant_confirmed"] == ["phone", "website"]
    assert properties["verified_at"]
    assert [a["title"] for a in properties["announcements"]] == ["Galette"]
    detail = client.get(f"/api/v1/places/{place.pk}/").json()["properties"]
    assert detail["merchant_confirmed"] == ["phone", "website"]
    assert [a["title"] for a in detail["announcements"]] == ["Galette"]


def test_verified_must_be_a_boolean(client):
    response = client.get(SEARCH, {"category": "boulangerie", "near": "1.5206,43.5391", "verified": "maybe"})
    assert response.status_code == 400
    assert "verified" in response.json()["errors"]


def test_a_merchants_new_place_is_its_own_source(merchant):
    place = place_create_by_merchant(
        values={"name": "Boulangerie d'essai", "category": "boulangerie", "location": Point(1.5206, 43.5391),
                "opening_hours": "Mo-Sa 07:00-19:00"},
        author=Author(merchant.pk),
    )
    assert place.source == MERCHANT and place.commune.code == "31254"
    assert set(merchant_fields(place.provenance)) == {"name", "category", "location", "opening_hours"}
    assert PlaceSource.objects.get(place=place).source == MERCHANT
    assert place.history.count() == 1 and place.history.first().history_user == merchant


def test_exports_say_what_the_merchant_confirmed_and_announces(client, merchant):
    from tests.exports.helpers import csv_export, geojson_export

    place = Place.objects.filter(commune__code="31555", category__slug="boulangerie").first()
    place_merchant_update(place=place, values={"phone": "05 61 11 22 33"}, author=Author(merchant.pk),
                          confirm=["opening_hours"])
    today = timezone.localdate()
    announcement_add(place=place, kind="event", title="=Dégustation", text='Samedi "pain" <b>', start=today,
                     end=today, author=Author(merchant.pk))
    announcement_add(place=place, kind="news", title="Finie", text="x", start=today - timedelta(days=3),
                     end=today - timedelta(days=1), author=Author(merchant.pk))
    params = {"category": "boulangerie", "territory": "commune:31555", "verified": "true"}
    [feature] = geojson_export(client, params)["features"]
    properties = feature["properties"]
    assert feature["id"] == place.pk and properties["merchant_confirmed"] == ["phone", "opening_hours"]
    assert properties["verified_at"] and [a["title"] for a in properties["announcements"]] == ["=Dégustation"]
    [row] = csv_export(client, params)
    assert json.loads(row["merchant_confirmed"]) == ["phone", "opening_hours"] and row["verified_at"]
    assert json.loads(row["announcements"])[0]["text"] == 'Samedi "pain" <b>'
    others = geojson_export(client, {"category": "boulangerie", "territory": "commune:31555"})["features"]
    assert all(f["properties"]["announcements"] == [] for f in others if f["id"] != place.pk)
