"""Parsed, cached opening_hours expressions ready for the library to evaluate.

Everything is evaluated in naive local wall-clock time: the library is given
no time zone (see `timeline.py` for the conversion to real instants).

A string without `PH`/`SH` gives one `Schedule` valid for every date. A string
with holidays gives one `Schedule` per (holiday region, school zone, year): its
holiday dates cover that year plus a margin on each side, enough for rules
crossing midnight on 31 December and for `PH ±n days` offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import opening_hours

from geofinder.opening.holidays import holidays_for_region
from geofinder.opening.rewrite import RewriteError, Template, prepare, render
from geofinder.opening.school_holidays import periods_for_zone

# Holiday dates written into a year's expression: [Dec 1 of year-1, Jan 31 of year+1].
WINDOW_BEFORE = timedelta(days=31)
WINDOW_AFTER = timedelta(days=31)
OFFSET_MARGIN = timedelta(days=7)

# opening-hours-py looks for a next change up to year 9999: for a rule that never
# matches (`easter Mo-Fr`) that takes seconds. Changes further away than this
# are reported as none (about 1 ms in the worst case).
MAX_INTERVAL_DAYS = 400

# About 4 kB per cached string or schedule.
CACHE_SIZE = 8192


@dataclass(frozen=True, slots=True)
class Schedule:
    """An expression opening-hours-py can evaluate, with what it depends on."""

    hours: opening_hours.OpeningHours
    year_bound: bool  # holiday dates only valid for the local year it was built for
    exact: bool  # False when the library's own (national) holiday calendar is used


@dataclass(frozen=True, slots=True)
class Expression:
    """A raw string, parsed once: invalid, plain, or holiday-dependent."""

    raw: str
    error: str | None  # the library's parser message when invalid
    template: Template | None  # None when invalid or when the rewrite failed
    plain: Schedule | None  # set when the expression does not depend on holidays
    uses_public_holidays: bool = False
    has_comment: bool = False

    @property
    def valid(self) -> bool:
        return self.error is None


@lru_cache(maxsize=CACHE_SIZE)
def expression_for(raw: str) -> Expression:
    """Parse and prepare a raw string (cached by string)."""
    try:
        parsed = opening_hours.OpeningHours(raw, max_interval_days=MAX_INTERVAL_DAYS)
    except Exception as error:  # ParserError, or anything else the library raises
        return Expression(raw=raw, error=str(error), template=None, plain=None)
    template: Template | None
    plain = None
    try:
        template = prepare(raw=raw)
        if not template.holiday_kinds:
            text = render(template, holiday_dates={}, window=(date.min, date.max))
            hours = parsed if text == raw else _parse(text)
            plain = Schedule(hours=hours, year_bound=False, exact=True)
    except (RewriteError, _UnparsableRewrite):
        template = None
    return Expression(
        raw=raw,
        error=None,
        template=template,
        plain=plain,
        uses_public_holidays=(
            "PH" in template.holiday_kinds if template is not None else "PH" in raw
        ),
        has_comment='"' in raw,
    )


def schedule_for(
    expression: Expression, *, holiday_region: str | None, school_zone: str | None, year: int
) -> Schedule:
    """Return the schedule of a valid expression for a territory and local year.

    `holiday_region=None` gives the holiday-free variant (PH and SH never match).
    When the holidays cannot be rewritten, the library evaluates the raw string
    with its own French calendar (national public holidays, no school holidays).
    """
    if expression.plain is not None:
        return expression.plain
    if expression.template is not None:
        schedule = _holiday_schedule(expression.raw, holiday_region, school_zone, year)
        if schedule is not None:
            return schedule
    return fallback_schedule(expression.raw)


@lru_cache(maxsize=1024)
def fallback_schedule(raw: str) -> Schedule:
    """The library's own evaluation of a valid raw string (national PH, SH never)."""
    return Schedule(
        hours=opening_hours.OpeningHours(raw, country="FR", max_interval_days=MAX_INTERVAL_DAYS),
        year_bound=False,
        exact=False,
    )


class _UnparsableRewrite(Exception):
    pass


def _parse(text: str) -> opening_hours.OpeningHours:
    try:
        return opening_hours.OpeningHours(text, max_interval_days=MAX_INTERVAL_DAYS)
    except Exception as error:
        raise _UnparsableRewrite(text) from error


@lru_cache(maxsize=CACHE_SIZE)
def _holiday_schedule(
    raw: str, holiday_region: str | None, school_zone: str | None, year: int
) -> Schedule | None:
    expression = expression_for(raw)
    assert expression.template is not None
    if holiday_region is None:
        first, last = date.min, date.max
        dates: dict[str, tuple[date, ...]] = {}
    else:
        first, last = date(year, 1, 1) - WINDOW_BEFORE, date(year, 12, 31) + WINDOW_AFTER
        dates = {
            "PH": public_holiday_days(holiday_region, year),
            "SH": school_holiday_days(school_zone, year),
        }
    try:
        text = render(expression.template, holiday_dates=dates, window=(first, last))
        return Schedule(hours=_parse(text), year_bound=holiday_region is not None, exact=True)
    except (RewriteError, _UnparsableRewrite):
        return None


@lru_cache(maxsize=256)
def public_holiday_days(holiday_region: str, year: int) -> tuple[date, ...]:
    """Public holidays of a region from year-1 to year+1, sorted."""
    return tuple(
        day
        for each_year in (year - 1, year, year + 1)
        for day in holidays_for_region(each_year, holiday_region)
    )


@lru_cache(maxsize=256)
def school_holiday_days(school_zone: str | None, year: int) -> tuple[date, ...]:
    """School-holiday days of a zone around a year (with offset margin), sorted."""
    first = date(year, 1, 1) - WINDOW_BEFORE - OFFSET_MARGIN
    last = date(year, 12, 31) + WINDOW_AFTER + OFFSET_MARGIN
    days: list[date] = []
    for period in periods_for_zone(school_zone):
        day = max(period.start, first)
        while day <= min(period.end, last):
            days.append(day)
            day += timedelta(days=1)
    return tuple(days)
