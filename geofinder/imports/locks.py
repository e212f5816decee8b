"""One import of a source at a time: a PostgreSQL advisory lock keyed by the source's name.

Two imports of one source at once both read its places before either had written (both
reported "updated", and the last to commit won). Every import takes the lock of each source it
writes before reading what is there, for the rest of its transaction: PostgreSQL releases it
at commit or rollback, and when the session ends (a killed import holds nothing). A second
import of the source waits for the first to end, or, told not to wait, stops with an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from geofinder.imports.errors import ImportRunning

NAMESPACE = "geofinder.imports"


def lock_key(source: str) -> int:
    """The lock's key: a signed 64-bit integer from the source's name, the same in every process
    and version (blake2b of the namespaced name; PostgreSQL's hashtext() makes no such promise)."""
    digest = hashlib.blake2b(f"{NAMESPACE}:{source}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass
class SourceLocks:
    """Takes the import lock of a source until the end of the current transaction: at once when
    free; else waits (after `notify` says so) or, with `wait` false, raises ImportRunning."""

    wait: bool = True
    notify: Callable[[str], None] = lambda message: None
    held: set[str] = field(default_factory=set)

    def __call__(self, source: str) -> None:
        if source in self.held:
            return
        if not connection.in_atomic_block:
            raise RuntimeError("an import lock lasts a transaction: take it inside transaction.atomic()")
        key = lock_key(source)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                if not self.wait:
                    raise ImportRunning(f"another import of {source} is running: stopped (--no-wait)")
                self.notify(f"another import of {source} is running, waiting…")
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        self.held.add(source)
