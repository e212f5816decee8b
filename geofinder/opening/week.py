"""A readable week table of opening hours, for the place page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Sequence

import opening_hours

from geofinder.opening.closures import closure_covering, merge_closures
from geofinder.opening.departments import territory_for
from geofinder.opening.evaluate import as_utc, schedules_getter, sun_for
from geofinder.opening.holidays import holidays_for_region
from geofinder.opening.hours import is_open_end, shown_comment
from geofinder.opening.labels import WEEKDAY_NAMES
from geofinder.opening.schedules import expression_for
from geofinder.opening.status import Closure

DAY_MINUTES = 24 * 60
PUBLIC_HOLIDAY_NOTE = "Jour férié"
CLOSURE_NOTE = "Fermeture exceptionnelle"
UNCERTAIN_NOTE = "Horaires incertains"

# Minutes from local midnight (the end may be 1440 or later) and whether its end is an open
# end (`18:00+`: shown "18:00–?").
_Interval = tuple[int, int, bool]


def week_schedule(
    raw: str | None,
    *,
    at: datetime,
    department_code: str | None,
    closures: Sequence[Closure] = (),
    position: tuple[float, float] | None = None,
) -> list[dict]:
    """The 7 days from Monday of `at`'s local week, for a readable table.

    Each day: {"date": ISO date str, "weekday": French name, "intervals":
    ["08:30–12:30", "14:00–19:00"], "today": bool, "note": ""}. The note is
    "Jour férié", "Fermeture exceptionnelle", or, for a day whose hours are
    only uncertain, the value's comment or "Horaires incertains". A night
    opening crossing midnight is shown on the evening it starts ("22:00–02:00"), an
    open end without its (unknown) closing time ("18:00–?"). `position` (lon, lat) is
    where sun events are computed (else the département's centre). Invalid or empty
    values give []. Raises ValueError when `at` is naive.
    """
    instant = as_utc(at)
    if raw is None or not raw.strip():
        return []
    expression = expression_for(raw.strip())
    if not expression.valid:
        return []
    territory = territory_for(department_code)
    today = instant.astimezone(territory.timezone).date()
    monday = today - timedelta(days=today.weekday())
    schedule_at = schedules_getter(expression, territory, sun_for(expression, territory, position))
    ranges = merge_closures(closures=closures) if closures else []

    # Day -1 (previous Sunday) and day 7 (next Monday) only serve night openings.
    days = [monday + timedelta(days=index) for index in range(-1, 8)]
    opened: list[list[_Interval]] = []
    uncertain: list[str | None] = []
    for day in days:
        hours = schedule_at(day.year).hours
        if closure_covering(day=day, ranges=ranges):
            opened.append([])
            uncertain.append(None)
            continue
        day_open, day_uncertain = _day_intervals(hours, day)
        opened.append(day_open)
        uncertain.append(day_uncertain)

    table = []
    for index in range(1, 8):
        day = days[index]
        shown = list(opened[index])
        if shown and _is_spill(previous=opened[index - 1], current=shown):
            shown.pop(0)
        following = opened[index + 1]
        if shown and following and _is_spill(previous=shown, current=following):
            shown[-1] = (shown[-1][0], DAY_MINUTES + following[0][1], following[0][2])
        note = ""
        if closure_covering(day=day, ranges=ranges):
            note = CLOSURE_NOTE
        elif day in holidays_for_region(day.year, territory.holiday_region):
            note = PUBLIC_HOLIDAY_NOTE
        elif not shown and uncertain[index] is not None:
            note = uncertain[index] or UNCERTAIN_NOTE
        table.append(
            {
                "date": day.isoformat(),
                "weekday": WEEKDAY_NAMES[day.weekday()],
                "intervals": [_format(interval) for interval in shown],
                "today": day == today,
                "note": note,
            }
        )
    return table


def _day_intervals(
    hours: opening_hours.OpeningHours, day: date
) -> tuple[list[_Interval], str | None]:
    """Open intervals of a local day, and the comment of its uncertain hours if any."""
    start = datetime(day.year, day.month, day.day)
    end = start + timedelta(days=1)
    opened: list[_Interval] = []
    uncertain: str | None = None
    for first, last, state, comment in hours.intervals(start, end):
        begin = int((first - start).total_seconds()) // 60
        finish = int((last - start).total_seconds()) // 60
        if state == opening_hours.State.OPEN:
            open_end = is_open_end(comment)
            if opened and opened[-1][1] == begin:
                opened[-1] = (opened[-1][0], finish, open_end)
            else:
                opened.append((begin, finish, open_end))
        elif state == opening_hours.State.UNKNOWN and uncertain is None:
            uncertain = shown_comment(comment)
    return opened, uncertain


def _is_spill(*, previous: list[_Interval], current: list[_Interval]) -> bool:
    """True when `current` starts with the end of a night opening begun the evening before."""
    if not previous or not current:
        return False
    evening, morning = previous[-1], current[0]
    return (
        evening[1] == DAY_MINUTES
        and evening[0] > 0
        and morning[0] == 0
        and morning[1] < DAY_MINUTES
    )


def _format(interval: _Interval) -> str:
    first, last, open_end = interval
    if open_end:
        return f"{first // 60:02d}:{first % 60:02d}–?"
    end = last if last == DAY_MINUTES else last % DAY_MINUTES
    return f"{first // 60:02d}:{first % 60:02d}–{end // 60:02d}:{end % 60:02d}"
