"""Import the shops and artisans of the SIRENE register (INSEE), geolocated."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from geofinder.imports.command import ImportCommand
from geofinder.imports.report import ImportReport
from geofinder.imports.sirene.download import department_file_download
from geofinder.imports.sirene.establishments import SOURCE
from geofinder.imports.sirene.geolocation import GeolocationFile
from geofinder.imports.sirene.importer import sirene_import
from geofinder.imports.sirene.naf import naf_nomenclature, read_naf_categories
from geofinder.places.models import Category


class Command(ImportCommand):
    help = (
        "Import the establishments of the SIRENE register open to the public: Etalab's geolocated "
        "files (geo_siret_<département>.csv[.gz]), or INSEE's StockEtablissement (.csv, .csv.gz, .zip) "
        "joined to its geolocation file (--geolocation). --department 31 downloads the current "
        "file of the département (GEOFINDER_NETWORK=true). Idempotent by SIRET and atomic."
    )
    sources = (SOURCE,)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("files", nargs="*", type=Path, help="geo_siret or StockEtablissement files")
        parser.add_argument("--department", help="Download and import the current file of this département (network)")
        parser.add_argument(
            "--geolocation", type=Path,
            help="INSEE's GeolocalisationEtablissement_Sirene_pour_etudes_statistiques file, joined by SIRET",
        )
        parser.add_argument(
            "--download-dir", type=Path, default=settings.BASE_DIR / "var" / "downloads",
            help="Where --department keeps the downloaded file (default var/downloads)",
        )

    def run_import(self, **options):
        files = list(options["files"])
        if options["department"]:
            if not settings.GEOFINDER_NETWORK:
                raise CommandError("--department needs network use: set GEOFINDER_NETWORK=true")
            self.stderr.write(f"downloading the file of département {options['department']}…")
            files.append(department_file_download(options["department"], directory=options["download_dir"]))
        if not files:
            raise CommandError("give register FILEs or --department CODE")
        nomenclature = naf_nomenclature()
        slugs = set(Category.objects.values_list("slug", flat=True))
        naf = read_naf_categories(categories=slugs, nomenclature=nomenclature)
        labels = dict(Category.objects.values_list("slug", "label"))
        geolocation = None
        if options["geolocation"]:
            geolocation = GeolocationFile(options["geolocation"], progress=self.progress)
        reports = []
        for path in files:
            report = ImportReport(f"import_sirene-{_stem(path)}", source_file=str(path))
            sirene_import(
                path=path, report=report, naf=naf, category_labels=labels, lock=self.source_lock,
                progress=self.progress, geolocation=geolocation, naf_labels=nomenclature,
            )
            reports.append(report)
        return reports


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".zip", ".csv"):
        name = name.removesuffix(suffix)
    return name
