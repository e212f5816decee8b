"""From local wall-clock evaluation to real instants, across DST changes.

opening_hours rules speak of wall-clock times ("02:00"), which the library
evaluates on naive datetimes. The state at a real instant is the state at the
wall-clock time shown then. Between two UTC-offset changes of the zone, wall
time and real time move together, so the library's next wall-clock change
converts exactly with the current offset; at an offset change (a DST change,
or the end of the year whose holiday dates a schedule covers), we move to the
change and ask again.

* Spring forward (02:00 → 03:00): a change that would fall in the skipped hour
  happens at the jump itself, so a next change is never a non-existent time.
* Fall back (03:00 → 02:00): the wall clock shows 02:00-03:00 twice. During the
  repeated hour the state stays what it was at the end of the first one (a bar
  closing at 02:30 does not reopen at the second 02:00; one closing at 04:00
  closes at the real 04:00, after the change).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable
from zoneinfo import ZoneInfo

import opening_hours

from geofinder.opening.schedules import Schedule

UTC = timezone.utc
MAX_STEPS = 16

ScheduleAt = Callable[[int], Schedule]  # local year -> schedule


def to_local(instant: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return (aware local datetime, naive wall-clock datetime) of an instant."""
    local = instant.astimezone(zone)
    wall = datetime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
    )
    return local, wall


@dataclass(frozen=True, slots=True)
class OffsetChange:
    """A change of UTC offset of a zone, at a UTC instant."""

    at: datetime
    shift: timedelta  # new offset minus old offset: negative when falling back


@lru_cache(maxsize=256)
def offset_changes(zone: ZoneInfo, year: int) -> tuple[OffsetChange, ...]:
    """Changes of the zone's UTC offset during a UTC year (cached)."""
    changes = []
    probe = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    offset = probe.astimezone(zone).utcoffset()
    step = timedelta(days=1)
    while probe < end:
        following = probe + step
        new_offset = following.astimezone(zone).utcoffset()
        if new_offset != offset:
            low, high = probe, following  # offset(low) == old, offset(high) == new
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            assert offset is not None and new_offset is not None
            changes.append(OffsetChange(at=high.replace(microsecond=0), shift=new_offset - offset))
            offset = new_offset
        probe = following
    return tuple(changes)


@lru_cache(maxsize=256)
def _change_instants(zone: ZoneInfo, year: int) -> tuple[datetime, ...]:
    return tuple(change.at for change in offset_changes(zone, year))


def next_offset_change(instant: datetime, zone: ZoneInfo) -> OffsetChange | None:
    """First offset change strictly after `instant` (a UTC datetime)."""
    year = instant.year
    for each_year in (year, year + 1):
        position = bisect_right(_change_instants(zone, each_year), instant)
        changes = offset_changes(zone, each_year)
        if position < len(changes):
            return changes[position]
    return None


def repeated_hour(instant: datetime, zone: ZoneInfo) -> OffsetChange | None:
    """The fall-back change whose repeated wall-clock hour contains `instant`, if any."""
    position = bisect_right(_change_instants(zone, instant.year), instant) - 1
    if position < 0:
        return None
    change = offset_changes(zone, instant.year)[position]
    if change.shift < timedelta(0) and instant < change.at - change.shift:
        return change
    return None


def clock_for_state(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock time whose state applies at `instant`: its own, except
    in a repeated hour, where the end of the first pass applies."""
    change = repeated_hour(instant, zone)
    if change is None:
        return to_local(instant, zone)[1]
    return to_local(change.at - _EPSILON, zone)[1]


_EPSILON = timedelta(microseconds=1)


@lru_cache(maxsize=256)
def start_of_year(year: int, zone: ZoneInfo) -> datetime:
    """UTC instant of local midnight on 1 January (cached)."""
    return datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)


def state_at(instant: datetime, *, zone: ZoneInfo, schedule_at: ScheduleAt) -> opening_hours.State:
    """The library state at a UTC instant (evaluated at its local wall-clock time)."""
    return reading_at(instant, zone=zone, schedule_at=schedule_at)[0]


def reading_at(
    instant: datetime, *, zone: ZoneInfo, schedule_at: ScheduleAt
) -> tuple[opening_hours.State, str]:
    """(state, comment) at a UTC instant (evaluated at its local wall-clock time)."""
    wall = clock_for_state(instant, zone)
    return schedule_at(wall.year).hours.state(wall)


def next_change(
    instant: datetime,
    *,
    zone: ZoneInfo,
    schedule_at: ScheduleAt,
    state: opening_hours.State,
    check_states: bool = False,
    known_local: tuple[datetime, datetime] | None = None,
) -> datetime | None:
    """First UTC instant after `instant` where the state differs from `state`.

    `state` is the state at `instant`. Returns None when no change is found
    (always the same state, or none within a few years). With `check_states`,
    changes of comment only (the library reports them too) are skipped.
    `known_local` may pass `to_local(instant, zone)` when already computed.
    """
    current = instant
    misses = 0
    repeated = repeated_hour(current, zone)
    if repeated is not None:
        current = repeated.at - repeated.shift
        known_local = None
        if state_at(current, zone=zone, schedule_at=schedule_at) != state:
            return current
    for _ in range(MAX_STEPS):
        local, wall = known_local if known_local is not None else to_local(current, zone)
        known_local = None
        schedule = schedule_at(wall.year)
        change = next_offset_change(current, zone)
        boundary = change.at if change is not None else None
        resume = boundary
        if change is not None and change.shift < timedelta(0):
            resume = change.at - change.shift  # skip the repeated hour
        if schedule.year_bound:
            year_end = start_of_year(wall.year + 1, zone)
            if boundary is None or year_end < boundary:
                boundary = resume = year_end
        changed = schedule.hours.next_change(wall)
        if changed is not None:
            offset = local.utcoffset()
            assert offset is not None
            candidate = (changed - offset).replace(tzinfo=UTC)
            if boundary is None or candidate < boundary:
                if (
                    not check_states
                    or state_at(candidate, zone=zone, schedule_at=schedule_at) != state
                ):
                    return candidate
                current = candidate
                continue
        else:
            # No change within the library's horizon: the same state at every
            # wall-clock time, unless the next year's holidays say otherwise.
            misses += 1
            if not schedule.year_bound or misses > 1:
                return None
        if resume is None:
            return None
        current = resume
        if state_at(current, zone=zone, schedule_at=schedule_at) != state:
            return current
    return None
