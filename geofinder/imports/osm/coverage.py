"""How far the taxonomy covers the OSM values of real files.

The `shop=*`, `craft=*` and `amenity=*` values of every row of some OSM files are counted (a
value list "a;b" counts each); a value is *mapped* when a category of data/categories.toml
claims it, *excluded* when data/osm_exclusions.toml leaves it out with a reason, and a *gap*
otherwise. tests/imports/test_osm_coverage.py fails on the gaps seen in the real files of
GEOFINDER_DATA_DIR; `manage.py osm_tag_counts FILE…` lists the values of any extract.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from geofinder.imports.osm.readers import read_osm_file

COVERED_KEYS = ("shop", "craft", "amenity")
OSM_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz", ".geojson", ".geojson.gz", ".json", ".json.gz")


def osm_files(directory: Path) -> list[Path]:
    """The files of `directory` (and below) that import_osm reads, in name order."""
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name.lower().endswith(OSM_SUFFIXES))


def osm_tag_counts(paths: Iterable[Path]) -> Counter[str]:
    """How many rows of these files carry each shop/craft/amenity "key=value" tag (placed or
    not: a shop the reader cannot place is still a shop of the file)."""
    counts: Counter[str] = Counter()
    for path in paths:
        for row in read_osm_file(path):
            for key in COVERED_KEYS:
                for value in row.tags.get(key, "").split(";"):
                    if value.strip():
                        counts[f"{key}={value.strip()}"] += 1
    return counts


def taxonomy_gaps(counts: Counter[str], *, mapped: set[str], excluded: set[str], more_than: int) -> list[tuple[str, int]]:
    """(tag, count) of the tags seen more than `more_than` times that are neither mapped nor
    excluded, most frequent first."""
    gaps = [(tag, n) for tag, n in counts.items() if n > more_than and tag not in mapped and tag not in excluded]
    return sorted(gaps, key=lambda item: (-item[1], item[0]))
