"""Render a static, self-contained HTML map of a search (for articles): see geofinder/maps/."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geofinder.maps.query import FIELDS, map_query_from
from geofinder.maps.render import render_map
from geofinder.search.errors import ParamErrors

PROGRESS_DELAY_S = 1.0  # the bar shows only when rendering takes longer (many places)


class Command(BaseCommand):
    help = (
        "Render every place matching a search into one HTML map that opens offline: "
        "e.g. --category boulangerie --territory department:31 --out maps/boulangeries-31.html"
    )

    def add_arguments(self, parser):
        what = parser.add_argument_group("what (as the API's category / what)")
        what.add_argument(
            "--category", action="append", default=[],
            help="Category slug(s): repeat or separate by commas; one map layer per category",
        )
        what.add_argument("--what", default="", help="Category words or a shop's name, as typed by a resident")
        where = parser.add_argument_group("where (a territory, or a point or place with a radius)")
        where.add_argument("--territory", default="", help="region:CODE, department:CODE or commune:CODE")
        where.add_argument("--near", default="", help="lon,lat (WGS84)")
        where.add_argument("--where", default="", help="A commune, a postcode or an address")
        where.add_argument("--radius", default="", help="At most this many metres away from --near/--where")
        filters = parser.add_argument_group("filters")
        filters.add_argument("--open", default="", help="'now' or an ISO 8601 date-time: only the places open then")
        filters.add_argument("--services", default="", help="click_and_collect,delivery,takeaway,appointment")
        filters.add_argument("--include-closed", action="store_true", help="Also show permanently closed places")
        filters.add_argument("--artisan", default="", help="true: only the artisans (répertoire des métiers); false: the others")
        filters.add_argument("--verified", action="store_true",
                             help="Only the places whose merchant confirmed some of their fields")
        output = parser.add_argument_group("output")
        output.add_argument("--out", type=Path, required=True, help="HTML file to write (folders are created)")
        output.add_argument("--title", default="", help="Title of the map (default: categories and territory)")
        output.add_argument(
            "--tiles", default=None,
            help="Background tiles URL template {z}/{x}/{y} (default: GEOFINDER_TILE_URL); 'none' for no tiles",
        )
        output.add_argument("--tiles-attribution", default=None, help="Attribution (HTML) of --tiles")
        output.add_argument("--no-progress", action="store_true", help="Hide the progress bar")

    def handle(self, *args, **options):
        flags = {"include_closed", "verified"}
        fields = {name: options[name] or "" for name in FIELDS if name not in {"category", *flags}}
        fields["category"] = ",".join(options["category"])
        fields.update({flag: "true" if options[flag] else "" for flag in flags})
        try:
            query = map_query_from(fields)
        except ParamErrors as exc:
            raise CommandError(exc.as_options_text()) from None
        if query.what.kind == "name":
            close = ", ".join(category.slug for category in query.what.suggestions)
            self.stderr.write(
                f"--what {query.what.text!r}: no category recognised, searching place names"
                + (f" (close categories: {close})" if close else "")
            )
        tiles = options["tiles"]
        hide = options["no_progress"] or options["verbosity"] == 0
        rendered = render_map(
            query=query,
            title=options["title"] or None,
            tiles="" if tiles is not None and tiles.strip().lower() == "none" else tiles,
            attribution=options["tiles_attribution"],
            progress=lambda hits: tqdm(
                hits, desc="places", unit=" places", file=self.stderr._out, leave=False, disable=hide,
                delay=PROGRESS_DELAY_S,
            ),
        )
        out: Path = options["out"]
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(rendered.html, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror or exc}") from None
        layers = ", ".join(f"{label} {count}" for label, count in rendered.layers) or "no place found"
        places = "1 place" if rendered.count == 1 else f"{rendered.count} places"
        self.stdout.write(f"{places} ({layers}) → {out} ({out.stat().st_size / 1024:,.0f} KB)")
        if rendered.count == 0:
            self.stderr.write("warning: no place matches: the map shows none")
