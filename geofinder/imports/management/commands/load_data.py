"""Load everything the demo needs, skipping the steps whose input files have not changed."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from geofinder.imports import cog
from geofinder.imports.models import SourceLoad
from geofinder.imports.taxonomy import TAXONOMY_FILE


def _steps(data_dir: Path) -> list[tuple[str, list[Path], list, dict]]:
    """(step name, input files, command args, command options) in dependency order."""
    boundaries, postal, cog_dir = data_dir / "boundaries", data_dir / "postal", data_dir / "cog"
    communes = boundaries / "communes-france-2018.geojson.gz"
    if not communes.exists():  # the hand-written fixtures keep theirs uncompressed
        communes = boundaries / "communes.geojson"
    osm_files = sorted((data_dir / "osm").glob("*.geojson")) if (data_dir / "osm").is_dir() else []
    return [
        ("categories", [TAXONOMY_FILE], ["load_categories"], {}),
        (
            "territories",
            [boundaries / "regions.geojson", boundaries / "departements.geojson", communes,
             *(cog.cog_file(cog_dir, name) for name in (cog.COMMUNES_FILE, cog.MOVEMENTS_FILE, cog.POPULATIONS_FILE, cog.CENTRES_FILE)),
             postal / "laposte_hexasmal_2022.csv"],
            ["load_territories"],
            {"data_dir": data_dir, "communes": communes},
        ),
        (
            "alimconfiance",
            [data_dir / "commerces" / "alimconfiance_2017-08-22.csv"],
            ["import_csv", str(data_dir / "commerces" / "alimconfiance_2017-08-22.csv")],
            {"format": "alimconfiance"},
        ),
        *[(f"osm:{path.name}", [path], ["import_osm", str(path)], {}) for path in osm_files],
    ]


def signature(paths: list[Path]) -> str:
    digest = hashlib.md5()
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Load categories, territories, the Alim'confiance list and the OSM files from "
        "GEOFINDER_DATA_DIR, skipping steps whose files did not change since their last load."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run every step even if unchanged")
        parser.add_argument("--data-dir", type=Path, default=None)
        parser.add_argument(
            "--no-wait", action="store_true", help="Stop with an error if another import of the same source is running"
        )

    def handle(self, *args, **options):
        data_dir: Path = options["data_dir"] or settings.GEOFINDER_DATA_DIR
        if not (data_dir / "boundaries").is_dir():
            raise CommandError(
                f"{data_dir} holds no boundaries/: set GEOFINDER_DATA_DIR to a data directory laid out "
                "like ../shared/data (see data/sources.toml for the public sources)"
            )
        self.stdout.write(f"data directory: {data_dir}")
        if data_dir.resolve() == (settings.BASE_DIR / "fixtures").resolve():
            self.stdout.write(self.style.WARNING(
                "No real data directory (../shared/data) was found: loading the small hand-written "
                "fixtures/, which are NOT real coverage. Set GEOFINDER_DATA_DIR to the real data."
            ))
        for step, inputs, command, command_options in _steps(data_dir):
            missing = [str(p) for p in inputs if not p.is_file()]
            if missing:
                raise CommandError(f"step {step}: missing file(s) {', '.join(missing)}")
            sig = signature(inputs)
            done = SourceLoad.objects.filter(step=step, signature=sig).first()
            if done and not options["force"]:
                self.stdout.write(f"{step}: unchanged since {done.loaded_at:%Y-%m-%d %H:%M}, skipped")
                continue
            out = io.StringIO()
            call_command(
                *command, stdout=out, no_progress=options["verbosity"] < 1, no_wait=options["no_wait"], **command_options
            )
            self.stdout.write(out.getvalue().rstrip())
            SourceLoad.objects.update_or_create(step=step, defaults={"signature": sig, "summary": out.getvalue()})
