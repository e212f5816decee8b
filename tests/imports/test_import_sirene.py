"""import_sirene on the fixture (fixtures/sirene/: the published geo_siret layout, invented
establishments around Labège), then what the public sees of it through the API and exports."""

import csv
import gzip
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from geopy.distance import geodesic

from geofinder.imports.sirene.layout import GEO_SIRET_HEADER
from geofinder.places.models import Place
from tests.servers import free_port

pytestmark = pytest.mark.django_db

FIXTURE = settings.BASE_DIR / "fixtures" / "sirene" / "geo_siret_31.csv"
PLUMBER, PLUMBER_ESCALQUENS, PLUMBER_TOULOUSE = "99000000100011", "99000000200017", "99000000300014"
NOT_DIFFUSIBLE, PARTIAL, CLOSED = "99000000400010", "99000000500017", "99000000600013"


def _import(tmp_path, *files, name="report.json", **options) -> dict:
    report = tmp_path / name
    call_command("import_sirene", *map(str, files), report=report, no_progress=True, verbosity=0, **options)
    return json.loads(report.read_text())


def _rows(path=FIXTURE) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path, rows, header=GEO_SIRET_HEADER, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=header, delimiter=delimiter, lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_fixture_is_in_the_published_layout():
    with FIXTURE.open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\n").split(",") == GEO_SIRET_HEADER


def test_every_row_is_accounted_for_and_bad_rows_are_rejected_with_their_reason(tmp_path):
    report = _import(tmp_path, FIXTURE)
    assert report["rows_read"] == 17
    assert (report["created"], report["updated"], report["unchanged"], report["merged"]) == (10, 0, 0, 0)
    reasons = {item["row"]: item["reason"] for item in report["rejected"]}
    assert reasons == {
        "line 5": "not diffusible (statutDiffusionEtablissement = 'N')",
        "line 7": "closed (etatAdministratifEtablissement = F)",
        "line 8": "not a public-facing trade: NAF 46.74A "
                  "(Commerce de gros (commerce interentreprises) de quincaillerie)",
        "line 14": "invalid SIRET '12345' (14 digits expected)",
        "line 15": "unreadable coordinates 'abc', '43.53800'",
        "line 16": "activity in another nomenclature than NAF rév. 2 (NAFRev1)",
        "line 17": "outside every commune (at sea, abroad, or no boundary loaded): -3.00000, 45.00000",
    }
    places = Place.objects.filter(source="sirene")
    assert places.count() == 10
    plumber = places.get(source_id=PLUMBER)
    # The sign first, in readable case; the address as a sign would write it.
    assert (plumber.name, plumber.street, plumber.postcode, plumber.city) == (
        "Plomberie Exemple Fictive", "12 Rue de l'Exemple Fictif", "31670", "Labege")
    assert plumber.artisan and plumber.category.slug == "plombier"
    assert set(plumber.secondary_categories.values_list("slug", flat=True)) == {"chauffagiste"}
    assert plumber.extra["naf"] == "43.22A" and plumber.extra["siret"] == PLUMBER
    # No sign: the establishment's usual name; no name at all in a geo_siret file: the trade.
    assert places.get(source_id=PLUMBER_ESCALQUENS).name == "SARL Exemple Sanitaire Fictif"
    assert places.get(source_id=PLUMBER_TOULOUSE).name == "Plombier"
    assert not places.get(source_id=PLUMBER_TOULOUSE).artisan
    # Without coordinates: at the commune's point, said so.
    painter = places.get(source_id="99000001600013")
    assert painter.location_precision == Place.LocationPrecision.COMMUNE and painter.commune.code == "31254"


