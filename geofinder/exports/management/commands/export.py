"""Export every place matching the search filters to a GeoJSON or CSV file, with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geofinder.exports.formats import FORMATS, Export
from geofinder.search.contract import DIALECT, EXPORT_PARAMS, search_query_from
from geofinder.search.errors import ParamErrors


class Command(BaseCommand):
    help = "Export every place matching the search filters as GeoJSON (RFC 7946) or CSV (RFC 4180)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="geojson")
        parser.add_argument("--out", type=Path, help="File to write (default: the export's name, in this folder)")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")
        for name, param in EXPORT_PARAMS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=param.description.replace("%", "%%"))
        parser.add_argument("--dialect", default=None, help=DIALECT.description)

    def handle(self, *args, **options):
        params = {name: options[name] for name in EXPORT_PARAMS if options[name] is not None}
        dialect_errors = ParamErrors()
        dialect = DIALECT.read({"dialect": options["dialect"]} if options["dialect"] else {}, dialect_errors)
        try:
            query = search_query_from(params, export=True)
            if dialect_errors.errors:
                raise dialect_errors
        except ParamErrors as errors:
            raise CommandError(errors.as_options_text()) from None
        export = Export(query=query, params=params, fmt=options["format"], dialect=dialect)
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
