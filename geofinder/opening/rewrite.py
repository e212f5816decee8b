"""Rewrite `PH`/`SH` selectors of an opening_hours string into explicit dates.

opening-hours-py only knows national public holidays (through its `country`
argument) and has no school-holiday calendar for France: `SH` never matches.
It also reads `SH Mo-Fr` (a space between the holiday and the weekdays, which
the OSM specification defines as "school holidays that are also Mo-Fr") as a
union, like `SH,Mo-Fr`.

So every rule whose weekday selector holds a holiday is rewritten with our own
calendars: `PH` becomes a list of dates (`2027 Mar 26,2027 Apr 29,…`), filtered
by the rule's own year/month/week selectors and, for an intersection, by its
weekdays. A union (`Sa,PH off`) is split into two rules with the same
separator (`Sa off; <dates> off`), which has the same meaning for normal,
additional and fallback rules.

A string is first turned into a `Template` (done once per string), then
rendered with the holiday dates of a département and a year window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

import opening_hours

from geofinder.opening.lexer import Token, tokenize

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# A date selector that never matches in practice: used when a holiday set is
# empty, so that the rule keeps its place and its syntax.
NEVER = "1900 Jan 1"

HOLIDAY_KINDS = ("PH", "SH")


class RewriteError(ValueError):
    """The string uses a construct this rewriter does not handle."""


@dataclass(frozen=True, slots=True)
class HolidaySelector:
    """`PH` or `SH`, possibly shifted (`PH +1 day`)."""

    kind: str
    offset_days: int = 0


@dataclass(frozen=True, slots=True)
class HolidayRule:
    """A rule whose weekday selector holds holidays, cut into its parts."""

    wide: str  # year / month / week selectors before the weekday selector
    weekdays: str  # the plain weekday items of the selector, comma-joined
    holidays: tuple[HolidaySelector, ...]
    intersect: bool  # `SH Mo-Fr`: holidays that are also these weekdays
    rest: str  # time selectors, modifier and comment
    separator: str  # used to split a union into two rules


@dataclass(frozen=True, slots=True)
class Template:
    """A raw string cut into literal text and holiday rules to render."""

    parts: tuple[str | HolidayRule, ...]

    @property
    def holiday_kinds(self) -> frozenset[str]:
        return frozenset(
            selector.kind
            for part in self.parts
            if isinstance(part, HolidayRule)
            for selector in part.holidays
        )


def prepare(*, raw: str) -> Template:
    """Cut a (library-valid) string into a `Template`.

    Raises RewriteError for constructs that cannot be rewritten safely.
    """
    tokens = tokenize(text=raw)
    edits: list[tuple[int, int, str | HolidayRule]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind in ("holiday", "weekday"):
            end, items, separators = _read_group(raw, tokens, index)
            if any(isinstance(item, HolidaySelector) for item, _ in items):
                edits.append(_holiday_rule(raw, tokens, index, end, items, separators))
            index = end
            continue
        index += 1
    return Template(parts=_apply(raw, edits))


def render(
    template: Template,
    *,
    holiday_dates: Mapping[str, Sequence[date]],
    window: tuple[date, date],
) -> str:
    """Render a template into an expression without `PH`/`SH`.

    `holiday_dates` maps "PH"/"SH" to the holiday days around `window`; only
    the dates inside `window` (after offsets) are written.
    """
    out = []
    for part in template.parts:
        out.append(part if isinstance(part, str) else _render_rule(part, holiday_dates, window))
    return "".join(out)


def format_dates(days: Iterable[date]) -> str:
    """Format days as a monthday selector, merging consecutive days into ranges."""
    ranges: list[list[date]] = []
    for day in sorted(set(days)):
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return ",".join(
        _format_day(first) if first == last else f"{_format_day(first)}-{_format_day(last)}"
        for first, last in ranges
    )


def _format_day(day: date) -> str:
    return f"{day.year} {MONTH_NAMES[day.month - 1]} {day.day}"


_Item = tuple[HolidaySelector | None, str]


def _read_item(raw: str, tokens: list[Token], index: int) -> tuple[_Item, int]:
    token = tokens[index]
    end = index + 1
    if token.kind == "weekday":
        if end < len(tokens) and tokens[end].kind == "nth":
            end += 1
        if (
            end + 1 < len(tokens)
            and tokens[end].kind == "dash"
            and tokens[end + 1].kind == "weekday"
        ):
            end += 2
            if end < len(tokens) and tokens[end].kind == "nth":
                end += 1
    offset = 0
    if end < len(tokens) and tokens[end].kind == "offset":
        offset = int(re.sub(r"[^\d+-]", "", tokens[end].text))
        end += 1
    if token.kind == "holiday":
        return (HolidaySelector(kind=token.text, offset_days=offset), token.text), end
    return (None, raw[token.start : tokens[end - 1].end]), end


def _read_group(raw: str, tokens: list[Token], index: int) -> tuple[int, list[_Item], list[str]]:
    items: list[_Item] = []
    separators: list[str] = []
    while True:
        item, index = _read_item(raw, tokens, index)
        items.append(item)
        if (
            index + 1 < len(tokens)
            and tokens[index].kind == "comma"
            and tokens[index + 1].kind in ("holiday", "weekday")
        ):
            separators.append(",")
            index += 1
        elif index < len(tokens) and tokens[index].kind in ("holiday", "weekday"):
            separators.append(" ")
        else:
            return index, items, separators


def _holiday_rule(
    raw: str,
    tokens: list[Token],
    group_start: int,
    group_end: int,
    items: list[_Item],
    separators: list[str],
) -> tuple[int, int, HolidayRule]:
    # Where does the rule start? Walk back over year/month/week selectors.
    index = group_start - 1
    while index >= 0 and tokens[index].is_wide():
        index -= 1
    if index < 0:
        rule_start, separator = 0, "; "
    elif tokens[index].kind == "semi":
        rule_start, separator = index + 1, "; "
    elif tokens[index].kind == "fallback":
        rule_start, separator = index + 1, " || "
    else:
        # After a time span or a comment: the rule follows an additional-rule comma.
        comma = next((i for i in range(index + 1, group_start) if tokens[i].kind == "comma"), None)
        if comma is None:
            raise RewriteError(f"cannot find where the rule of {tokens[group_start].text} starts")
        rule_start, separator = comma + 1, ", "

    # Where does it end? At a rule separator (a comma not followed by a time).
    rule_end = group_end
    while rule_end < len(tokens):
        token = tokens[rule_end]
        if token.kind in ("semi", "fallback"):
            break
        if token.kind == "comma" and not (
            rule_end + 1 < len(tokens) and tokens[rule_end + 1].continues_time_list()
        ):
            break
        rule_end += 1

    wide = ""
    if rule_start < group_start:
        wide = raw[tokens[rule_start].start : tokens[group_start - 1].end].strip()
        wide = wide.rstrip(":").strip()
    rest = raw[tokens[group_end].start : tokens[rule_end - 1].end] if group_end < rule_end else ""

    holidays = tuple(selector for selector, _ in items if selector is not None)
    weekdays = ",".join(text for selector, text in items if selector is None)
    intersect = any(
        separator == " " and (items[i][0] is None) != (items[i + 1][0] is None)
        for i, separator in enumerate(separators)
    )
    start = tokens[min(rule_start, group_start)].start
    end = tokens[max(rule_end, group_end) - 1].end
    rule = HolidayRule(
        wide=wide,
        weekdays=weekdays,
        holidays=holidays,
        intersect=intersect and bool(weekdays),
        rest=rest,
        separator=separator,
    )
    return start, end, rule


def _apply(
    raw: str, edits: list[tuple[int, int, str | HolidayRule]]
) -> tuple[str | HolidayRule, ...]:
    parts: list[str | HolidayRule] = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        if start < position:
            raise RewriteError("overlapping holiday rules")
        parts.append(raw[position:start])
        parts.append(replacement)
        position = end
    parts.append(raw[position:])
    # Merge adjacent strings so that rendering a plain template is one join.
    merged: list[str | HolidayRule] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return tuple(merged)


@lru_cache(maxsize=1024)
def _day_filter(text: str) -> opening_hours.OpeningHours:
    try:
        return opening_hours.OpeningHours(text)
    except Exception as error:  # the library raises its own ParserError
        raise RewriteError(f"cannot evaluate selector {text!r}") from error


def _keep_days(days: list[date], selector: str) -> list[date]:
    hours = _day_filter(selector)
    return [day for day in days if hours.is_open(datetime.combine(day, time(12)))]


def _render_rule(
    rule: HolidayRule,
    holiday_dates: Mapping[str, Sequence[date]],
    window: tuple[date, date],
) -> str:
    first, last = window
    days: set[date] = set()
    for selector in rule.holidays:
        shift = timedelta(days=selector.offset_days)
        days.update(day + shift for day in holiday_dates.get(selector.kind, ()))
    kept = sorted(day for day in days if first <= day <= last)
    if rule.wide:
        kept = _keep_days(kept, rule.wide)
    if rule.intersect:
        kept = _keep_days(kept, rule.weekdays)
    holiday_rule = " ".join(filter(None, (format_dates(kept) or NEVER, rule.rest)))
    if rule.intersect or not rule.weekdays:
        return holiday_rule
    weekday_rule = " ".join(filter(None, (rule.wide, rule.weekdays, rule.rest)))
    return f"{weekday_rule}{rule.separator}{holiday_rule}"
