"""Values a process reads from the database and keeps for a while (tables of names, statistics):
the hot read paths look them up in memory instead of joining or querying for them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessValue(Generic[T]):
    """`read()`'s value, read again when older than `ttl_s` seconds or when asked `fresh`."""

    def __init__(self, read: Callable[[], T], *, ttl_s: float) -> None:
        self._read = read
        self.ttl_s = ttl_s
        self._kept: tuple[float, T] | None = None

    def get(self, *, fresh: bool = False) -> T:
        kept = self._kept
        now = time.monotonic()
        if fresh or kept is None or now - kept[0] > self.ttl_s:
            kept = self._kept = (now, self._read())
        return kept[1]

    def forget(self) -> None:
        """Read again at the next get (tests, after they change what was read)."""
        self._kept = None
