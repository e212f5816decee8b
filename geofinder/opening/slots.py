"""The half-hours of the week a place may be open in: a prefilter the nearest search's index
can apply, so that a search at night skips the closed places without reading them.

A week in UTC has SLOTS_PER_WEEK half-hour slots, numbered from Monday 00:00 UTC. The slots
of an opening_hours value (for a place in a département) are those that meet an interval in
which it is open, over a window of WINDOW_DAYS from a day before it is computed: its timeline
is evaluated as the searches evaluate it (public and school holidays, the nights clocks
change), so for any instant in that window, open means its slot is among them. Exceptional
closures only close, and an unknown status is never "open": neither needs a slot. Slots not
computed (yet, or no longer right) are ANY_TIME.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from geofinder.opening.evaluate import evaluate
from geofinder.opening.schedules import expression_for
from geofinder.opening.status import OPEN

SLOTS_PER_WEEK = 7 * 48
# Stands for every slot (a place whose slots are not computed): searches ask for the instant's
# slot or this one, and a row holds one small value rather than 336.
ANY_TIME_SLOT = SLOTS_PER_WEEK
ANY_TIME = (ANY_TIME_SLOT,)
SLOT = timedelta(minutes=30)
# The window the slots hold for, from a day before they are computed.
WINDOW_BEFORE = timedelta(days=1)
WINDOW_DAYS = 366
# Sun events are computed at the département's centre here, and at each place's own position
# by the searches: a few minutes apart within a département (about 4 minutes per degree of
# longitude). Values with sun events get this margin on both sides of each open interval.
SUN_MARGIN = timedelta(minutes=30)


def week_slot(at: datetime) -> int:
    """The slot of an instant (aware, any zone)."""
    moment = at.astimezone(UTC)
    return moment.weekday() * 48 + moment.hour * 2 + moment.minute // 30


@lru_cache(maxsize=4096)
def open_slots(raw: str, department_code: str | None, since: datetime) -> tuple[int, ...]:
    """The slots in which `raw` is open at some instant of [since - WINDOW_BEFORE, since +
    WINDOW_DAYS), for a place of this département (sorted)."""
    start = since.astimezone(UTC) - WINDOW_BEFORE
    end = start + WINDOW_BEFORE + timedelta(days=WINDOW_DAYS)
    slots: set[int] = set()
    margin = SUN_MARGIN if raw and raw.strip() and expression_for(raw.strip()).uses_sun else timedelta(0)
    at = start
    while at < end and len(slots) < SLOTS_PER_WEEK:
        status = evaluate(raw, at=at, department_code=department_code)
        change = status.next_change.astimezone(UTC) if status.next_change else None
        if status.state == OPEN:
            until = min((change or end) + margin, end + margin)
            begin = at - margin
            slot_start = begin.replace(minute=begin.minute - begin.minute % 30, second=0, microsecond=0)
            while slot_start < until and len(slots) < SLOTS_PER_WEEK:
                slots.add(week_slot(slot_start))
                slot_start += SLOT
        if change is None:
            break
        at = change if change > at else at + timedelta(minutes=1)
    return tuple(sorted(slots))
