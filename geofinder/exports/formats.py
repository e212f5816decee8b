"""Exports of every place matching a search, as streamed GeoJSON (RFC 7946) or CSV (RFC 4180).

Rows come from geofinder.search.stream (the search's filters, no limit). Each feature has the
properties of the search (geofinder.api.geojson.place_properties) plus what re-importing needs:
`source_id`, `secondary_categories`, `location_precision` and `extra`, and its `merged_sources`
(the sources merged into it besides its own, with their ids and licences). The JSON text of each
feature is built by PostgreSQL, in the order of place_properties, but for its category and
territories (built once per category and commune) and its opening status (evaluated once per
(opening_hours, département, closures) of the export), spliced in by Python; this keeps Python's
work per feature to a few string operations (tests compare the result with place_properties).
CSV rows are written whole by PostgreSQL (COPY … CSV, places_copy), opening statuses included;
free-text cells that a spreadsheet would take for a formula get a quote before them
(geofinder.core.spreadsheet), which geofinder's CSV reader removes.

Coordinates are written with every digit PostgreSQL stores (the shortest exact decimal form), so
that a re-import finds the same point. CSV rows carry the licence and attribution of their source;
a GeoJSON export lists the licences of the sources present after its features (when they are
known), with the query that produced it and the instant it was read at before them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import orjson
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from geofinder.core.spreadsheet import neutralised, neutralised_sql
from geofinder.opening import OpeningStatus
from geofinder.places.exchange import (
    ANNOUNCEMENTS_SQL,
    CSV_COLUMNS,
    CSV_HEADER,
    CSV_OPENING,
    GENERATOR,
    flat_properties,
    MERCHANT_CONFIRMED_SQL,
    OPENING_AT,
    MERGED_SOURCES_SQL,
    PLAIN,
    TEXT,
)
from geofinder.places.licences import SOURCE_LICENCES, licence_for, licences_of_sources
from geofinder.places.models import Category
from geofinder.search.contract import EXPORT_FILE_PARAM_FORMATS, EXPORT_FILE_PARAMS
from geofinder.search.errors import ParamErrors
from geofinder.search.query import SearchQuery, query_filters
from geofinder.search.stream import DISTANCE_SQL, places_copy, places_stream
from geofinder.search.where import located
from geofinder.territories.selectors import commune_names

FORMATS = ("geojson", "csv")
CONTENT_TYPES = {"geojson": "application/geo+json", "csv": "text/csv; charset=utf-8; header=present"}


def _json_or_null(column: str) -> str:
    """SQL: a text column as a JSON string, an empty one as null (as place_properties does)."""
    return f"coalesce(to_json(nullif({column}, ''))::text, 'null')"


def _json_text(column: str) -> str:
    """SQL: a text column as a JSON string (an empty one without calling to_json)."""
    return f"CASE {column} WHEN '' THEN '\"\"' ELSE to_json({column})::text END"


VERIFIED_AT_SQL = "coalesce(to_json(p.verified_at)::text, 'null')"

# A feature is written as: HEAD, its category's members, MIDDLE, its commune's members, BEFORE
# OPENING, its opening status, TAIL. The SQL parts are built with one concat() each (a chain of
# || would copy the growing text at every step); the category and territory members are built
# once per category and per commune, in Python (joined in SQL, they would force a sort of the
# built rows or a plan without hash joins, as the rows stream in id order).
_GEOJSON_HEAD = """concat(
    '{"type":"Feature","id":', p.id, ',"geometry":{"type":"Point","coordinates":[',
    ST_X(p.location::geometry), ',', ST_Y(p.location::geometry), ']},"properties":{"name":', to_json(p.name))"""
_GEOJSON_MIDDLE = f"""concat(
    ',"address":', {_json_text("p.street")}, ',"postcode":', {_json_text("p.postcode")},
    ',"city":', {_json_text("p.city")})"""
_GEOJSON_BEFORE_OPENING = f"""concat(
    ',"distance_m":', {{distance}}, ',"opening_hours":', {_json_or_null("p.opening_hours")}, ',"opening":')"""
_GEOJSON_TAIL = f"""concat(
    ',"closures":', coalesce(cl.objects, '[]'),
    ',"services":{{"click_and_collect":', p.click_and_collect::text, ',"delivery":', p.delivery::text,
    ',"takeaway":', p.takeaway::text, ',"appointment":', p.appointment::text,
    '}},"artisan":', p.artisan::text, ',"phone":', {_json_or_null("p.phone")}, ',"email":', {_json_or_null("p.email")},
    ',"website":', {_json_or_null("p.website")}, ',"shop_url":', {_json_or_null("p.shop_url")},
    ',"status":', to_json(p.status), ',"source":', to_json(p.source),
    ',"verified_at":', {VERIFIED_AT_SQL}, ',"merchant_confirmed":', {MERCHANT_CONFIRMED_SQL},
    ',"announcements":', {ANNOUNCEMENTS_SQL}, ',"updated_at":', to_json(p.updated_at),
    ',"source_id":', to_json(p.source_id), ',"secondary_categories":', coalesce(sc.slugs, '[]'),
    ',"location_precision":', to_json(p.location_precision), ',"extra":', p.extra,
    ',"merged_sources":', {MERGED_SOURCES_SQL}, '}}}}')"""



@dataclass
class Export:
    """One export: the checked query, the query string it came from, its format and instant."""

    query: SearchQuery
    params: dict[str, str]
    fmt: str
    now: datetime = field(default_factory=timezone.now)
    dialect: str = "rfc4180"  # of a CSV file (geofinder.search.contract.CSV_DIALECTS)
    properties: str = "nested"  # of a GeoJSON file (geofinder.search.contract.GEOJSON_LAYOUTS)
    count: int = 0  # features written so far
    sources: set[str] = field(default_factory=set)

    @property
    def evaluated_at(self) -> datetime:
        return self.query.open_at or self.now

    def filename(self) -> str:
        """What the file holds: geofinder-boulangerie-department-31-2026-11-24.geojson."""
        query = self.query
        what = "-".join(category.slug for category in query.what.categories) or slugify(query.what.name_query or "")
        parts = ["geofinder", what or "places"]
        if query.territory is not None:
            parts += [query.territory.kind, query.territory.code.lower()]
        if query.where is not None:
            parts.append("near-" + (slugify(query.where.label) or f"{query.where.lon}-{query.where.lat}"))
            if query.radius_m is not None:
                parts.append(f"{query.radius_m:g}m")
        parts += [slugify(service) for service in query.services]
        parts += [slugify(status) for status in query.statuses]
        if query.open_at is not None:
            parts.append("open")
        day = self.now.astimezone(ZoneInfo(settings.TIME_ZONE)).date().isoformat()
        return f"{'-'.join(parts + [day])}.{self.fmt}"

    def metadata(self) -> dict:
        """The query that produced the export and the instant its data was read at."""
        query = self.query
        return {
            "generator": GENERATOR,
            "query": self.params,
            "where": located(query.where).as_dict() if query.where else None,
            "what": query.what.as_dict(),
            "filters": query_filters(query, limit=False),
            "order": "distance_m, id" if query.where else "id",
            "generated_at": self.now.isoformat(),
            "opening_evaluated_at": self.evaluated_at.isoformat(),
        }

    def chunks(self) -> Iterator[bytes]:
        """The whole file, in chunks of a few thousand places."""
        return geojson_chunks(self) if self.fmt == "geojson" else csv_chunks(self)


_FORMAT_NAMES = {"csv": "CSV", "geojson": "GeoJSON"}


def export_file_options(values, fmt: str, errors: ParamErrors) -> dict[str, str]:
    """How the file is written (EXPORT_FILE_PARAMS: `dialect`, `properties`), read from `values`
    (a QueryDict or options) as Export's keyword arguments; a parameter given for a format it
    does not apply to is an error in `errors`."""
    options = {}
    for name, param in EXPORT_FILE_PARAMS.items():
        options[name] = param.read(values, errors)
        applies_to = EXPORT_FILE_PARAM_FORMATS[name]
        if fmt != applies_to and param.given(values):
            errors.add(name, f"applies to {_FORMAT_NAMES[applies_to]} exports only")
    return options


def _distance(query: SearchQuery) -> str:
    return DISTANCE_SQL if query.where is not None else "'null'"


def category_members() -> dict[int, bytes]:
    """`,"category":{…}` of each category id, as in place_properties."""
    return {
        pk: b',"category":' + orjson.dumps({"slug": slug, "label": label})
        for pk, slug, label in Category.objects.values_list("id", "slug", "label")
    }


def territory_members() -> dict[int, bytes]:
    """`,"commune":{…},"department":{…},"region":{…}` of each commune id, as in place_properties."""
    return {
        pk: orjson.dumps(
            {"commune": {"code": names.code, "name": names.name},
             "department": {"code": names.department_code, "name": names.department_name},
             "region": {"code": names.region_code, "name": names.region_name}}
        ).replace(b"{", b",", 1)[:-1]
        for pk, names in commune_names(fresh=True).items()
    }


def _opening_json(status: OpeningStatus) -> bytes:
    return orjson.dumps(status.as_dict())


def geojson_chunks(export: Export) -> Iterator[bytes]:
    """A FeatureCollection, one feature a line; count and licences after the features."""
    head = {"type": "FeatureCollection", "name": export.filename().rsplit(".", 1)[0], **export.metadata()}
    yield orjson.dumps(head)[:-1] + b',"features":['
    select = (
        f"{_GEOJSON_HEAD}, p.category_id, {_GEOJSON_MIDDLE}, p.commune_id,"
        f" {_GEOJSON_BEFORE_OPENING.replace('{distance}', _distance(export.query))}, {_GEOJSON_TAIL}, p.source"
    )
    categories, territories = category_members(), territory_members()
    separator, sources = b"\n", set()
    # Rows in id order without joins, their text as UTF-8 bytes (see places_stream).
    stream = places_stream(
        query=export.query, select=select, render=_opening_json, now=export.now, joins="", text_as_bytes=True
    )
    flat = export.properties == "flat"
    with closing(stream) as batches:
        for batch in batches:
            if not batch:
                continue
            parts = []
            for row, opening in batch:
                feature = (row[0], categories[row[1]], row[2], territories[row[3]], row[4], opening, row[5])
                if flat:
                    # The same feature, its properties as the CSV's columns (rarely asked for: a
                    # parse per feature is cheap beside building the CSV's statement twice).
                    feature = (orjson.dumps(flat_properties(orjson.loads(b"".join(feature)))),)
                parts += (separator, *feature)
                separator = b",\n"
                sources.add(row[6])
            export.count += len(batch)
            yield b"".join(parts)
    export.sources.update(source.decode() for source in sources)
    tail = {"count": export.count, "licences": licences_of_sources(export.sources)}
    yield b"\n]," + orjson.dumps(tail)[1:] + b"\n"


# Rows written at a time.
CSV_CHUNK_ROWS = 2000


def _licence_sql(field: str, unknown: str, params: dict[str, str]) -> str:
    """SQL: the `field` of licence_for(p.source), neutralised, its values added to `params`
    (`unknown`: the SQL of a source without a known licence, already neutralised)."""
    cases = []
    for source, licence in SOURCE_LICENCES.items():
        params[f"source_{source}"] = source
        params[f"{field}_{source}"] = neutralised(getattr(licence, field))
        cases.append(f"WHEN %(source_{source})s THEN %({field}_{source})s")
    return f"CASE p.source {' '.join(cases)} ELSE {unknown} END"


# The excel-fr dialect, for French spreadsheets (Excel, LibreOffice in French): they split on
# semicolons, read UTF-8 only after a byte order mark ("Ã‰picerie" otherwise), take "1.52" for a
# date and "01" for the number 1 unless quoted (LibreOffice's "quoted field as text"). Codes are
# quoted, decimals written with a comma; free text stays neutralised against formulas.
EXCEL_FR = "excel-fr"
UTF8_BOM = b"\xef\xbb\xbf"
EXCEL_FR_CODES = frozenset({"commune_code", "department_code", "region_code", "category_slug", "source_id"})
EXCEL_FR_DECIMALS = frozenset({"lon", "lat", "distance_m"})


def csv_chunks(export: Export) -> Iterator[bytes]:
    """A header row, then one row a place; UTF-8, CRLF line ends, free text quoted (RFC 4180)
    and neutralised against spreadsheet formulas (CSV_NEUTRALISED); with the excel-fr dialect,
    semicolons, a byte order mark, decimal commas and codes quoted (see EXCEL_FR).

    The rows are written by PostgreSQL (COPY … CSV, free text force-quoted; an absent distance
    is NULL, an empty cell); Python only turns each row's line end into CRLF."""
    excel_fr = export.dialect == EXCEL_FR
    delimiter = ";" if excel_fr else ","
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", delimiter=delimiter).writerow(CSV_HEADER)
    yield (UTF8_BOM if excel_fr else b"") + buffer.getvalue().encode()
    distance = _distance(export.query).replace("'null'", "NULL")
    unknown = licence_for("")
    params = {"unknown_licence": neutralised(unknown.licence)}
    columns = [
        (name, neutralised_sql(sql) if kind == TEXT else sql.replace("{distance}", distance), kind)
        for name, sql, kind in CSV_COLUMNS
    ]
    # Neutralised when rendered, as are the licences of the known sources.
    columns[OPENING_AT:OPENING_AT] = [(name, f"o.{name}", TEXT) for name in CSV_OPENING]
    columns += [
        ("licence", _licence_sql("licence", "%(unknown_licence)s", params), TEXT),
        ("attribution", _licence_sql("attribution", neutralised_sql("p.source"), params), TEXT),
    ]
    if excel_fr:
        columns = [
            (name, f"replace(({sql})::text, '.', ',')", kind) if name in EXCEL_FR_DECIMALS
            else (name, sql, TEXT if name in EXCEL_FR_CODES else kind)
            for name, sql, kind in columns
        ]
    select = ", ".join(f'{sql} AS "{name}"' for name, sql, _ in columns)
    quoted = ", ".join(f'"{name}"' for name, _, kind in columns if kind != PLAIN)
    options = f"FORMAT csv, FORCE_QUOTE ({quoted})" + (", DELIMITER ';'" if excel_fr else "")
    rows = places_copy(
        query=export.query, select=select, opening=CSV_OPENING, options=options,
        params=params, now=export.now,
    )
    with closing(rows):
        lines = []
        for row in rows:
            lines.append(row[:-1])  # without its "\n"
            if len(lines) == CSV_CHUNK_ROWS:
                export.count += len(lines)
                yield b"\r\n".join(lines) + b"\r\n"
                lines = []
        if lines:
            export.count += len(lines)
            yield b"\r\n".join(lines) + b"\r\n"
