"""import_osm on the real Toulouse pubs extract, in each supported file format.

The .osm, .osm.pbf and Overpass JSON files are written by the tests from the real GeoJSON
extract (same ids, tags and positions), so every reader is tested on real OSM data.
"""

import json

from http.server import BaseHTTPRequestHandler

import osmium
import pytest
from django.core.management import CommandError, call_command

from geofinder.imports.taxonomy import read_osm_exclusions
from geofinder.places.models import Place
from tests.servers import free_port, local_http_server

pytestmark = pytest.mark.django_db

PUBS = "osm/toulouse-pubs_2017-01-11_overpass.geojson"


def _features(data_dir):
    return json.loads((data_dir / PUBS).read_text())["features"]


def _import(tmp_path, path, name="report.json"):
    report = tmp_path / name
    call_command("import_osm", str(path), report=report, no_progress=True, verbosity=0)
    return json.loads(report.read_text())


def _write_osmium(features, path):
    writer = osmium.SimpleWriter(str(path))
    for feature in features:
        osm_id = int(feature["id"].split("/")[1])
        tags = {k: v for k, v in feature["properties"].items() if not k.startswith("@")}
        lon, lat = feature["geometry"]["coordinates"]
        writer.add_node(osmium.osm.mutable.Node(id=osm_id, location=(lon, lat), tags=tags, version=1))
    writer.close()


def _write_overpass(features, path):
    elements = [
        {
            "type": "node",
            "id": int(f["id"].split("/")[1]),
            "lon": f["geometry"]["coordinates"][0],
            "lat": f["geometry"]["coordinates"][1],
            "tags": {k: v for k, v in f["properties"].items() if not k.startswith("@")},
        }
        for f in features
    ]
    path.write_text(json.dumps({"version": 0.6, "elements": elements}))


def test_the_real_geojson_extract_is_imported(tmp_path, data_dir):
    report = _import(tmp_path, data_dir / PUBS)
    assert report["rows_read"] == 51
    assert report["created"] == 51 and report["rejected_count"] == 0
    txus = Place.objects.get(source="osm", source_id="node/304974924")
    assert txus.name == "Txus"
    assert txus.category.slug == "pub"
    assert txus.commune.code == "31555"  # Toulouse
    assert txus.extra.get("amenity") == "pub"


def test_importing_twice_changes_nothing(tmp_path, data_dir):
    _import(tmp_path, data_dir / PUBS, "first.json")
    second = _import(tmp_path, data_dir / PUBS, "second.json")
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 51)
    assert Place.objects.filter(source="osm").count() == 51


@pytest.mark.parametrize("suffix", [".osm", ".osm.pbf", ".json"])
def test_every_file_format_gives_the_same_places(tmp_path, data_dir, suffix):
    features = _features(data_dir)
    path = tmp_path / f"pubs{suffix}"
    if suffix == ".json":
        _write_overpass(features, path)
    else:
        _write_osmium(features, path)
    report = _import(tmp_path, path)
    assert report["created"] == 51
    with_hours = Place.objects.filter(source="osm").exclude(opening_hours="")
    expected = sum(1 for f in features if f["properties"].get("opening_hours"))
    assert with_hours.count() == expected == 3


def test_a_re_import_from_another_format_matches_the_same_places(tmp_path, data_dir):
    _import(tmp_path, data_dir / PUBS, "geojson.json")
    path = tmp_path / "pubs.osm.pbf"
    _write_osmium(_features(data_dir), path)
    report = _import(tmp_path, path, "pbf.json")
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 51)


def test_invalid_opening_hours_are_kept_with_a_warning(tmp_path, data_dir):
    features = _features(data_dir)
    features[0]["properties"]["opening_hours"] = "lundi 8h-12h"
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = _import(tmp_path, path)
    place = Place.objects.get(source="osm", source_id=features[0]["id"])
    assert place.opening_hours == "lundi 8h-12h" and place.opening_hours_warning
    assert any("invalid opening_hours" in w["message"] for w in report["warnings"])


