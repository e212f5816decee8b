"""Importing a merchant-list CSV through a column mapping (see geofinder.imports.formats)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geofinder.imports.formats.base import CsvFormat
from geofinder.imports.geocoding import Geocoder
from geofinder.imports.pipeline import places_import_by_source
from geofinder.imports.report import ImportReport
from geofinder.imports.sources import csv_rows
from geofinder.places.records import PlaceRecord


def csv_import(
    *, path: Path, fmt: CsvFormat, report: ImportReport, progress, lock: Callable[[str], None],
    geocoder: Geocoder | None = None,
) -> None:
    """Parse, geocode when needed, merge rows of one source id, resolve communes and upsert
    (each source under its import lock, `lock`: see places_import).

    Rows of one source id are merged into the first that could be located: its place takes
    their categories as secondary ones; if that place is rejected later (outside every
    commune), the rows merged into it are rejected with it (ImportReport.merge).
    """
    geocoder = geocoder or Geocoder()
    by_source_id: dict[tuple[str, str], tuple[str, PlaceRecord]] = {}
    for line, row in progress(csv_rows(path, required=fmt.required, delimiter=fmt.delimiter), desc=fmt.name):
        report.rows_read += 1
        ref = f"line {line}"
        row = fmt.restore(row)
        parsed = fmt.parse(row)
        if isinstance(parsed, str):
            report.reject(ref, parsed)
            continue
        key = (fmt.source_of(row), parsed.source_id)
        known = by_source_id.get(key)
        if known is not None:
            record = known[1]
            record.secondary_categories += [s for s in [parsed.category, *parsed.secondary_categories]
                                            if s != record.category and s not in record.secondary_categories]
            report.merge(ref, into=known[0])
            continue
        if parsed.lon is None:
            located, reason = geocoder.locate(street=parsed.street, postcode=parsed.postcode, city=parsed.city)
            if located is None:
                report.reject(ref, reason)
                continue
            parsed.lon, parsed.lat, parsed.location_precision = located.lon, located.lat, located.precision
        by_source_id[key] = (ref, parsed)
    places_import_by_source(candidates=by_source_id, report=report, lock=lock)
