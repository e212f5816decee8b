"""Live evaluation of an OSM opening_hours value for a place in France."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Sequence
from zoneinfo import ZoneInfo

import opening_hours

from geofinder.opening.closures import closure_covering, merge_closures, next_closure_start
from geofinder.opening.departments import Territory, territory_for
from geofinder.opening.holidays import holidays_for_region
from geofinder.opening.hours import is_open_end, shown_comment
from geofinder.opening.labels import (
    CLOSURE_LABEL,
    OPEN_END_LABEL,
    PUBLIC_HOLIDAY_LABEL,
    UNKNOWN_LABEL,
    closed_label,
    open_label,
    unknown_label,
)
from geofinder.opening.schedules import Expression, Schedule, Sun, expression_for, schedule_for, sun_at
from geofinder.opening.status import CLOSED, OPEN, UNKNOWN, Closure, OpeningStatus
from geofinder.opening.timeline import (
    UTC,
    ScheduleAt,
    clock_for_state,
    next_change,
    reading_at,
    state_at,
    to_local,
)

UNKNOWN_STATUS = OpeningStatus(state=UNKNOWN, next_change=None, label=UNKNOWN_LABEL)

_STATES = {
    opening_hours.State.OPEN: OPEN,
    opening_hours.State.CLOSED: CLOSED,
    opening_hours.State.UNKNOWN: UNKNOWN,
}

MAX_CLOSURE_HOPS = 12


def evaluate(
    raw: str | None,
    *,
    at: datetime,
    department_code: str | None,
    closures: Sequence[Closure] = (),
    position: tuple[float, float] | None = None,
) -> OpeningStatus:
    """Evaluate an opening_hours value at instant `at` for a place in a département.

    `at` must be aware (any zone); it is converted to the département's zone,
    and `next_change` is returned in that zone. French public holidays
    (national, Alsace-Moselle, overseas), school holidays of the département's
    zone and exceptional `closures` are taken into account. `position` is the
    place's (lon, lat), where sunrise, sunset, dawn and dusk are computed; without
    it, the département's centre is used (and the library's fixed 07:00/19:00
    when the département is unknown). Invalid or empty values never raise: they
    give the "unknown" status.

    Raises ValueError when `at` is naive.
    """
    instant = as_utc(at)
    if raw is None or not raw.strip():
        return UNKNOWN_STATUS
    expression = expression_for(raw.strip())
    if not expression.valid:
        return UNKNOWN_STATUS
    territory = territory_for(department_code)
    zone = territory.timezone
    sun = sun_for(expression, territory, position)
    schedule_at = schedules_getter(expression, territory, sun)
    local_pair = to_local(instant, zone)
    local, wall = local_pair
    ranges = merge_closures(closures=closures) if closures else []

    covering = closure_covering(day=wall.date(), ranges=ranges) if ranges else None
    if covering is not None:
        reopening = _reopening(
            local_midnight(covering[1] + timedelta(days=1), zone),
            zone=zone,
            schedule_at=schedule_at,
            ranges=ranges,
        )
        return OpeningStatus(state=CLOSED, next_change=_local(reopening, zone), label=CLOSURE_LABEL)

    state_clock = clock_for_state(instant, zone)
    library_state, comment = schedule_at(state_clock.year).hours.state(state_clock)
    state = _STATES[library_state]
    change = next_change(
        instant,
        zone=zone,
        schedule_at=schedule_at,
        state=library_state,
        check_states=expression.has_comment or expression.several_parts,
        known_local=local_pair,
    )
    if ranges:
        change = _with_closures(
            change,
            state=state,
            today=wall.date(),
            zone=zone,
            schedule_at=schedule_at,
            ranges=ranges,
        )
    change_local = _local(change, zone)

    if state == UNKNOWN:
        label = unknown_label(shown_comment(comment))
    elif state == OPEN and _open_end(comment, change, zone=zone, schedule_at=schedule_at):
        label = OPEN_END_LABEL
    elif state == OPEN:
        label = open_label(now=local, closes=change_local)
    elif _closed_for_public_holiday(expression, territory, sun, wall=state_clock, change=change_local):
        label = PUBLIC_HOLIDAY_LABEL
    else:
        label = closed_label(now=local, opens=change_local)
    return OpeningStatus(state=state, next_change=change_local, label=label)


def as_utc(at: datetime) -> datetime:
    """Convert an aware datetime to UTC; raise ValueError for a naive one."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("`at` must be an aware datetime (with a time zone)")
    return at.astimezone(UTC)


