"""geofinder's own CSV export as a merchant list: re-importing an export gives back its places.

Each row keeps the source and source id it was exported with (see
geofinder.imports.geofinder_export), so its place is keyed as its source keyed it. Free-text
cells come back as they were stored: the quote the export put before those a spreadsheet would
take for a formula is removed (geofinder.core.spreadsheet).
"""

from __future__ import annotations

from geofinder.core.spreadsheet import restored
from geofinder.imports.formats.base import CsvFormat
from geofinder.imports.geofinder_export import CSV_REQUIRED, export_record
from geofinder.places.exchange import CSV_NEUTRALISED
from geofinder.places.records import PlaceRecord


class GeofinderFormat(CsvFormat):
    name = "geofinder"
    source = ""  # each row says its own (source_of)
    licence = "that of each row's source (columns licence and attribution)"
    required = CSV_REQUIRED

    def __init__(self, *, categories: set[str]):
        self.categories = categories  # the category slugs of this instance

    def source_id(self, row: dict) -> str:
        return row["source_id"]

    def restore(self, row: dict) -> dict:
        """Free-text cells without the quote the export put before those that start like a
        spreadsheet formula (or with a quote): exactly one leading quote removed."""
        return {name: restored(value) if name in CSV_NEUTRALISED else value for name, value in row.items()}

    def source_of(self, row: dict) -> str:
        return row["source"]

    def parse(self, row: dict) -> PlaceRecord | str:
        parsed = export_record(row, categories=self.categories)
        return parsed if isinstance(parsed, str) else parsed[1]
