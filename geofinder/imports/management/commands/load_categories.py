"""Load the French category taxonomy from data/categories.toml."""

from pathlib import Path

from geofinder.imports.command import ImportCommand
from geofinder.imports.report import ImportReport
from geofinder.imports.taxonomy import TAXONOMY_FILE, read_taxonomy
from geofinder.places.services import taxonomy_load


class Command(ImportCommand):
    help = "Load the category families and categories (slugs, labels, synonyms, OSM and Alim'confiance mappings)."
    sources = ("categories",)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--file", type=Path, default=TAXONOMY_FILE, help="Taxonomy TOML file")

    def run_import(self, **options):
        report = ImportReport("categories", source_file=str(options["file"]))
        families, categories = read_taxonomy(options["file"])
        taxonomy_load(families=families, categories=categories, report=report)
        return [report]
