"""Every row is accounted for: rows read = created + updated + unchanged + merged + rejected,
for every importer and format, on the real files of GEOFINDER_DATA_DIR and on hand-made rows
for the edge cases (ways without `center`, relations, untagged nodes, duplicates).

The invariant is also enforced by ImportReport.finish(), which every import command calls
before committing: a report that does not add up undoes its import (last test).
"""

import csv
import json

import osmium
import pytest
import shapely
from django.core.management import CommandError, call_command

from geofinder.imports.report import ImportReport
from geofinder.places.models import Category, Place
from geofinder.territories.models import Commune

pytestmark = pytest.mark.django_db

PUBS = "osm/toulouse-pubs_2017-01-11_overpass.geojson"
ALIM = "commerces/alimconfiance_2017-08-22.csv"

# Hand-made elements in central Toulouse (lon, lat), added to the 51 real pubs.
NODES = {
    # an L-shaped bakery building: its centroid-free point must fall inside the L
    9001: (1.4400, 43.6000), 9002: (1.4420, 43.6000), 9003: (1.4420, 43.6005),
    9004: (1.4405, 43.6005), 9005: (1.4405, 43.6020), 9006: (1.4400, 43.6020),
    # a plumber's open way, and the square outline of a supermarket multipolygon
    9011: (1.4500, 43.6050), 9012: (1.4520, 43.6060),
    9021: (1.4300, 43.5900), 9022: (1.4320, 43.5900), 9023: (1.4320, 43.5920), 9024: (1.4300, 43.5920),
}
L_SHAPE = [9001, 9002, 9003, 9004, 9005, 9006, 9001]
WAYS = {
    8001: (L_SHAPE, {"shop": "bakery", "name": "Boulangerie en L"}),
    8002: ([9011, 9012], {"craft": "plumber", "name": "Plomberie linéaire"}),
    8003: ([9001, 9999], {"shop": "books", "name": "Librairie sans nœud"}),  # node 9999 is not in the file
    8004: ([9021, 9022, 9023, 9024, 9021], {}),  # outline of relation 7001
}
RELATIONS = {
    7001: ([("w", 8004, "outer")], {"type": "multipolygon", "shop": "supermarket", "name": "Marché carré"}),
    7002: ([("w", 8999, "outer")], {"type": "multipolygon", "shop": "supermarket", "name": "Sans membres"}),
}
EXTRA_NODES = [  # tagged nodes: a kiosk (once without category), a parking (excluded on purpose)
    (9101, (1.4450, 43.6040), {"shop": "kiosk", "name": "Kiosque du Capitole"}),
    (9102, (1.4460, 43.6041), {"amenity": "parking"}),
]
# Outcome of the 51 pubs + the elements above + a pub repeated as it is + a pub repeated changed.
EXPECTED = {"rows_read": 60, "created": 55, "merged": 1, "rejected_count": 4}
REJECTED = {
    "way/8003": "1 of its 2 nodes are not in the file",
    "relation/7002": "",
    "node/9102": "left out on purpose: amenity=parking",
}


def _report(tmp_path, command, *args, name="report.json", **options):
    path = tmp_path / name
    call_command(command, *[str(a) for a in args], report=path, no_progress=True, verbosity=0, **options)
    return json.loads(path.read_text())


def assert_accounted(report):
    outcomes = report["created"] + report["updated"] + report["unchanged"] + report["merged"] + report["rejected_count"]
    assert report["rows_read"] > 0
    assert outcomes == report["rows_read"], report
    assert report["rejected_count"] == len(report["rejected"])


def _pubs(data_dir):
    return json.loads((data_dir / PUBS).read_text())["features"]


def _pub_nodes(data_dir):
    """(id, (lon, lat), tags) of the real pubs."""
    return [
        (int(f["id"].split("/")[1]), tuple(f["geometry"]["coordinates"]),
         {k: v for k, v in f["properties"].items() if not k.startswith("@")})
        for f in _pubs(data_dir)
    ]


def _all_nodes(data_dir):
    """Every tagged node: the pubs, a pub again as it is, a pub again changed, the extras."""
    pubs = _pub_nodes(data_dir)
    again = pubs[0]
    changed = (pubs[1][0], pubs[1][1], {**pubs[1][2], "name": "Autre nom"})
    return [*pubs, again, changed, *EXTRA_NODES]


def _write_osmium(data_dir, path):
    """The elements as an OSM file (XML or PBF, from the suffix): nodes, then ways, then relations."""
    writer = osmium.SimpleWriter(str(path))
    nodes = [(osm_id, location, {}) for osm_id, location in NODES.items()] + _all_nodes(data_dir)
    for osm_id, location, tags in sorted(nodes, key=lambda n: n[0]):
        writer.add_node(osmium.osm.mutable.Node(id=osm_id, location=location, tags=tags, version=1))
    for osm_id, (refs, tags) in WAYS.items():
        writer.add_way(osmium.osm.mutable.Way(id=osm_id, nodes=refs, tags=tags, version=1))
    for osm_id, (members, tags) in RELATIONS.items():
        writer.add_relation(osmium.osm.mutable.Relation(id=osm_id, members=members, tags=tags, version=1))
    writer.close()