def test_plumbers_near_labege_nearest_first_with_geodesic_distances(tmp_path, client):
    _import(tmp_path, FIXTURE)
    response = client.get("/api/v1/places/", {"what": "plombier", "where": "Labège"})
    assert response.status_code == 200
    body = response.json()
    features = [f for f in body["features"] if f["properties"]["source"] == "sirene"]
    names = [f["properties"]["name"] for f in features]
    # The partially diffusible plumber, at Labège's point; the one of the fixture's street; the
    # one of Escalquens; the one of Toulouse.
    assert names == ["Plombier", "Plomberie Exemple Fictive", "SARL Exemple Sanitaire Fictif", "Plombier"]
    distances = [f["properties"]["distance_m"] for f in features]
    assert distances == sorted(distances) and distances[-1] > 5000
    origin = (body["where"]["lat"], body["where"]["lon"])
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["properties"]["distance_m"] == pytest.approx(geodesic(origin, (lat, lon)).meters, abs=1.0)
    assert any(licence["source"] == "sirene" for licence in body["licences"])
    assert features[1]["properties"]["artisan"] is True and features[3]["properties"]["artisan"] is False


def test_the_artisan_filter(tmp_path, client):
    _import(tmp_path, FIXTURE)
    artisans = client.get("/api/v1/places/", {"what": "plombier", "where": "Labège", "artisan": "true"}).json()
    assert {f["properties"]["name"] for f in artisans["features"]} == {
        "Plomberie Exemple Fictive", "SARL Exemple Sanitaire Fictif", "Plombier"}
    assert all(f["properties"]["artisan"] for f in artisans["features"])
    assert artisans["filters"]["artisan"] is True
    others = client.get("/api/v1/places/", {"what": "plombier", "where": "Labège", "artisan": "non"}).json()
    assert [f["properties"]["name"] for f in others["features"]] == ["Plombier"]
    assert not others["features"][0]["properties"]["artisan"]
    bad = client.get("/api/v1/places/", {"what": "plombier", "where": "Labège", "artisan": "peut-être"})
    assert bad.status_code == 400 and "artisan" in bad.json()["errors"]
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    parameters = schema["paths"]["/api/v1/places/"]["get"]["parameters"]
    assert any(p["name"] == "artisan" and p["schema"]["type"] == "boolean" for p in parameters)


def _everything_public(client) -> str:
    """What the API and the exports show of the plumbers and the places of Labège."""
    parts = [
        client.get("/api/v1/places/", {"what": "plombier", "where": "Labège", "limit": 100}).content,
        client.get("/api/v1/places/", {"near": "1.5230,43.5395", "limit": 100}).content,
        client.get("/api/v1/export/places.geojson", {"category": "plombier"}).getvalue(),
        client.get("/api/v1/export/places.csv", {"territory": "commune:31254"}).getvalue(),
    ]
    return b"\n".join(parts).decode("utf-8")


def test_a_non_diffusible_establishment_appears_nowhere(tmp_path, client):
    _import(tmp_path, FIXTURE)
    assert not Place.objects.filter(source_id=NOT_DIFFUSIBLE).exists()
    public = _everything_public(client)
    assert "Plomberie Exemple Fictive" in public  # the reads did see the fixture
    for trace in (NOT_DIFFUSIBLE, "Non Diffusible", "NON DIFFUSIBLE", "Secrete Fictive", "SECRETE FICTIVE"):
        assert trace not in public


def test_a_partially_diffusible_establishment_is_at_its_communes_point_without_street_nor_name(tmp_path, client):
    _import(tmp_path, FIXTURE)
    place = Place.objects.get(source_id=PARTIAL)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Distance(ST_PointOnSurface(c.geom)::geography, p.location) FROM places_place p"
            " JOIN territories_commune c ON c.code = '31254' WHERE p.id = %s", [place.pk])
        assert cursor.fetchone()[0] < 0.01
    assert (place.name, place.street, place.postcode) == ("Plombier", "", "")
    assert place.location_precision == Place.LocationPrecision.COMMUNE and place.commune.code == "31254"
    assert place.extra == {"siret": PARTIAL, "naf": "43.22A", "naf_label": place.extra["naf_label"],
                           "diffusion": "partial", "name_from": "category"}
    public = _everything_public(client)
    for trace in ("Plomberie Jean", "PLOMBERIE JEAN", "Privee Fictive", "PRIVEE FICTIVE", "1.5215,", "43.5405,"):
        assert trace not in public


