"""Export every place matching the search filters to a GeoJSON or CSV file, with a progress bar."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from tqdm import tqdm

from geofinder.api.params import ParamErrors, search_query_from
from geofinder.exports.formats import FORMATS, Export

# Search filters, as the export endpoints take them (see README "Exports").
FILTERS = ("what", "category", "near", "where", "radius", "open", "services", "territory", "status", "include_closed")


class Command(BaseCommand):
    help = "Export every place matching the search filters as GeoJSON (RFC 7946) or CSV (RFC 4180)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="geojson")
        parser.add_argument("--out", type=Path, help="File to write (default: the export's name, in this folder)")
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")
        for name in FILTERS:
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=f"search filter `{name}`")

    def handle(self, *args, **options):
        params = QueryDict(mutable=True)
        for name in FILTERS:
            if options[name] is not None:
                params[name] = options[name]
        try:
            query = search_query_from(params, export=True)
        except ParamErrors as errors:
            raise CommandError(errors.as_options_text()) from None
        export = Export(query=query, params=params.dict(), fmt=options["format"])
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
