"""Export every place matching the search filters to a GeoJSON or CSV file, with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geofinder.exports.formats import FORMATS, Export, export_file_options
from geofinder.search.contract import EXPORT_FILE_PARAMS, EXPORT_PARAMS, search_query_from
from geofinder.search.errors import ParamErrors


class Command(BaseCommand):
    help = "Export every place matching the search filters as GeoJSON (RFC 7946) or CSV (RFC 4180)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="geojson")
        parser.add_argument("--out", type=Path, help="File to write (default: the export's name, in this folder)")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")
        for name, param in EXPORT_PARAMS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=param.description.replace("%", "%%"))
        for name, param in EXPORT_FILE_PARAMS.items():
            parser.add_argument(f"--{name}", default=None, help=param.description.replace("%", "%%"))

    def handle(self, *args, **options):
        params = {name: options[name] for name in EXPORT_PARAMS if options[name] is not None}
        file_errors = ParamErrors()
        given = {name: options[name] for name in EXPORT_FILE_PARAMS if options[name]}
        layout = export_file_options(given, options["format"], file_errors)
        try:
            query = search_query_from(params, export=True)
            if file_errors.errors:
                raise file_errors
        except ParamErrors as errors:
            raise CommandError(errors.as_options_text()) from None
        export = Export(query=query, params=params, fmt=options["format"], **layout)
        path = options["out"] or Path(export.filename())
        hide = options["no_progress"] or options["verbosity"] == 0
        try:
            out = path.open("wb")
        except OSError as exc:
            raise CommandError(f"--out: cannot write {path}: {exc.strerror or exc}") from None
        with out, tqdm(unit=" places", desc=path.name, disable=hide, file=self.stderr._out) as bar:
            for chunk in export.chunks():
                out.write(chunk)
                bar.update(export.count - bar.n)
        self.stdout.write(f"{export.count} places written to {path}")