def test_reimporting_the_same_file_writes_nothing(tmp_path):
    _import(tmp_path, FIXTURE)
    before = dict(Place.objects.filter(source="sirene").values_list("source_id", "updated_at"))
    report = _import(tmp_path, FIXTURE, name="again.json")
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 10)
    assert dict(Place.objects.filter(source="sirene").values_list("source_id", "updated_at")) == before


def test_the_register_closing_or_hiding_an_establishment_follows_on_its_place(tmp_path, client):
    _import(tmp_path, FIXTURE)
    rows = _rows()
    for row in rows:
        if row["siret"] == PLUMBER:
            row["etatAdministratifEtablissement"], row["dateDebut"] = "F", "2026-01-31"
        if row["siret"] == PLUMBER_ESCALQUENS:
            row["statutDiffusionEtablissement"] = "N"
    report = _import(tmp_path, _write(tmp_path / "geo_siret_31.csv", rows), name="changed.json")
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 8)
    closed = Place.objects.get(source_id=PLUMBER)
    assert closed.status == Place.Status.PERMANENTLY_CLOSED and closed.extra["closed_since"] == "2026-01-31"
    assert not Place.objects.filter(source_id=PLUMBER_ESCALQUENS).exists()
    assert any(item["reason"] == "not diffusible (statutDiffusionEtablissement = 'N'); its place from an earlier "
               "import is removed" for item in report["rejected"])
    found = client.get("/api/v1/places/", {"what": "plombier", "where": "Labège"}).json()["features"]
    names = {feature["properties"]["name"] for feature in found}
    assert "Plomberie Exemple Fictive" not in names and "SARL Exemple Sanitaire Fictif" not in names


def test_insee_stock_joined_to_its_geolocation_file(tmp_path):
    """A StockEtablissement file (no coordinates; zipped as INSEE publishes it) and INSEE's
    geolocation file (`;`, x_longitude / y_latitude), joined by SIRET."""
    stock_header = GEO_SIRET_HEADER[: GEO_SIRET_HEADER.index("longitude")]
    rows = [row for row in _rows() if row["siret"] in (PLUMBER, PLUMBER_ESCALQUENS, PARTIAL)]
    csv_path = _write(tmp_path / "StockEtablissement_utf8.csv", rows, header=stock_header)
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(csv_path, csv_path.name)
    geo_header = ["siret", "x", "y", "qualite_xy", "epsg", "plg_qp", "plg_iris", "plg_zus", "plg_qva",
                  "plg_code_commune", "distance_precision", "qualite_qp", "qualite_iris", "qualite_zus",
                  "qualite_qva", "y_latitude", "x_longitude"]
    geolocation = _write(tmp_path / "GeolocalisationEtablissement_Sirene_pour_etudes_statistiques_utf8.csv", [
        {"siret": PLUMBER, "epsg": "2154", "plg_code_commune": "31254",
         "y_latitude": "43.5381", "x_longitude": "1.5245"},
        {"siret": PARTIAL, "epsg": "2154", "plg_code_commune": "31254",
         "y_latitude": "43.5405", "x_longitude": "1.5215"},
    ], header=geo_header, delimiter=";")
    report = _import(tmp_path, archive, geolocation=geolocation)
    assert (report["rows_read"], report["created"]) == (3, 3)
    plumber = Place.objects.get(source_id=PLUMBER)
    assert (round(plumber.location.x, 4), round(plumber.location.y, 4)) == (1.5245, 43.5381)
    # Not in the geolocation file: its commune's point; partially diffusible: never its own.
    assert Place.objects.get(source_id=PLUMBER_ESCALQUENS).location_precision == Place.LocationPrecision.COMMUNE
    partial = Place.objects.get(source_id=PARTIAL)
    assert (round(partial.location.x, 4), round(partial.location.y, 4)) != (1.5215, 43.5405)


