"""Inserting many rows through COPY instead of the ORM's multi-row INSERT.

bulk_create builds a model instance per row, then compiles and binds one INSERT holding every
value of the batch: for 35,000 communes of a few columns that cost more than PostgreSQL's own
work of writing them (load_territories). COPY sends the values as text, which PostgreSQL parses
as the columns' input functions do (geometries and geographies as hex EWKB).
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, models
from django.db.models import Value
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from psycopg.types.json import Jsonb


def point_ewkt(lon: float, lat: float) -> str:
    """A WGS84 point as EWKT, the coordinates as given (repr: read back to the same floats): what
    COPY passes to a geometry or geography column, and what a model's geometry field takes too
    (building a GEOS point per row cost more than the rest of a postcode's row)."""
    return f"SRID=4326;POINT({lon!r} {lat!r})"


def _json_dumps(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def json_value(value) -> Jsonb:
    """A JSON value to write (COPY or a query parameter), encoded by orjson: a third of the time
    of the json module psycopg uses by default (an import writes a few JSON values per place)."""
    return Jsonb(value, dumps=_json_dumps)


def rows_copy(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert `rows` into `model`'s table; the number inserted.

    Each row maps field names or attnames (`department` or `department_id`) to values as a
    model would take them (a geometry as a GEOS object, or as hex EWKB or EWKT text). A field
    absent from a row gets its default, as a new instance would (a database default given as a
    constant: its value), and an auto_now(_add) date the time of the call. Primary keys come
    from the table's sequence; nothing is returned of them (use bulk_create where the caller
    needs the objects). Constraints and triggers apply as for an INSERT.
    """
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([_value(field, row, now) for field in fields])
                count += 1
    return count


def _value(field: models.Field, row: dict, now):
    if field.attname in row:
        value = row[field.attname]
    elif field.name in row:
        value = row[field.name]
        if field.is_relation and isinstance(value, models.Model):
            value = value.pk
    elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    else:
        value = field.get_default()
        if isinstance(value, DatabaseDefault):  # a default in SQL only: COPY takes values
            if not isinstance(field.db_default, Value):
                raise ValueError(
                    f"{field.model.__name__}.{field.name}: give a value (its database default is an expression)"
                )
            value = field.db_default.value
    if isinstance(value, GEOSGeometry):
        return value.hexewkb.decode("ascii")  # with its SRID: read by geometry and geography alike
    if isinstance(field, models.JSONField) and value is not None:
        return json_value(value)
    return value
