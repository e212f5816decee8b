"""Exceptional closures: whole local days on which a place is closed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence

from geofinder.opening.status import Closure


def merge_closures(*, closures: Sequence[Closure]) -> list[tuple[date, date]]:
    """Merge overlapping or adjacent closures into sorted (start, end) day ranges.

    Closures whose end precedes their start are ignored.
    """
    ranges: list[list[date]] = []
    for closure in sorted(closures, key=lambda closure: closure.start):
        if closure.end < closure.start:
            continue
        if ranges and closure.start <= ranges[-1][1] + timedelta(days=1):
            ranges[-1][1] = max(ranges[-1][1], closure.end)
        else:
            ranges.append([closure.start, closure.end])
    return [(start, end) for start, end in ranges]


def closure_covering(*, day: date, ranges: Sequence[tuple[date, date]]) -> tuple[date, date] | None:
    """The merged closure range that contains `day`, if any."""
    for start, end in ranges:
        if start <= day <= end:
            return start, end
    return None


def next_closure_start(*, day: date, ranges: Sequence[tuple[date, date]]) -> date | None:
    """First day after `day` on which a closure starts, if any."""
    for start, _ in ranges:
        if start > day:
            return start
    return None
