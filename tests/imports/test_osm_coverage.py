"""The taxonomy covers the OSM values of the real files: every shop=*, craft=* and amenity=*
value seen more than MORE_THAN times in the OSM files of GEOFINDER_DATA_DIR is mapped by a
category (data/categories.toml) or left out on purpose with a reason (data/osm_exclusions.toml).

A new extract in the data directory with a common value neither mapped nor excluded fails
here, naming the values: close the gap with a category or an exclusion.
"""

import json

from django.core.management import call_command

from geofinder.imports.osm.coverage import osm_files, osm_tag_counts, taxonomy_gaps
from geofinder.places.taxonomy import read_osm_exclusions, read_taxonomy

# A value seen this many times or fewer may be a one-off or a typo.
MORE_THAN = 2


def _mapped() -> dict[str, str]:
    _families, categories = read_taxonomy()
    return {tag: entry["slug"] for entry in categories for tag in entry["osm"]}


def test_common_values_of_the_real_osm_files_are_mapped_or_excluded(data_dir):
    files = osm_files(data_dir / "osm")
    counts = osm_tag_counts(files)
    assert files and sum(counts.values()) > 0  # the real files were read
    gaps = taxonomy_gaps(counts, mapped=set(_mapped()), excluded=set(read_osm_exclusions()), more_than=MORE_THAN)
    assert gaps == [], f"OSM values seen more than {MORE_THAN} times in {[f.name for f in files]}, neither mapped nor excluded"


def test_a_common_value_neither_mapped_nor_excluded_is_a_gap(tmp_path, data_dir):
    features = json.loads((data_dir / "osm" / "toulouse-pubs_2017-01-11_overpass.geojson").read_text())["features"]
    for feature in features[:3]:
        feature["properties"]["shop"] = "unheard_of"  # three times: not a gap yet
    for feature in features[3:7]:
        feature["properties"]["craft"] = "unheard_of;plumber"  # four times
    for feature in features[7:11]:
        feature["properties"]["amenity"] = "parking"  # excluded on purpose
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    counts = osm_tag_counts([path])
    assert counts["amenity=pub"] == 51 - 4 and counts["craft=plumber"] == 4
    gaps = taxonomy_gaps(counts, mapped=set(_mapped()), excluded=set(read_osm_exclusions()), more_than=MORE_THAN)
    assert gaps == [("craft=unheard_of", 4), ("shop=unheard_of", 3)]


def test_no_tag_is_both_mapped_and_excluded_and_every_exclusion_has_a_reason():
    mapped, excluded = _mapped(), read_osm_exclusions()
    assert set(mapped) & set(excluded) == set()
    assert all(reason.strip() for reason in excluded.values())
    assert mapped["shop=kiosk"] == "tabac-presse"  # kiosks were rejected before


def test_osm_tag_counts_lists_each_value_and_its_treatment(tmp_path, data_dir, capsys):
    features = json.loads((data_dir / "osm" / "toulouse-pubs_2017-01-11_overpass.geojson").read_text())["features"]
    features[0]["properties"]["amenity"] = "bank"
    features[1]["properties"]["amenity"] = "unheard_of"
    path = tmp_path / "pubs.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    call_command("osm_tag_counts", str(path))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["49", "amenity=pub", "mapped:", "pub"]
    assert any("amenity=bank" in line and "excluded: financial" in line for line in lines)
    assert any("amenity=unheard_of" in line and "GAP" in line for line in lines)
