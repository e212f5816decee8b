"""Load régions, départements, communes (2018 and of today) and postcodes from the data directory."""

from pathlib import Path

from django.conf import settings

from geofinder.imports import cog
from geofinder.imports.boundaries import territory_rows
from geofinder.imports.command import ImportCommand
from geofinder.imports.current_communes import CogLoad
from geofinder.imports.errors import SourceError
from geofinder.imports.postal import postal_rows, report_points_outside
from geofinder.imports.report import ImportReport
from geofinder.imports.sources import read_features
from geofinder.territories.models import (
    Commune,
    CommuneCode,
    CommuneName,
    CurrentCommune,
    Department,
    PostalCode,
    Region,
)
from geofinder.territories.services import pairs_sync, rows_delete_absent, rows_upsert

# The COG files the communes of today are built from (the chefs-lieux' files are optional).
COG_FILES = (cog.COMMUNES_FILE, cog.MOVEMENTS_FILE, cog.POPULATIONS_FILE, cog.CENTRES_FILE)
TERRITORY_FIELDS = ["name", "geom", "source_hash"]
CURRENT_FIELDS = ["name", "search_name", "department", "population", "geom", "point", "approximate", "source_hash"]
NAME_FIELDS = ["name", "kind", "point", "source_hash"]
CODE_FIELDS = ["commune", "source_hash"]
POSTAL_FIELDS = ["commune", "current_commune", "name", "delivery_label", "point", "source_hash"]


