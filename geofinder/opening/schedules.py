"""Parsed, cached opening_hours expressions ready for the library to evaluate.

Everything is evaluated in naive local wall-clock time (see `timeline.py` for the
conversion to real instants). The library is given no time zone, except for values with
sun events, which it computes at the place in its zone (`hours.py` makes its answers naive
again). Values are read leniently first (`lenient.py`) and rewritten where the library
reads the specification differently (`structure.py`).

A string without `PH`/`SH` gives one `Schedule` valid for every date. A string
with holidays gives one `Schedule` per (holiday region, school zone, year): its
holiday dates cover that year plus a margin on each side, enough for rules
crossing midnight on 31 December and for `PH ±n days` offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import opening_hours

from geofinder.opening.holidays import holidays_for_region
from geofinder.opening.hours import Hours, build_hours
from geofinder.opening.lenient import read_leniently
from geofinder.opening.lexer import EVENT_WORDS, tokenize
from geofinder.opening.rewrite import RewriteError, Template, prepare, render
from geofinder.opening.school_holidays import periods_for_zone
from geofinder.opening.structure import parts

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

# Where sun events are computed: (lat, lon, zone), degrees rounded to SUN_PRECISION.
Sun = tuple[float, float, ZoneInfo]
SUN_PRECISION = 2  # decimals of a degree: about 1 km, a few seconds of sunrise


@dataclass(frozen=True, slots=True)
class Schedule:
    """An expression the evaluation can read (see `hours.Hours`), with what it depends on."""

    hours: Hours
    year_bound: bool  # holiday dates only valid for the local year it was built for
    exact: bool  # False when the library's own (national) holiday calendar is used


@dataclass(frozen=True, slots=True)
class Expression:
    """A raw string, parsed once: invalid, plain, or holiday- or sun-dependent."""

    raw: str
    error: str | None  # the library's parser message when invalid
    template: Template | None  # None when invalid or when the rewrite failed
    plain: Schedule | None  # set when the expression depends on neither holidays nor the sun
    uses_public_holidays: bool = False
    has_comment: bool = False
    text: str = ""  # what is evaluated: `raw`, or its lenient reading (`lenient.py`)
    changes: tuple[str, ...] = ()  # what the lenient reading rewrote
    uses_sun: bool = False  # sunrise, sunset, dawn or dusk: depends on the place's position
    several_parts: bool = False  # fallback rules (`||`)

    @property
    def valid(self) -> bool:
        return self.error is None


def sun_at(position: tuple[float, float] | None, zone: ZoneInfo) -> Sun | None:
    """The (rounded) place where sun events are computed, from a (lon, lat) position."""
    if position is None:
        return None
    lon, lat = position
    return (round(lat, SUN_PRECISION), round(lon, SUN_PRECISION), zone)


@lru_cache(maxsize=CACHE_SIZE)
def expression_for(raw: str) -> Expression:
    """Parse and prepare a raw string (cached by string), read leniently (`lenient.py`)."""
    reading = read_leniently(raw)
    text = reading.value
    error = _parser_error(text)
    if error is not None and text != raw:
        if _parser_error(raw) is None:
            text, error = raw, None
    if error is not None:
        return Expression(raw=raw, error=_parser_error(raw) or error, template=None, plain=None, text=raw)
    changes = reading.changes if text != raw else ()
    uses_sun = any(token.kind == "word" and token.lower in EVENT_WORDS for token in tokenize(text=text))
    template: Template | None
    plain = None
    try:
        template = prepare(raw=text)
        if not template.holiday_kinds and not uses_sun:
            rendered = render(template, holiday_dates={}, window=(date.min, date.max))
            plain = Schedule(hours=_hours(rendered), year_bound=False, exact=True)
    except (RewriteError, _UnparsableRewrite):
        template = None
    return Expression(
        raw=raw,
        error=None,
        template=template,
        plain=plain,
        uses_public_holidays=(
            "PH" in template.holiday_kinds if template is not None else "PH" in text
        ),
        has_comment='"' in text or "+" in text,
        text=text,
        changes=changes,
        uses_sun=uses_sun,
        several_parts="||" in text,
    )


def schedule_for(
    expression: Expression,
    *,
    holiday_region: str | None,
    school_zone: str | None,
    year: int,
    sun: Sun | None = None,
) -> Schedule:
    """Return the schedule of a valid expression for a territory and local year.

    `holiday_region=None` gives the holiday-free variant (PH and SH never match).
    `sun` is where sun events are computed (used only by expressions with sun events; without
    it the library's fixed times apply). When the holidays cannot be rewritten, the library
    evaluates the string with its own French calendar (national public holidays, no school
    holidays).
    """
    if expression.plain is not None:
        return expression.plain
    if not expression.uses_sun:
        sun = None
    if expression.template is not None:
        if not expression.template.holiday_kinds:
            holiday_region, school_zone, year = None, None, 0
        schedule = _holiday_schedule(expression.text, holiday_region, school_zone, year, sun)
        if schedule is not None:
            return schedule
    return fallback_schedule(expression.text, sun)


@lru_cache(maxsize=1024)
def fallback_schedule(text: str, sun: Sun | None = None) -> Schedule:
    """The library's own evaluation of a valid string (national PH, SH never)."""
    try:
        hours = _hours(text, country="FR", sun=sun)
    except _UnparsableRewrite:
        hours = build_hours([text], max_interval_days=MAX_INTERVAL_DAYS, country="FR", sun=sun)
    return Schedule(hours=hours, year_bound=False, exact=False)


class _UnparsableRewrite(Exception):
    pass


def _parser_error(text: str) -> str | None:
    try:
        opening_hours.OpeningHours(text, max_interval_days=MAX_INTERVAL_DAYS)
    except Exception as error:  # ParserError, or anything else the library raises
        return str(error)
    return None


def _hours(text: str, *, country: str | None = None, sun: Sun | None = None) -> Hours:
    """The value's fallback parts (`structure.py`), parsed."""
    try:
        return build_hours(parts(text), max_interval_days=MAX_INTERVAL_DAYS, country=country, sun=sun)
    except Exception as error:  # the library's ParserError on a rewritten part
        raise _UnparsableRewrite(text) from error


@lru_cache(maxsize=CACHE_SIZE)
def _holiday_schedule(
    text: str, holiday_region: str | None, school_zone: str | None, year: int, sun: Sun | None
) -> Schedule | None:
    expression = expression_for(text)
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
        rendered = render(expression.template, holiday_dates=dates, window=(first, last))
        return Schedule(hours=_hours(rendered, sun=sun), year_bound=holiday_region is not None, exact=True)
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
