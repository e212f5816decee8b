"""Opening source files: plain or gzipped, with errors that name the file and the problem."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import orjson

from geofinder.imports.errors import SourceError


def open_text(path: Path) -> io.TextIOBase:
    """Open a UTF-8 text file, transparently gunzipping `*.gz` (a BOM is skipped)."""
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_json(path: Path) -> object:
    """A JSON file, plain or gzipped (a BOM is skipped), parsed by orjson: France's communes
    file (50 MB of JSON) in a fraction of the time of the standard library's parser, into the
    same values."""
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    try:
        with (gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")) as handle:
            data = handle.read()
        return orjson.loads(data.removeprefix(codecs.BOM_UTF8))
    except (orjson.JSONDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise SourceError(f"{path}: not valid JSON ({exc})") from exc


def read_features(path: Path) -> list[dict]:
    """The features of a GeoJSON FeatureCollection."""
    return features_of(path, read_json(path))


def features_of(path: Path, data: object) -> list[dict]:
    """The features of a GeoJSON FeatureCollection read from `path`."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise SourceError(f"{path}: not a GeoJSON FeatureCollection")
    features = data.get("features")
    if not isinstance(features, list):
        raise SourceError(f"{path}: the FeatureCollection has no 'features' list")
    return features


def csv_rows(path: Path, *, required: list[str], delimiter: str = ",") -> Iterator[tuple[int, dict]]:
    """(line number, row) for each data row of a CSV file whose header has every `required` column.

    A missing column raises SourceError naming it and the columns found. Duplicate column names
    keep their first value.
    """
    handle = open_text(path)
    try:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise SourceError(f"{path}: empty file, expected a header row") from None
        missing = [name for name in required if name not in header]
        if missing:
            raise SourceError(
                f"{path}: missing column(s) {', '.join(missing)}; found: {', '.join(header) or '(none)'}"
            )
        positions = {}
        for index, name in enumerate(header):
            positions.setdefault(name, index)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            values = {name: (row[i] if i < len(row) else "") for name, i in positions.items()}
            yield reader.line_num, values
    except (csv.Error, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise SourceError(f"{path}: malformed CSV ({exc})") from exc
    finally:
        handle.close()
