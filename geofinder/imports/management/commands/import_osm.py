"""Import shops and artisans from OpenStreetMap: a file, or a place name through osmnx."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from geofinder.imports.command import ImportCommand
from geofinder.imports.geofinder_export import export_record, geofinder_geojson, geojson_rows
from geofinder.imports.osm.readers import OsmFeature, Unplaced, read_osm_file, read_osm_place
from geofinder.imports.osm.tags import osm_record
from geofinder.imports.pipeline import places_import, places_import_by_source
from geofinder.imports.report import ImportReport
from geofinder.places.models import Category
from geofinder.places.selectors import osm_tag_categories
from geofinder.places.taxonomy import read_osm_exclusions

SOURCE = "osm"


class Command(ImportCommand):
    help = (
        "Import OpenStreetMap shops, crafts and amenities from a .osm, .osm.pbf, Overpass JSON or "
        "GeoJSON file, or (with GEOFINDER_NETWORK=true) from a place name through osmnx. A GeoJSON "
        "export of geofinder is read back as it was exported (each place under its own source)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", type=Path, help="OSM file")
        parser.add_argument("--place", help='Place name for osmnx, e.g. "Labège, France" (network)')

    def run_import(self, **options):
        if bool(options["file"]) == bool(options["place"]):
            raise CommandError("give either a FILE or --place NAME")
        if options["place"]:
            if not settings.GEOFINDER_NETWORK:
                raise CommandError("--place needs network use: set GEOFINDER_NETWORK=true (Overpass through osmnx)")
            report = ImportReport("import_osm", source_file=f"osmnx:{options['place']}")
            features = read_osm_place(options["place"])
        elif (exported := geofinder_geojson(options["file"])) is not None:
            return [self.geofinder_import(options["file"], exported)]
        else:
            self.source_lock(SOURCE)  # before reading the file
            report = ImportReport("import_osm", source_file=str(options["file"]))
            features = read_osm_file(options["file"], skipped=report.skip)
        self.osm_import(features, report)
        return [report]

    def osm_import(self, features, report: ImportReport) -> None:
        """Every row read ends in the report: placed and categorised rows are imported; a row
        without position or category is rejected with the reason; an element met again (two
        `out` statements of one Overpass query, say) is merged into the first when it is the
        same, else rejected (the first is kept)."""
        tag_categories, excluded = osm_tag_categories(), read_osm_exclusions()
        labels = dict(Category.objects.values_list("slug", "label"))
        candidates = []
        first: dict[str, OsmFeature] = {}
        for feature in self.progress(features, desc="osm"):
            report.rows_read += 1
            if isinstance(feature, Unplaced):
                report.reject(feature.ref, feature.reason)
                continue
            earlier = first.get(feature.ref)
            if earlier is not None:
                row = f"{feature.ref} (again, row {report.rows_read})"
                if earlier == feature:
                    report.merge(row, into=feature.ref)
                else:
                    report.reject(row, f"{feature.ref} appears twice with different tags or positions: the first is kept")
                continue
            first[feature.ref] = feature
            parsed = osm_record(feature, tag_categories=tag_categories, category_labels=labels, excluded=excluded)
            if isinstance(parsed, str):
                report.reject(feature.ref, parsed)
            else:
                candidates.append((feature.ref, parsed))
        places_import(source=SOURCE, candidates=candidates, report=report, lock=self.source_lock)

    def geofinder_import(self, path: Path, data: dict) -> ImportReport:
        """A geofinder GeoJSON export: each place keyed by the source and source id it carries."""
        report = ImportReport("import_osm-geofinder", source_file=str(path))
        categories = set(Category.objects.values_list("slug", flat=True))
        candidates = {}
        for ref, row in self.progress(geojson_rows(path, data), desc="geofinder"):
            report.rows_read += 1
            parsed = export_record(row, categories=categories)
            if isinstance(parsed, str):
                report.reject(ref, parsed)
            elif (parsed[0], parsed[1].source_id) in candidates:
                report.reject(ref, "the same source and source_id as an earlier feature")
            else:
                candidates[parsed[0], parsed[1].source_id] = (ref, parsed[1])
        places_import_by_source(candidates=candidates, report=report, lock=self.source_lock)
        return report
