"""Import a merchant list (CSV) through a column mapping."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from geofinder.imports.command import ImportCommand
from geofinder.imports.csv_import import csv_import
from geofinder.imports.formats.alimconfiance import AlimconfianceFormat
from geofinder.imports.formats.geofinder import GeofinderFormat
from geofinder.imports.report import ImportReport
from geofinder.places.models import Category
from geofinder.places.selectors import alimconfiance_label_categories

FORMATS = {
    "alimconfiance": lambda: AlimconfianceFormat(label_categories=alimconfiance_label_categories()),
    # geofinder's own CSV export (`manage.py export --format csv`, /api/v1/export/places.csv)
    "geofinder": lambda: GeofinderFormat(categories=set(Category.objects.values_list("slug", flat=True))),
}
DEFAULT_FILES = {"alimconfiance": Path("commerces") / "alimconfiance_2017-08-22.csv"}


class Command(ImportCommand):
    help = "Import a merchant list from CSV (idempotent and atomic; ends with a report)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", type=Path, help="CSV file (default: the format's file in GEOFINDER_DATA_DIR)")
        parser.add_argument("--format", choices=sorted(FORMATS), default="alimconfiance", help="Column mapping")

    def run_import(self, **options):
        if options["file"] is None and options["format"] not in DEFAULT_FILES:
            raise CommandError(f"--format {options['format']} needs a FILE")
        path = options["file"] or settings.GEOFINDER_DATA_DIR / DEFAULT_FILES[options["format"]]
        fmt = FORMATS[options["format"]]()
        report = ImportReport(f"import_csv-{fmt.name}", source_file=str(path))
        if fmt.source:  # before reading the file (a geofinder export: each row's own, later)
            self.source_lock(fmt.source)
        csv_import(path=path, fmt=fmt, report=report, progress=self.progress, lock=self.source_lock)
        return [report]
