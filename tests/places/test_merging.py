"""One establishment, one place (geofinder/places/merging.py): the same bakery in the SIRENE
register, Alim'confiance and OpenStreetMap is one place with three sources; split_place takes
them apart; unchanged files write nothing.

The bakery is the invented one of fixtures/sirene/geo_siret_31.csv (SIRET 99000000800016, "…
EXEMPLE FICTIVE …", Labège); its Alim'confiance row and OSM node are written here in their
sources' real layouts (the header of the real Alim'confiance file), invented alike."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from geofinder.places.models import Place, PlaceSource
from geofinder.places.provenance import MERCHANT
from tests.exports.helpers import csv_export, geojson_export

pytestmark = pytest.mark.django_db

SIRENE = settings.BASE_DIR / "fixtures" / "sirene" / "geo_siret_31.csv"
SIRET = "99000000800016"
LABEGE = "1.5200,43.5390"


def _alimconfiance_file(data_dir, tmp_path):
    """The real file's header, one invented row: the bakery, 6 m from SIRENE's point."""
    with open(data_dir / "commerces" / "alimconfiance_2017-08-22.csv", encoding="utf-8", newline="") as real:
        header = next(csv.reader(real))
    values = {
        "APP_Libelle_activite_etablissement": "Boulangerie-Pâtisserie",
        "APP_Libelle_etablissement": "BOULANGERIE EXEMPLE FICTIVE DU CHATEAU",
        "ods_adresse": "2 place de l'Exemple Fictif", "Code_postal": "31670", "Libelle_commune": "Labège",
        "Date_inspection": "2017-06-01T02:00:00+02:00", "Synthese_eval_sanit": "Très satisfaisant",
        "geores": "43.53905, 1.52003", "filtre": "Boulangerie-Pâtisserie", "Numero_inspection": "17-999999-1",
        "SIRET": SIRET,
    }
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow([values.get(name, "") for name in header])
    path = tmp_path / "alimconfiance.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _osm_file(tmp_path, *extra_nodes):
    """An Overpass GeoJSON export: the bakery, 11 m away, with hours and a phone (no SIRET)."""
    nodes = [("node/9900000001", 1.52010, 43.53892, {"shop": "bakery", "name": "Boulangerie Exemple Fictive du Château",
                                                     "opening_hours": "Tu-Su 07:00-13:00", "phone": "+33 5 61 00 00 01"}),
             *extra_nodes]
    features = [
        {"type": "Feature", "id": ref, "properties": {"@id": ref, **tags},
         "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        for ref, lon, lat, tags in nodes
    ]
    path = tmp_path / "osm.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "generator": "overpass-turbo", "features": features}))
    return path


def _run(command, tmp_path, path, name, **options) -> dict:
    report = tmp_path / f"{name}.json"
    call_command(command, str(path), report=report, no_progress=True, verbosity=0, **options)
    return json.loads(report.read_text())


@pytest.fixture
def three_sources(data_dir, tmp_path):
    """The bakery imported from SIRENE, then Alim'confiance, then OSM: the reports."""
    files = {
        "sirene": ("import_sirene", SIRENE),
        "alimconfiance": ("import_csv", _alimconfiance_file(data_dir, tmp_path)),
        "osm": ("import_osm", _osm_file(tmp_path)),
    }
    reports = {name: _run(command, tmp_path, path, name) for name, (command, path) in files.items()}
    return files, reports


def _bakery() -> Place:
    return Place.objects.get(source="sirene", source_id=SIRET)


def test_the_same_bakery_from_three_sources_is_one_place(three_sources, client):
    _files, reports = three_sources
    bakery = _bakery()
    assert [(ps.source, ps.matched_by) for ps in bakery.sources.order_by("id")] == [
        ("sirene", ""), ("alimconfiance", "siret"), ("osm", "name_distance")]
    assert bakery.joined
    assert reports["alimconfiance"]["merged"] == 1 and reports["alimconfiance"]["created"] == 0
    assert reports["alimconfiance"]["joined"][0]["matched_by"] == "siret"
    osm = reports["osm"]["joined"][0]
    assert osm["place_id"] == bakery.pk and settings.GEOFINDER_MERGE_THRESHOLD <= osm["confidence"] < 1
    # OpenStreetMap first for hours and phone; the register's name stays (the place's own).
    assert (bakery.opening_hours, bakery.phone) == ("Tu-Su 07:00-13:00", "+33 5 61 00 00 01")
    assert bakery.provenance["opening_hours"]["source"] == "osm"
    assert bakery.name == Place.objects.get(pk=bakery.pk).name and "Fictive" in bakery.name
    assert not Place.objects.filter(source__in=["osm", "alimconfiance"], source_id__in=["node/9900000001"]).exists()

    found = client.get("/api/v1/places/", {"what": "boulangerie", "near": LABEGE, "limit": 10}).json()["features"]
    assert [f["id"] for f in found].count(bakery.pk) == 1
    assert not [f for f in found if "Fictive" in f["properties"]["name"] and f["id"] != bakery.pk]
    sources = client.get(f"/api/v1/places/{bakery.pk}/").json()["properties"]["sources"]
    assert [(s["source"], s["source_id"]) for s in sources] == [
        ("sirene", SIRET), ("alimconfiance", f"{SIRET}-31670"), ("osm", "node/9900000001")]
    assert all(s["licence"] for s in sources)
    # The exports list the sources merged into it besides its own (source, source_id).
    exported = geojson_export(client, {"territory": "commune:31254"})["features"]
    bakery_feature = next(f for f in exported if f["id"] == bakery.pk)["properties"]
    assert (bakery_feature["source"], bakery_feature["source_id"]) == ("sirene", SIRET)
    assert [(m["source"], m["source_id"]) for m in bakery_feature["merged_sources"]] == [
        ("alimconfiance", f"{SIRET}-31670"), ("osm", "node/9900000001")]
    others = [f["properties"]["merged_sources"] for f in exported if f["id"] != bakery.pk]
    assert others and all(merged == [] for merged in others)
    rows = {row["id"]: row for row in csv_export(client, {"territory": "commune:31254"})}
    assert [m["source"] for m in json.loads(rows[str(bakery.pk)]["merged_sources"])] == ["alimconfiance", "osm"]


