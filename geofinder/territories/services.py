"""Writes of the territories: idempotent upserts keyed by INSEE code (or postcode row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from geofinder.core.copy import rows_copy

BATCH_SIZE = 500
# New rows per COPY (a COPY streams its rows: the batch only bounds the memory they hold).
COPY_BATCH_SIZE = 5000
# Rows per UPDATE: Django's bulk_update writes one CASE over the batch's ids per column, which
# PostgreSQL evaluates for each row, so that an update costs as the batch's size.
UPDATE_BATCH_SIZE = 50


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def rows_upsert(
    *, model: type[models.Model], rows: Iterable[dict], key_fields: tuple[str, ...], fields: list[str]
) -> UpsertCounts:
    """Insert new rows, update rows whose `source_hash` changed, leave equal rows alone.

    Each row is a dict of model field values including `source_hash`; `key_fields` identify it
    among the existing objects (e.g. `("code",)`). The counts say what happened to the rows. An
    unchanged row needs no more than its key and hash (a loader may skip building the rest).
    New rows are written through COPY (geofinder.core.copy), changed ones by bulk_update.
    """
    existing: dict[tuple, tuple[int, str]] = {}
    for pk, *values in model.objects.values_list("pk", *key_fields, "source_hash"):
        existing[tuple(values[:-1])] = (pk, values[-1])
    counts = UpsertCounts()
    to_create: list[dict] = []
    to_update: list[models.Model] = []
    for row in rows:
        known = existing.get(tuple(row[name] for name in key_fields))
        if known is None:
            to_create.append(row)
            counts.created += 1
        elif known[1] != row["source_hash"]:
            to_update.append(model(pk=known[0], **row))
            counts.updated += 1
        else:
            counts.unchanged += 1
        if len(to_create) >= COPY_BATCH_SIZE:
            rows_copy(model, to_create)
            to_create.clear()
        if len(to_update) >= BATCH_SIZE:
            model.objects.bulk_update(to_update, fields=fields, batch_size=UPDATE_BATCH_SIZE)
            to_update.clear()
    rows_copy(model, to_create)
    model.objects.bulk_update(to_update, fields=fields, batch_size=UPDATE_BATCH_SIZE)
    return counts


def rows_delete_absent(*, model: type[models.Model], key_fields: tuple[str, ...], present: set[tuple]) -> int:
    """Delete the rows whose key (values of `key_fields`) is not in `present`; their number."""
    stale = [pk for pk, *key in model.objects.values_list("pk", *key_fields) if tuple(key) not in present]
    # Only their keys are read for the cascades (not every polygon of the rows deleted).
    model.objects.filter(pk__in=stale).only("pk").delete()
    return len(stale)


def pairs_sync(*, model: type[models.Model], fields: tuple[str, str], pairs: set[tuple]) -> tuple[int, int]:
    """Make the rows of a two-column link table (a many-to-many's) exactly `pairs`; (added,
    removed)."""
    existing = {tuple(key): pk for pk, *key in model.objects.values_list("pk", *fields)}
    stale = [pk for key, pk in existing.items() if key not in pairs]
    model.objects.filter(pk__in=stale).delete()
    added = rows_copy(model, (dict(zip(fields, pair, strict=True)) for pair in pairs if pair not in existing))
    return added, len(stale)
