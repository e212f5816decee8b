"""The opening batch (geofinder.opening.batch) over the database: a temporary table of the
statuses or open slots of each distinct key of the places a statement writes or reads, which
that statement joins (places of millions, keys of a few thousand: each evaluated once, in
Python, and PostgreSQL does the rest).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from geofinder.core.replicas import read_connection

from geofinder.opening import OpeningStatus
from geofinder.opening.batch import OpeningBatch
from geofinder.territories.models import Department

# Keys read at a time by the callers that read them from a cursor (memory stays flat).
OPENING_KEYS_BATCH = 5000


def opening_table(
    *, table: str, keys: Iterable[Sequence[tuple[str, int, str]]], batch: OpeningBatch,
    statuses: Mapping[str, Callable[[OpeningStatus], str]] | None = None, slots: bool = False,
    until_commit: bool = True, progress: Callable[[int], object] | None = None,
) -> None:
    """Create the temporary table `table` (opening_hours text, department_id bigint, closures
    text, …) and fill it with a row per key of `keys`, given in chunks (a cursor's fetchmany:
    each chunk is copied before the next is read): the opening_hours, département id and
    closures (JSON text, '' for none) of some places. With `statuses`, the row holds their
    status at `batch.at`: its `state`, then one text column per entry (its name, its value
    rendered from the status); with `slots`, their open slots from `batch.since` (`slots`).
    Keys must be distinct. The table is dropped at commit (`until_commit`), else at the end of
    the session; one of the same name left by an earlier statement is dropped first."""
    codes = dict(Department.objects.values_list("id", "code"))
    columns = ["opening_hours text", "department_id bigint", "closures text"]
    if statuses is not None:
        columns += ["state text", *(f"{name} text" for name in statuses)]
        renders = list(statuses.values())
    if slots:
        columns.append("slots integer[]")
    with read_connection().connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} ({', '.join(columns)})" + (" ON COMMIT DROP" if until_commit else "")
        )
        for chunk in keys:
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                for raw, department_id, closures in chunk:
                    row: list = [raw, department_id, closures]
                    if statuses is not None:
                        status = batch.status(raw, codes[department_id], closures).status
                        row += [status.state, *(render(status) for render in renders)]
                    if slots:
                        row.append(batch.slots(raw, codes[department_id]))
                    copy.write_row(row)
                    if progress:
                        progress(1)