def test_reimporting_the_unchanged_files_writes_nothing(three_sources, tmp_path):
    files, _ = three_sources
    for name, (command, path) in files.items():
        report = _run(command, tmp_path, path, f"{name}-again")
        assert (report["created"], report["updated"], report["merged"]) == (0, 0, 0), name
        assert report["unchanged"] > 0


def test_split_place_separates_them_again_and_the_files_stay_apart(three_sources, tmp_path):
    files, _ = three_sources
    bakery = _bakery()
    call_command("split_place", str(bakery.pk), verbosity=0)
    bakery.refresh_from_db()
    assert [ps.source for ps in bakery.sources.all()] == ["sirene"] and not bakery.joined
    # The fields OSM set come back from the remaining sources: the register has no hours.
    assert (bakery.opening_hours, bakery.phone) == ("", "")
    assert "opening_hours" not in bakery.provenance
    osm = Place.objects.get(source="osm", source_id="node/9900000001")
    assert (osm.opening_hours, osm.phone, osm.category.slug) == ("Tu-Su 07:00-13:00", "+33 5 61 00 00 01", "boulangerie")
    assert PlaceSource.objects.get(source="osm", source_id="node/9900000001").place == osm
    assert Place.objects.filter(source="alimconfiance", source_id=f"{SIRET}-31670").exists()
    for name, (command, path) in files.items():
        report = _run(command, tmp_path, path, f"{name}-after-split")
        assert (report["created"], report["updated"], report["merged"]) == (0, 0, 0), name


def test_split_place_names_what_cannot_be_split(three_sources):
    osm_free = Place.objects.filter(source="alimconfiance").exclude(joined=True).first()
    with pytest.raises(CommandError, match="has no joined source"):
        call_command("split_place", str(osm_free.pk), verbosity=0)
    with pytest.raises(CommandError, match="no place 0"):
        call_command("split_place", "0", verbosity=0)


def test_a_different_shop_nearby_is_not_merged(data_dir, tmp_path):
    _run("import_sirene", tmp_path, SIRENE, "sirene")
    other = ("node/9900000002", 1.52030, 43.53900, {"shop": "bakery", "name": "Au Fournil de Marie (exemple)"})
    report = _run("import_osm", tmp_path, _osm_file(tmp_path, other), "osm")
    assert report["merged"] == 1  # the bakery itself
    assert Place.objects.get(source="osm", source_id="node/9900000002").sources.count() == 1


def test_a_merchants_value_stays_whatever_the_sources_say(three_sources, tmp_path):
    files, _ = three_sources
    bakery = _bakery()
    provenance = {**bakery.provenance, "opening_hours": {"source": MERCHANT, "at": "2026-01-01T00:00:00+00:00"}}
    Place.objects.filter(pk=bakery.pk).update(opening_hours="Mo-Sa 06:30-19:30", provenance=provenance)
    command, _ = files["osm"]
    path = _osm_file(tmp_path)
    data = json.loads(path.read_text())
    data["features"][0]["properties"]["opening_hours"] = "Tu-Su 08:00-12:00"
    path.write_text(json.dumps(data))
    report = _run(command, tmp_path, path, "osm-changed")
    assert report["updated"] == 1
    assert report["kept_merchant"] == [{"row": "node/9900000001", "fields": ["opening_hours"]}]
    assert Place.objects.get(pk=bakery.pk).opening_hours == "Mo-Sa 06:30-19:30"


def test_a_place_written_before_sources_were_kept_is_joined_and_split_whole(tmp_path):
    """A place without a PlaceSource of its own (written before they were kept) gets one when a
    source joins it, so that a split gives it back every value it had."""
    from tests.factories import PlaceFactory

    legacy = PlaceFactory(name="Boulangerie Exemple Fictive du Château", lon=1.52012, lat=43.53893,
                          phone="05 61 99 99 99", source="test", source_id="legacy-1")
    assert not PlaceSource.objects.filter(place=legacy).exists()
    report = _run("import_osm", tmp_path, _osm_file(tmp_path), "osm")
    assert report["joined"] == [{"row": "node/9900000001", "place_id": legacy.pk, "matched_by": "name_distance",
                                 "confidence": report["joined"][0]["confidence"]}]
    legacy.refresh_from_db()
    assert (legacy.phone, legacy.opening_hours) == ("+33 5 61 00 00 01", "Tu-Su 07:00-13:00")  # OSM first
    call_command("split_place", str(legacy.pk), verbosity=0)
    legacy.refresh_from_db()
    assert (legacy.phone, legacy.opening_hours, legacy.status) == ("05 61 99 99 99", "", Place.Status.ACTIVE)
    assert [ps.source for ps in legacy.sources.all()] == ["test"]
