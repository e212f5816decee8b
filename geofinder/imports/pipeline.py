"""The last steps every place importer shares: the source's lock, commune resolution, checks,
upsert."""

from __future__ import annotations

from collections.abc import Callable

from geofinder.imports.report import ImportReport
from geofinder.opening import normalise as opening_hours_normalised
from geofinder.opening import validate as opening_hours_problem
from geofinder.places.records import PlaceRecord
from geofinder.places.services import places_upsert
from geofinder.territories.selectors import commune_ids_at_points


def places_import_by_source(
    *, candidates: dict[tuple[str, str], tuple[str, PlaceRecord]], report: ImportReport, lock: Callable[[str], None]
) -> None:
    """places_import for candidates of several sources, keyed by (source, source_id); the
    sources in name order (so that two imports take their locks in the same order)."""
    for source in sorted({source for source, _ in candidates}):
        rows = [candidate for (of, _), candidate in candidates.items() if of == source]
        places_import(source=source, candidates=rows, report=report, lock=lock)


def places_import(
    *, source: str, candidates: list[tuple[str, PlaceRecord]], report: ImportReport, lock: Callable[[str], None]
) -> None:
    """Take the import lock of `source` (`lock`, ImportCommand.source_lock: it may wait for
    another import of the source), resolve each candidate's commune by point-in-polygon, then
    upsert the places.

    `candidates` pairs a row reference (for the report) with its record. A point in no commune
    (at sea, abroad, or in a territory without boundaries) is rejected with its coordinates; one
    snapped to a nearby commune and an invalid opening_hours string are kept with a warning; an
    opening_hours string read leniently (`9h-12h`) is stored normalised, with a warning.
    """
    lock(source)
    resolved = commune_ids_at_points([(record.lon, record.lat) for _, record in candidates])
    kept: list[PlaceRecord] = []
    for (row, record), (commune_id, snapped) in zip(candidates, resolved, strict=True):
        if commune_id is None:
            report.reject(
                row, f"outside every commune (at sea, abroad, or no boundary loaded): {record.lon:.5f}, {record.lat:.5f}"
            )
            continue
        if snapped:
            report.warn(row, "just outside the simplified commune boundaries: attached to the nearest commune")
        record.commune_id = commune_id
        if record.opening_hours:
            record.opening_hours, rewritten = opening_hours_normalised(record.opening_hours)
            if rewritten:
                report.warn(row, rewritten)
            problem = opening_hours_problem(record.opening_hours)
            record.opening_hours_warning = problem or ""
            if problem:
                report.warn(row, f"invalid opening_hours {record.opening_hours!r}: {problem}")
        kept.append(record)
    places_upsert(source=source, records=kept, report=report)
