"""Validation of raw opening_hours strings, for import warnings."""

from __future__ import annotations

import re

from geofinder.opening.schedules import expression_for

# Names of the library's grammar rules, as a reader would say them.
_EXPECTED_NAMES = {
    "timespan": "a time span",
    "holiday": "a holiday",
    "weekday_range": "a weekday",
    "small_range_selectors": "a weekday",
    "week_selector": "a week",
    "monthday_range": "a date",
    "year": "a year",
    "comment": "a comment",
    "any_rule_separator": "a rule separator",
    "rules_modifier": "open/closed/unknown",
    "always_open": "24/7",
    "plus_or_minus": "+/-",
}

# Most telling first: what the reader most likely meant to write.
_PRIORITY = [
    "a weekday",
    "a time span",
    "a date",
    "a holiday",
    "a week",
    "a year",
    "+/-",
    "24/7",
    "a comment",
    "open/closed/unknown",
    "a rule separator",
]

_POSITION_RE = re.compile(r"-->\s*\d+:(\d+)")
_EXPECTED_RE = re.compile(r"=\s*expected (.+)$", re.MULTILINE)


def normalise(raw: str) -> tuple[str, str | None]:
    """The value to store for `raw`, and a warning when it was read leniently
    (`lenient.py`): "opening_hours '9h-12h' read as '09:00-12:00' (hours written as 9h or
    9h30)". A value kept as it is (valid, or invalid even when read leniently) gives
    (raw, None)."""
    if raw is None or not raw.strip():
        return raw, None
    expression = expression_for(raw.strip())
    if not expression.valid or not expression.changes:
        return raw, None
    what = ", ".join(expression.changes)
    return expression.text, f"opening_hours {raw!r} read as {expression.text!r} ({what})"


def validate(raw: str) -> str | None:
    """Return None when `raw` is a valid opening_hours value, else a short English
    message naming the problem (e.g. "unexpected 'lundi 8h-12h' at character 1;
    expected a weekday, a date…")."""
    if raw is None or not raw.strip():
        return "empty opening_hours value"
    expression = expression_for(raw.strip())
    if expression.error is None:
        return None
    return describe_parser_error(raw=raw.strip(), error=expression.error)


def describe_parser_error(*, raw: str, error: str) -> str:
    """Turn the library's multi-line parser error into one short sentence."""
    position = _POSITION_RE.search(error)
    if position is None:
        return f"invalid opening_hours value {raw!r}"
    column = int(position.group(1))
    snippet = raw[column - 1 : column + 19]
    if not snippet:
        message = "unexpected end of value"
    else:
        message = f"unexpected {snippet!r} at character {column}"
    expected = _EXPECTED_RE.search(error)
    if expected:
        names = [name.strip() for name in re.split(r",|\bor\b", expected.group(1))]
        readable = sorted(
            {_EXPECTED_NAMES[name] for name in names if name in _EXPECTED_NAMES},
            key=_PRIORITY.index,
        )
        if readable:
            message += "; expected " + ", ".join(readable[:4])
    return message
