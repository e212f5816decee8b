"""List the shop, craft and amenity values of OSM files, and how the taxonomy treats each."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geofinder.imports.errors import SourceError
from geofinder.imports.osm.coverage import osm_tag_counts
from geofinder.places.taxonomy import read_osm_exclusions, read_taxonomy


class Command(BaseCommand):
    help = (
        "Count the shop=*, craft=* and amenity=* values of OSM files (.osm, .osm.pbf, Overpass JSON, "
        "GeoJSON) and say of each whether a category maps it, it is excluded on purpose "
        "(data/osm_exclusions.toml), or it is a gap of the taxonomy. Reads the files only."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="OSM files")
        parser.add_argument("--min", type=int, default=1, help="List values seen at least this many times (default 1)")

    def handle(self, *args, **options):
        try:
            _families, categories = read_taxonomy()
            excluded = read_osm_exclusions()
            counts = osm_tag_counts(options["files"])
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        mapped = {tag: entry["slug"] for entry in categories for tag in entry["osm"]}
        for tag, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            if count < options["min"]:
                continue
            if tag in mapped:
                status = f"mapped: {mapped[tag]}"
            elif tag in excluded:
                status = f"excluded: {excluded[tag]}"
            else:
                status = "GAP: neither mapped nor excluded"
            self.stdout.write(f"{count:>8}  {tag:<40} {status}")