def sun_position(raw: str | None, lon: float | None, lat: float | None) -> tuple[float, float] | None:
    """(lon, lat) when the value's hours depend on the position (sun events), else None: a
    key for caches of statuses that stays the same for every place with such a value."""
    if raw is None or lon is None or lat is None or not raw.strip():
        return None
    return (lon, lat) if expression_for(raw.strip()).uses_sun else None


def sun_for(
    expression: Expression, territory: Territory, position: tuple[float, float] | None
) -> Sun | None:
    """Where the expression's sun events are computed: the place, else the département's
    centre; None when it has none (or nothing is known: the library's fixed times)."""
    if not expression.uses_sun:
        return None
    return sun_at(position or territory.centre, territory.timezone)


def schedules_getter(expression: Expression, territory: Territory, sun: Sun | None = None) -> ScheduleAt:
    """A function giving the expression's schedule for a local year of the territory."""
    if expression.plain is not None:
        plain = expression.plain
        return lambda year: plain

    def schedule_at(year: int) -> Schedule:
        return schedule_for(
            expression,
            holiday_region=territory.holiday_region,
            school_zone=territory.school_zone,
            year=year,
            sun=sun,
        )

    return schedule_at


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """UTC instant of the local start of `day`."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _local(instant: datetime | None, zone: ZoneInfo) -> datetime | None:
    return instant.astimezone(zone) if instant is not None else None


def _reopening(
    instant: datetime | None,
    *,
    zone: ZoneInfo,
    schedule_at: ScheduleAt,
    ranges: list[tuple[date, date]],
) -> datetime | None:
    """First instant from `instant` on at which the place is not closed, skipping closures."""
    for _ in range(MAX_CLOSURE_HOPS):
        if instant is None:
            return None
        covering = closure_covering(day=instant.astimezone(zone).date(), ranges=ranges)
        if covering is not None:
            instant = local_midnight(covering[1] + timedelta(days=1), zone)
            continue
        library_state = state_at(instant, zone=zone, schedule_at=schedule_at)
        if library_state != opening_hours.State.CLOSED:
            return instant
        instant = next_change(instant, zone=zone, schedule_at=schedule_at, state=library_state)
    return None


def _with_closures(
    change: datetime | None,
    *,
    state: str,
    today: date,
    zone: ZoneInfo,
    schedule_at: ScheduleAt,
    ranges: list[tuple[date, date]],
) -> datetime | None:
    """Adjust the next change for closures that start or are under way later."""
    if state != CLOSED:
        closure_start = next_closure_start(day=today, ranges=ranges)
        if closure_start is not None:
            closing = local_midnight(closure_start, zone)
            if change is None or closing < change:
                return closing
        return change
    if change is not None and closure_covering(day=change.astimezone(zone).date(), ranges=ranges):
        return _reopening(change, zone=zone, schedule_at=schedule_at, ranges=ranges)
    return change


def _open_end(
    comment: str, change: datetime | None, *, zone: ZoneInfo, schedule_at: ScheduleAt
) -> bool:
    """True when the place is open until an open end (`18:00+`): now, or at the end of the
    open stretch that starts now."""
    if is_open_end(comment):
        return True
    if change is None:
        return False
    return is_open_end(reading_at(change - _EPSILON, zone=zone, schedule_at=schedule_at)[1])


_EPSILON = timedelta(microseconds=1)


def _closed_for_public_holiday(
    expression: Expression, territory: Territory, sun: Sun | None, *, wall: datetime, change: datetime | None
) -> bool:
    """True when today is a public holiday and it is what keeps the place closed now:
    without holidays it would be open now, or would open later today."""
    today = wall.date()
    if not expression.uses_public_holidays:
        return False
    if today not in holidays_for_region(today.year, territory.holiday_region):
        return False
    hours = schedule_for(expression, holiday_region=None, school_zone=None, year=0, sun=sun).hours
    if hours.state(wall)[0] == opening_hours.State.OPEN:
        return True
    opens_today = hours.next_change(wall)
    if opens_today is None or opens_today.date() != today:
        return False
    return change is None or change.date() != today