class Command(ImportCommand):
    help = (
        "Load régions, départements, communes (France-wide, 2018 boundaries), the communes of "
        "today (COG 2026, drawn with the 2018 boundaries) and postcodes into PostGIS. "
        "Idempotent and atomic; ends with a report per table."
    )
    sources = ("territories",)

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--data-dir", type=Path, help="Defaults to GEOFINDER_DATA_DIR")
        parser.add_argument("--regions", type=Path, help="Default: boundaries/regions.geojson")
        parser.add_argument("--departments", type=Path, help="Default: boundaries/departements.geojson")
        parser.add_argument("--communes", type=Path, help="Default: boundaries/communes-france-2018.geojson.gz")
        parser.add_argument(
            "--cog", type=Path,
            help=f"Directory of INSEE's COG files ({cog.COMMUNES_FILE}, {cog.MOVEMENTS_FILE}, "
            f"{cog.POPULATIONS_FILE}, {cog.CENTRES_FILE}). Default: cog/",
        )
        parser.add_argument("--postcodes", type=Path, help="Default: postal/laposte_hexasmal_2022.csv")

    def run_import(self, **options):
        data_dir = options["data_dir"] or settings.GEOFINDER_DATA_DIR
        path = {
            "regions": options["regions"] or data_dir / "boundaries" / "regions.geojson",
            "departments": options["departments"] or data_dir / "boundaries" / "departements.geojson",
            "communes": options["communes"] or data_dir / "boundaries" / "communes-france-2018.geojson.gz",
            "cog": options["cog"] or data_dir / "cog",
            "postcodes": options["postcodes"] or data_dir / "postal" / "laposte_hexasmal_2022.csv",
        }
        # Every input named before any is read: a missing file stops the load at once, not after
        # the boundaries of all of France.
        inputs = [path["regions"], path["departments"], path["communes"],
                  *(cog.cog_file(path["cog"], name) for name in COG_FILES), path["postcodes"]]
        missing = [str(p) for p in inputs if not p.is_file()]
        if missing:
            raise SourceError(f"{', '.join(missing)}: file not found")
        reports = [
            self._load(Region, "regions", path["regions"]),
            self._load(Department, "departments", path["departments"], "region_id", "code_region", Region),
            self._load(Commune, "communes", path["communes"], "department_id", "code_departement", Department),
        ]
        reports.append(self._load_seats(path["cog"]))
        reports += self._load_current_communes(path["cog"])
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
            known=dict(model.objects.values_list("code", "source_hash")),
        )
        fields = TERRITORY_FIELDS + ([parent_field.removesuffix("_id")] if parent_field else [])
        if model is Commune:
            fields.append("search_name")
        self._count(report, rows_upsert(model=model, rows=rows, key_fields=("code",), fields=fields))
        return report.finish()

    def _load_seats(self, directory: Path) -> ImportReport:
        """Chefs-lieux and articles of the départements and régions (COG): what pages search
        from and how they name the territory ("en Haute-Garonne"). Absent files: reported."""
        report = ImportReport("seats", source_file=str(directory / cog.DEPARTMENTS_FILE))
        for model, name, column in ((Department, cog.DEPARTMENTS_FILE, "DEP"), (Region, cog.REGIONS_FILE, "REG")):
            path = directory / name
            if not path.is_file():
                report.warn(name, "file absent: chefs-lieux and articles left as they were")
                continue
            found = cog.seats(path, code_column=column)
            changed = []
            for territory in model.objects.only("code", "seat_code", "article"):
                report.rows_read += 1
                seat = found.get(territory.code)
                if seat is None:
                    report.warn(f"{name} ({territory.code})", "territory absent from the COG file: no chef-lieu")
                    report.unchanged += 1
                elif (territory.seat_code, territory.article) != (seat.seat_code, seat.article):
                    territory.seat_code, territory.article = seat.seat_code, seat.article
                    changed.append(territory)
                else:
                    report.unchanged += 1
            model.objects.bulk_update(changed, ["seat_code", "article"])
            report.updated += len(changed)
        return report.finish()

    def _load_current_communes(self, directory: Path) -> list[ImportReport]:
        """The communes of today, their names and codes: three reports."""
        communes = ImportReport("current_communes", source_file=str(cog.cog_file(directory, cog.COMMUNES_FILE)))
        load = CogLoad(directory, report=communes)
        rows = load.commune_rows(report=communes)
        self._upsert(communes, CurrentCommune, self.progress(rows, total=len(load.communes), desc="communes of today"),
                     ("code",), CURRENT_FIELDS)
        ids = dict(CurrentCommune.objects.values_list("code", "id"))
        added, removed = pairs_sync(
            model=CurrentCommune.parts.through, fields=("currentcommune_id", "commune_id"), pairs=load.part_pairs(ids)
        )
        if added or removed:
            communes.warn("(2018 communes covered)", f"{added} links to 2018 communes added, {removed} removed")

        names = ImportReport("commune_names", source_file=str(cog.cog_file(directory, cog.MOVEMENTS_FILE)))
        keys = {code: (pk, key) for code, pk, key in CurrentCommune.objects.values_list("code", "id", "search_name")}
        self._upsert(names, CommuneName, load.name_rows(keys, report=names), ("commune_id", "code", "search_name"),
                     NAME_FIELDS)

        codes = ImportReport("commune_codes", source_file=str(cog.cog_file(directory, cog.MOVEMENTS_FILE)))
        self._upsert(codes, CommuneCode, load.code_rows(ids, report=codes), ("code",), CODE_FIELDS)
        return [communes.finish(), names.finish(), codes.finish()]

    def _upsert(self, report, model, rows, key_fields, fields):
        """Upsert `rows`, then delete the rows of `model` the source no longer has (reported)."""
        present: set[tuple] = set()

        def keyed(rows):
            for row in rows:
                present.add(tuple(row[name] for name in key_fields))
                yield row

        self._count(report, rows_upsert(model=model, rows=keyed(rows), key_fields=key_fields, fields=fields))
        deleted = rows_delete_absent(model=model, key_fields=key_fields, present=present)
        if deleted:
            report.warn("(rows no longer in the source)", f"{deleted} deleted")

    def _load_postcodes(self, path):
        report = ImportReport("postcodes", source_file=str(path))
        commune_ids = dict(Commune.objects.values_list("code", "id"))
        current_ids = dict(CommuneCode.objects.values_list("code", "commune_id"))
        covering: dict[int, set[int]] = {}
        for current_id, commune_id in CurrentCommune.parts.through.objects.values_list("currentcommune_id", "commune_id"):
            covering.setdefault(commune_id, set()).add(current_id)
        current_of = {commune_id: found.pop() for commune_id, found in covering.items() if len(found) == 1}
        rows = postal_rows(
            path, report=report, commune_ids=commune_ids, current_ids=current_ids, current_of=current_of,
            progress=self.progress,
        )
        counts = rows_upsert(
            model=PostalCode, rows=rows, key_fields=("insee_code", "code", "locality", "delivery_label"), fields=POSTAL_FIELDS
        )
        self._count(report, counts)
        report_points_outside(report)
        return report.finish()

    @staticmethod
    def _count(report, counts):
        report.created, report.updated, report.unchanged = counts.created, counts.updated, counts.unchanged