def _write_overpass(data_dir, path):
    """The elements as Overpass JSON of `out body; >; out skel;`: ways and relations without
    `center`, their untagged nodes and ways alongside."""
    elements = [{"type": "node", "id": i, "lon": lon, "lat": lat, "tags": tags} for i, (lon, lat), tags in _all_nodes(data_dir)]
    elements += [{"type": "way", "id": i, "nodes": refs, "tags": tags} for i, (refs, tags) in WAYS.items()]
    elements += [
        {"type": "relation", "id": i, "members": [{"type": "way", "ref": ref, "role": role} for _, ref, role in members], "tags": tags}
        for i, (members, tags) in RELATIONS.items()
    ]
    elements += [{"type": "node", "id": i, "lon": lon, "lat": lat} for i, (lon, lat) in NODES.items()]
    path.write_text(json.dumps({"version": 0.6, "elements": elements}))


@pytest.mark.parametrize("suffix", [".json", ".osm", ".osm.pbf"])
def test_osm_files_place_ways_and_relations_and_account_for_every_row(tmp_path, data_dir, suffix):
    path = tmp_path / f"toulouse{suffix}"
    (_write_overpass if suffix == ".json" else _write_osmium)(data_dir, path)
    report = _report(tmp_path, "import_osm", path)

    assert_accounted(report)
    assert {k: report[k] for k in EXPECTED} == EXPECTED
    reasons = {item["row"]: item["reason"] for item in report["rejected"]}
    for row, reason in REJECTED.items():
        assert reason in reasons[row], (row, reasons)
    changed = [row for row in reasons if "again" in row]
    assert len(changed) == 1 and "appears twice with different tags" in reasons[changed[0]]
    # the untagged nodes and the outline way are not rows, and are said so
    assert sum(report["skipped"].values()) >= len(NODES)

    osm = Place.objects.filter(source="osm")
    bakery = osm.get(source_id="way/8001")
    assert bakery.category.slug == "boulangerie"
    l_shape = shapely.Polygon([NODES[ref] for ref in L_SHAPE])
    assert l_shape.contains(shapely.Point(bakery.location.x, bakery.location.y))
    plumber = osm.get(source_id="way/8002")
    line = shapely.LineString([NODES[9011], NODES[9012]])
    assert line.distance(shapely.Point(plumber.location.x, plumber.location.y)) < 1e-9
    supermarket = osm.get(source_id="relation/7001")
    assert supermarket.category.slug == "supermarche" and supermarket.commune.code == "31555"
    assert osm.get(source_id="node/9101").category.slug == "tabac-presse"  # shop=kiosk
    changed_pub = _pub_nodes(data_dir)[1][0]
    assert osm.get(source_id=f"node/{changed_pub}").name != "Autre nom"  # the first is kept


def test_the_real_geojson_extract_and_hand_made_features_are_accounted_for(tmp_path, data_dir):
    features = _pubs(data_dir)
    square = [[1.4300, 43.5900], [1.4320, 43.5900], [1.4320, 43.5920], [1.4300, 43.5920], [1.4300, 43.5900]]
    features += [
        dict(features[0]),  # the same feature again: merged
        {"type": "Feature", "id": "way/8101", "properties": {"@id": "way/8101", "shop": "florist"},
         "geometry": {"type": "Polygon", "coordinates": [square]}},
        {"type": "Feature", "properties": {"shop": "bakery"}, "geometry": {"type": "Point", "coordinates": [1.44, 43.6]}},
        {"type": "Feature", "id": "node/8102", "properties": {"@id": "node/8102", "shop": "bakery"}, "geometry": None},
        {"type": "Feature", "id": "node/8103", "properties": {"@id": "node/8103", "highway": "bus_stop"},
         "geometry": {"type": "Point", "coordinates": [1.44, 43.6]}},
    ]
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = _report(tmp_path, "import_osm", path)

    assert_accounted(report)
    assert (report["rows_read"], report["created"], report["merged"], report["rejected_count"]) == (55, 52, 1, 2)
    reasons = {item["row"]: item["reason"] for item in report["rejected"]}
    assert reasons["feature 54"].startswith("no OSM id")
    assert "no usable geometry" in reasons["node/8102"]
    assert report["skipped"] == {"elements without a shop, craft, amenity, healthcare or office tag": 1}
    florist = Place.objects.get(source="osm", source_id="way/8101")
    assert shapely.Polygon(square).contains(shapely.Point(florist.location.x, florist.location.y))


def test_an_element_merged_into_a_rejected_one_is_rejected_with_it(tmp_path, data_dir):
    pub = _pubs(data_dir)[0]
    pub["geometry"]["coordinates"] = [-5.0, 45.5]  # at sea
    path = tmp_path / "sea.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [pub, pub]}))
    report = _report(tmp_path, "import_osm", path)
    assert_accounted(report)
    assert (report["merged"], report["rejected_count"]) == (0, 2)
    assert report["rejected"][1]["reason"].startswith(f"merged into {pub['id']}, which was rejected: outside every commune")


