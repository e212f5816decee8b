"""Reading the register's files as they are published: CSV, gzipped or zipped, streamed."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geofinder.imports.errors import SourceError

# A published row is a few hundred bytes; a cell longer than this is a broken file.
csv.field_size_limit(1 << 20)


@contextmanager
def open_register(path: Path) -> Iterator[io.TextIOBase]:
    """The text of a register file: `.csv`, `.csv.gz`, or a `.zip` holding one CSV (INSEE
    publishes StockEtablissement_utf8.zip), decompressed as it is read."""
    if not path.is_file():
        raise SourceError(f"{path}: file not found")
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
                if len(members) != 1:
                    raise SourceError(f"{path}: expected one CSV file in the archive, found {members or 'none'}")
                with archive.open(members[0]) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        elif name.endswith(".gz"):
            with gzip.open(path, "rb") as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                yield handle
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path}: not a zip archive ({exc})") from exc


@contextmanager
def register_rows(path: Path, *, required: list[str]) -> Iterator[tuple[list[str], Iterator[tuple[int, list[str]]]]]:
    """As a context: (header, rows) of a register CSV whose header has every `required` column, rows as
    (line number, cells); the delimiter (`,` or `;`) is read from the header line. A missing
    column or a malformed file raises SourceError naming it."""
    with open_register(path) as handle:
        first = handle.readline()
        if not first.strip():
            raise SourceError(f"{path}: empty file, expected a header row")
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = [name.strip().strip('"') for name in next(csv.reader([first], delimiter=delimiter))]
        missing = [name for name in required if name not in header]
        if missing:
            raise SourceError(f"{path}: missing column(s) {', '.join(missing)}; found: {', '.join(header)}")
        yield header, _rows(path, csv.reader(handle, delimiter=delimiter))


def _rows(path: Path, reader) -> Iterator[tuple[int, list[str]]]:
    try:
        for row in reader:
            if row:
                yield reader.line_num + 1, row  # + the header line read before the reader
    except (csv.Error, UnicodeDecodeError, EOFError, gzip.BadGzipFile, zipfile.BadZipFile) as exc:
        raise SourceError(f"{path}: malformed CSV near line {reader.line_num + 1} ({exc})") from exc
