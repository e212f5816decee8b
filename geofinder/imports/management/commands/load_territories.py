"""Load régions, départements, communes and postcodes from the data directory."""

from pathlib import Path

from django.conf import settings

from geofinder.imports.boundaries import territory_rows
from geofinder.imports.command import ImportCommand
from geofinder.imports.postal import postal_rows
from geofinder.imports.report import ImportReport
from geofinder.imports.sources import read_features
from geofinder.territories.models import Commune, Department, PostalCode, Region
from geofinder.territories.services import rows_upsert

TERRITORY_FIELDS = ["name", "geom", "source_hash"]
POSTAL_FIELDS = ["commune", "name", "delivery_label", "point", "source_hash"]


class Command(ImportCommand):
    help = (
        "Load régions, départements, communes (France-wide, 2018) and postcodes into PostGIS. "
        "Idempotent and atomic; ends with a report per level."
    )
    sources = ("territories",)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--data-dir", type=Path, help="Defaults to GEOFINDER_DATA_DIR")
        parser.add_argument("--regions", type=Path, help="Default: boundaries/regions.geojson")
        parser.add_argument("--departments", type=Path, help="Default: boundaries/departements.geojson")
        parser.add_argument("--communes", type=Path, help="Default: boundaries/communes-france-2018.geojson.gz")
        parser.add_argument("--postcodes", type=Path, help="Default: postal/laposte_hexasmal_2022.csv")

    def run_import(self, **options):
        data_dir = options["data_dir"] or settings.GEOFINDER_DATA_DIR
        path = {
            "regions": options["regions"] or data_dir / "boundaries" / "regions.geojson",
            "departments": options["departments"] or data_dir / "boundaries" / "departements.geojson",
            "communes": options["communes"] or data_dir / "boundaries" / "communes-france-2018.geojson.gz",
            "postcodes": options["postcodes"] or data_dir / "postal" / "laposte_hexasmal_2022.csv",
        }
        reports = [
            self._load(Region, "regions", path["regions"]),
            self._load(Department, "departments", path["departments"], "region_id", "code_region", Region),
            self._load(Commune, "communes", path["communes"], "department_id", "code_departement", Department),
        ]
        reports.append(self._load_postcodes(path["postcodes"]))
        return reports

    def _load(self, model, name, path, parent_field=None, parent_property=None, parent_model=None):
        report = ImportReport(name, source_file=str(path))
        features = read_features(path)
        parent_ids = dict(parent_model.objects.values_list("code", "id")) if parent_model else None
        rows = territory_rows(
            self.progress(features, desc=name),
            path=path,
            report=report,
            parent_field=parent_field,
            parent_property=parent_property,
            parent_ids=parent_ids,
        )
        fields = TERRITORY_FIELDS + ([parent_field.removesuffix("_id")] if parent_field else [])
        if model is Commune:
            fields.append("search_name")
        self._count(report, rows_upsert(model=model, rows=rows, key_fields=("code",), fields=fields))
        return report.finish()

    def _load_postcodes(self, path):
        report = ImportReport("postcodes", source_file=str(path))
        commune_ids = dict(Commune.objects.values_list("code", "id"))
        rows = postal_rows(path, report=report, commune_ids=commune_ids, progress=self.progress)
        counts = rows_upsert(
            model=PostalCode, rows=rows, key_fields=("insee_code", "code", "locality", "delivery_label"), fields=POSTAL_FIELDS
        )
        self._count(report, counts)
        return report.finish()

    @staticmethod
    def _count(report, counts):
        report.created, report.updated, report.unchanged = counts.created, counts.updated, counts.unchanged