def _alim_rows(data_dir):
    with open(data_dir / ALIM, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def test_alimconfiance_rows_of_one_place_are_merged_and_rejected_together(tmp_path, data_dir):
    header, rows = _alim_rows(data_dir)
    head = rows[:40]
    seen = {(r["SIRET"], r["Code_postal"]) for r in head}
    restaurants = [
        r for r in rows[5000:]
        if r["APP_Libelle_activite_etablissement"] == "Restaurant" and r["geores"] and r["SIRET"]
        and (r["SIRET"], r["Code_postal"]) not in seen
    ]
    kept, at_sea = restaurants[0], dict(restaurants[1])
    at_sea["geores"] = "45.5, -5.0"
    path = tmp_path / "alim.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows([*head, kept, kept, at_sea, at_sea, at_sea])
    report = _report(tmp_path, "import_csv", path)
    assert_accounted(report)
    assert report["rows_read"] == 45 and report["merged"] >= 1  # `kept` again, at least

    sea = [item for item in report["rejected"] if item["reason"].startswith("outside every commune")]
    assert len(sea) == 1 and sea[0]["reason"].endswith("-5.00000, 45.50000")
    with_it = [item for item in report["rejected"] if item["reason"].startswith(f"merged into {sea[0]['row']}, which was rejected")]
    assert len(with_it) == 2
    place = Place.objects.get(source="alimconfiance", source_id=f"{kept['SIRET']}-{kept['Code_postal']}")
    assert place.name == kept["APP_Libelle_etablissement"]


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_geofinder_exports_read_back_are_accounted_for_duplicates_included(tmp_path, data_dir, fmt):
    _report(tmp_path, "import_osm", data_dir / PUBS, name="pubs.json")
    path = tmp_path / f"export.{fmt}"
    call_command("export", format=fmt, out=path, territory="department:31", no_progress=True, verbosity=0)
    if fmt == "csv":
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.append(lines[1])  # the first place again
        path.write_text("".join(lines), encoding="utf-8")
        report = _report(tmp_path, "import_csv", path, format="geofinder")
        assert report["merged"] == 1
    else:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["features"].append(data["features"][0])
        path.write_text(json.dumps(data), encoding="utf-8")
        report = _report(tmp_path, "import_osm", path)
        assert report["rejected"][-1]["reason"] == "the same source and source_id as an earlier feature"
    assert_accounted(report)
    assert report["rows_read"] > 60 and report["unchanged"] == report["rows_read"] - 1


def test_load_categories_is_accounted_for(tmp_path):
    report = _report(tmp_path, "load_categories")
    assert_accounted(report)
    assert report["rows_read"] == Category.objects.count()


def test_load_territories_rejects_a_repeated_code_and_accounts_for_every_row(tmp_path, data_dir, small_territory):
    regions = json.loads((data_dir / "boundaries" / "regions.geojson").read_text())
    occitanie = next(f for f in regions["features"] if f["properties"]["code"] == "76")
    departments = json.loads((data_dir / "boundaries" / "departements.geojson").read_text())
    haute_garonne = next(f for f in departments["features"] if f["properties"]["code"] == "31")
    communes = json.loads(small_territory["communes"].read_text())  # Haute-Garonne's among them
    labege = next(f for f in communes["features"] if f["properties"]["code"] == "31254")
    files = {}
    for name, features in (("regions", [occitanie, occitanie]), ("departments", [haute_garonne]), ("communes", [labege, labege])):
        files[name] = tmp_path / f"{name}.geojson"
        files[name].write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    postcodes = (data_dir / "postal" / "laposte_hexasmal_2022.csv").read_text(encoding="utf-8").splitlines()
    labege_line = next(line for line in postcodes if line.startswith("31254;"))
    files["postcodes"] = tmp_path / "postcodes.csv"
    files["postcodes"].write_text("\n".join([postcodes[0], labege_line, labege_line]) + "\n", encoding="utf-8")

    call_command("load_territories", **files, report=tmp_path / "t.json", no_progress=True, verbosity=0)
    for name in ("regions", "departments", "communes", "postcodes"):
        report = json.loads((tmp_path / f"t-{name}.json").read_text())
        assert_accounted(report)
        assert report["unchanged"] == 1, name
        assert report["rejected_count"] == (0 if name == "departments" else 1), name
    communes_report = json.loads((tmp_path / "t-communes.json").read_text())
    assert communes_report["rejected"][0]["reason"] == "duplicate code 31254: feature 1 (31254 Labège) has it already"
    assert Commune.objects.filter(code="31254").count() == 1


def test_a_report_that_does_not_add_up_undoes_its_import(tmp_path, data_dir, monkeypatch):
    # An importer bug that loses rows: rejections no longer reach the report.
    monkeypatch.setattr(ImportReport, "reject", lambda self, row, reason: None)
    features = _pubs(data_dir)[:3]
    features[0]["properties"]["amenity"] = "parking"
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(CommandError, match=r"import_osm: 3 rows read but 2 accounted for"):
        call_command("import_osm", str(path), no_progress=True, verbosity=0)
    assert not Place.objects.filter(source="osm", source_id__in=[f["id"] for f in features]).exists()