class _Server:
    """A local HTTP server standing for files.data.gouv.fr: serves the gzipped fixture."""

    def __init__(self):
        body = gzip.compress(FIXTURE.read_bytes())
        self.paths: list[str] = []
        paths = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                paths.append(self.path)
                if self.path != "/geo-sirene/last/dep/geo_siret_31.csv.gz":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def register_server(settings):
    server = _Server()
    settings.GEOFINDER_SIRENE_URL = server.url + "/geo-sirene/last/dep/geo_siret_{department}.csv.gz"
    yield server
    server.close()


def test_department_downloads_the_current_file(tmp_path, settings, register_server):
    settings.GEOFINDER_NETWORK = True
    report = _import(tmp_path, department="31", download_dir=tmp_path / "downloads")
    assert register_server.paths == ["/geo-sirene/last/dep/geo_siret_31.csv.gz"]
    assert (report["rows_read"], report["created"]) == (17, 10)
    assert report["source_file"] == str(tmp_path / "downloads" / "geo_siret_31.csv.gz")


def test_department_needs_the_network_and_a_real_code(tmp_path, settings, register_server):
    settings.GEOFINDER_NETWORK = False
    with pytest.raises(CommandError, match="GEOFINDER_NETWORK=true"):
        _import(tmp_path, department="31", download_dir=tmp_path)
    settings.GEOFINDER_NETWORK = True
    with pytest.raises(CommandError, match="unknown département '99'"):
        _import(tmp_path, department="99", download_dir=tmp_path)
    with pytest.raises(CommandError, match="download failed"):
        _import(tmp_path, department="32", download_dir=tmp_path)  # 404 from the server
    assert register_server.paths == ["/geo-sirene/last/dep/geo_siret_32.csv.gz"]
    assert not list(tmp_path.glob("*.part"))


def test_a_file_without_the_registers_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("siret,nom\n99000000100011,X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        _import(tmp_path, path)


def test_one_import_of_the_register_at_a_time(tmp_path):
    """Another session holding the import lock of source sirene: --no-wait stops with an error."""
    from geofinder.imports.locks import lock_key
    from tests.servers import own_connection

    with own_connection(connection.settings_dict) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [lock_key("sirene")])
        try:
            with pytest.raises(CommandError, match="another import of sirene is running"):
                _import(tmp_path, FIXTURE, no_wait=True)
        finally:
            other.execute("SELECT pg_advisory_unlock(%s)", [lock_key("sirene")])
    assert not Place.objects.filter(source="sirene").exists()


def test_a_places_page_in_the_api_says_it_is_an_artisan(tmp_path, client):
    _import(tmp_path, FIXTURE)
    plumber = Place.objects.get(source_id=PLUMBER)
    body = client.get(f"/api/v1/places/{plumber.pk}/").json()
    assert body["properties"]["artisan"] is True and body["properties"]["name"] == "Plomberie Exemple Fictive"
    other = Place.objects.get(source_id=PLUMBER_TOULOUSE)
    assert client.get(f"/api/v1/places/{other.pk}/").json()["properties"]["artisan"] is False


def test_a_file_broken_midway_leaves_nothing_written(tmp_path, monkeypatch):
    """Batches written before the break are undone with the rest (one transaction)."""
    from geofinder.imports.sirene import importer

    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    broken = tmp_path / "geo_siret_31.csv.gz"
    broken.write_bytes(gzip.compress(FIXTURE.read_bytes())[:-40])  # the gzip stream cut short
    with pytest.raises(CommandError, match="geo_siret_31.csv.gz"):
        _import(tmp_path, broken)
    assert not Place.objects.filter(source="sirene").exists()
