"""Writes of the territories: idempotent upserts keyed by INSEE code (or postcode row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

BATCH_SIZE = 500


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
    among the existing objects (e.g. `("code",)`). The counts say what happened to the rows.
    """
    existing: dict[tuple, tuple[int, str]] = {}
    for pk, *values in model.objects.values_list("pk", *key_fields, "source_hash"):
        existing[tuple(values[:-1])] = (pk, values[-1])
    counts = UpsertCounts()
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for row in rows:
        known = existing.get(tuple(row[name] for name in key_fields))
        if known is None:
            to_create.append(model(**row))
            counts.created += 1
        elif known[1] != row["source_hash"]:
            to_update.append(model(pk=known[0], **row))
            counts.updated += 1
        else:
            counts.unchanged += 1
        if len(to_create) >= BATCH_SIZE:
            model.objects.bulk_create(to_create)
            to_create.clear()
        if len(to_update) >= BATCH_SIZE:
            model.objects.bulk_update(to_update, fields=fields)
            to_update.clear()
    model.objects.bulk_create(to_create)
    model.objects.bulk_update(to_update, fields=fields)
    return counts
