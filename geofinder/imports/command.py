"""Base class of the import commands: atomic run, one import of a source at a time, progress
bar, report printed and written, planner statistics of the tables written brought up to date."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from geofinder.imports.errors import ImportRunning, ReportMismatch, SourceError
from geofinder.imports.locks import SourceLocks
from geofinder.imports.report import ImportReport
from geofinder.imports.statistics import (
    rows_written,
    statistics_flush_at_commit,
    tables_analyze,
    tables_written_since,
)


class ImportCommand(BaseCommand):
    """Runs `run_import()` in one transaction: a failure or an interruption leaves the data intact,
    and so does a report whose rows do not add up (ImportReport.finish).

    The lock of each source written is held until the end of that transaction (see
    geofinder.imports.locks): those of `sources` from its start, the others when `source_lock`
    is called (the place pipeline calls it before reading a source's places). Once committed,
    the tables whose rows the import changed are analysed (geofinder.imports.statistics).
    """

    # Sources this command always writes, locked from the start.
    sources: tuple[str, ...] = ()

    def add_arguments(self, parser):
        parser.add_argument("--report", type=Path, help="Write the JSON report to this file")
        parser.add_argument("--no-progress", action="store_true", help="Hide progress bars")
        parser.add_argument(
            "--no-wait", action="store_true", help="Stop with an error if another import of the same source is running"
        )

    def progress(self, iterable=None, *, total=None, desc=""):
        """A progress bar on stderr, hidden with --no-progress or verbosity 0."""
        return tqdm(
            iterable,
            total=total,
            desc=desc,
            unit=" rows",
            file=self.stderr._out,
            disable=self.no_progress,
            leave=False,
            dynamic_ncols=True,
        )

    def handle(self, *args, **options):
        self.no_progress = options["no_progress"] or options["verbosity"] == 0
        self.source_lock = SourceLocks(wait=not options["no_wait"], notify=self.stderr.write)
        try:
            with transaction.atomic():
                before = rows_written()
                for source in self.sources:
                    self.source_lock(source)
                reports = self.run_import(**options)
                for report in reports:
                    report.finish()  # every row accounted for, or the import is undone
                written = tables_written_since(before)
                if written:
                    statistics_flush_at_commit()
        except (SourceError, ImportRunning, ReportMismatch) as exc:
            raise CommandError(str(exc)) from exc
        # Committed (or, inside a caller's transaction, written there): fresh planner statistics.
        analyzed = tables_analyze(written)
        for report in reports:
            self.write_report(report, options.get("report"), several=len(reports) > 1)
        if analyzed:
            self.stdout.write(f"statistics updated (ANALYZE): {', '.join(analyzed)}")

    def run_import(self, **options) -> list[ImportReport]:
        raise NotImplementedError

    def write_report(self, report: ImportReport, path: Path | None, *, several: bool) -> None:
        if path is not None and several:
            # One command, several reports (load_territories): one file each, named after it.
            path = path.with_name(f"{path.stem}-{report.name}{path.suffix}")
        written = report.write(settings.GEOFINDER_REPORT_DIR, path)
        self.stdout.write(report.summary())
        self.stdout.write(f"  report: {written}")
