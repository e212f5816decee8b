"""What a merchant-list CSV format declares: its columns, source name and row parser."""

from __future__ import annotations

from geofinder.places.records import PlaceRecord


class CsvFormat:
    """A column mapping from one merchant list to PlaceRecord.

    `parse(row)` returns a record, or a string giving the reason the row is rejected. A record
    with `lon`/`lat` None is geocoded from its address by the importer. Rows sharing a
    `source_id` make one place: later rows add their categories as secondary ones.
    """

    name: str
    source: str
    licence: str
    required: list[str]
    delimiter = ","

    def source_id(self, row: dict) -> str:
        raise NotImplementedError

    def restore(self, row: dict) -> dict:
        """The row's values as its source meant them, before `source_of` and `parse` read it
        (a file that neutralised spreadsheet formulas, geofinder's export, undoes it here)."""
        return row

    def source_of(self, row: dict) -> str:
        """The source a row's place is keyed under: the format's, unless rows say their own."""
        return self.source

    def parse(self, row: dict) -> PlaceRecord | str:
        raise NotImplementedError


def parse_lat_lon(text: str) -> tuple[float, float] | None | str:
    """(lat, lon) from a "lat, lon" cell; None when empty; a rejection reason when unusable."""
    if not text.strip():
        return None
    parts = text.split(",")
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        return f"unreadable coordinates {text!r} (expected \"lat, lon\")"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return f"coordinates out of range: {text!r}"
    return lat, lon
