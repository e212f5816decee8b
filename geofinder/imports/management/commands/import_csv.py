"""Import a merchant list (CSV) through a column mapping."""

from pathlib import Path

from django.conf import settings

from geofinder.imports.command import ImportCommand
from geofinder.imports.csv_import import csv_import
from geofinder.imports.formats.alimconfiance import AlimconfianceFormat
from geofinder.imports.report import ImportReport
from geofinder.places.selectors import alimconfiance_label_categories

FORMATS = {"alimconfiance": lambda: AlimconfianceFormat(label_categories=alimconfiance_label_categories())}
DEFAULT_FILES = {"alimconfiance": Path("commerces") / "alimconfiance_2017-08-22.csv"}


class Command(ImportCommand):
    help = "Import a merchant list from CSV (idempotent and atomic; ends with a report)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", nargs="?", type=Path, help="CSV file (default: the format's file in GEOFINDER_DATA_DIR)")
        parser.add_argument("--format", choices=sorted(FORMATS), default="alimconfiance", help="Column mapping")

    def run_import(self, **options):
        path = options["file"] or settings.GEOFINDER_DATA_DIR / DEFAULT_FILES[options["format"]]
        fmt = FORMATS[options["format"]]()
        report = ImportReport(f"import_csv-{fmt.name}", source_file=str(path))
        csv_import(path=path, fmt=fmt, report=report, progress=self.progress)
        return [report]