def test_french_forms_of_opening_hours_are_stored_normalised_with_a_warning(tmp_path, data_dir):
    features = _features(data_dir)
    features[0]["properties"]["opening_hours"] = "Mo-Fr 9h-12h, 14h-18h30;"
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = _import(tmp_path, path)
    place = Place.objects.get(source="osm", source_id=features[0]["id"])
    assert place.opening_hours == "Mo-Fr 09:00-12:00,14:00-18:30"
    assert place.opening_hours_warning == ""
    messages = [w["message"] for w in report["warnings"]]
    assert any(
        "read as 'Mo-Fr 09:00-12:00,14:00-18:30'" in message and "hours written as 9h" in message
        for message in messages
    )


def test_features_without_a_known_category_are_rejected_with_their_tags(tmp_path, data_dir):
    features = _features(data_dir)[:3]
    features[0]["properties"]["amenity"] = "parking"  # excluded on purpose (data/osm_exclusions.toml)
    features[1]["properties"]["amenity"] = "unheard_of"  # a gap: no category, no exclusion
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = _import(tmp_path, path)
    why = read_osm_exclusions()["amenity=parking"]
    assert report["rejected"] == [
        {
            "row": features[0]["id"],
            "reason": f"no shop or craft category for tags: amenity=parking (left out on purpose: amenity=parking, {why})",
        },
        {"row": features[1]["id"], "reason": "no shop or craft category for tags: amenity=unheard_of"},
    ]
    assert report["rejection_reasons"] == {"no shop or craft category for tags": 2}


def test_a_point_at_sea_is_rejected_and_reported(tmp_path, data_dir):
    features = _features(data_dir)[:1]
    features[0]["geometry"]["coordinates"] = [-5.0, 45.5]
    path = tmp_path / "sea.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = _import(tmp_path, path)
    assert report["rejected"][0]["reason"].startswith("outside every commune")
    assert not Place.objects.filter(source="osm", source_id=features[0]["id"]).exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.geojson", "{not json", "not valid JSON"),
        ("bad.json", '{"type": "FeatureCollection"}', "not Overpass JSON"),
        ("bad.txt", "", "unknown OSM file type"),
        ("bad.osm", "<osm><node", "unreadable OSM file"),
    ],
)
def test_malformed_files_give_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        _import(tmp_path, path)


def test_a_place_name_needs_network_use(settings):
    settings.GEOFINDER_NETWORK = False
    with pytest.raises(CommandError, match="GEOFINDER_NETWORK=true"):
        call_command("import_osm", place="Labège, France", no_progress=True, verbosity=0)


class _Geocoder(BaseHTTPRequestHandler):
    """A stand-in for Nominatim: knows no place (an empty list), or fails (503) for "Panne"."""

    def do_GET(self):
        status, body = (503, b"down") if "Panne" in self.path else (200, b"[]")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def osmnx_servers(settings, monkeypatch, tmp_path):
    """osmnx pointed at a local geocoder, without its cache; network use on."""
    import osmnx

    settings.GEOFINDER_NETWORK = True
    monkeypatch.setattr(osmnx.settings, "use_cache", False)
    monkeypatch.setattr(osmnx.settings, "cache_folder", str(tmp_path / "osmnx-cache"))
    monkeypatch.setattr(osmnx.settings, "requests_timeout", 5)
    with local_http_server(_Geocoder) as url:
        monkeypatch.setattr(osmnx.settings, "nominatim_url", url + "/")
        monkeypatch.setattr(osmnx.settings, "overpass_url", url + "/api")
        yield url


def test_a_place_name_that_no_geocoder_knows_is_a_clear_error(osmnx_servers):
    with pytest.raises(CommandError, match="--place 'Nulle-Part, France': no such place"):
        call_command("import_osm", place="Nulle-Part, France", no_progress=True, verbosity=0)


def test_a_geocoder_that_fails_or_does_not_answer_is_a_clear_error(osmnx_servers, monkeypatch):
    import osmnx

    with pytest.raises(CommandError, match="--place 'Panne': an OpenStreetMap server answered with an error"):
        call_command("import_osm", place="Panne", no_progress=True, verbosity=0)
    monkeypatch.setattr(osmnx.settings, "nominatim_url", f"http://127.0.0.1:{free_port()}/")  # nothing listens
    with pytest.raises(CommandError, match="--place 'Labège, France': OpenStreetMap's servers did not answer"):
        call_command("import_osm", place="Labège, France", no_progress=True, verbosity=0)
