"""Lenient reading of forms found in French opening_hours data, where the meaning is certain.

Mappers and shop owners in France write `9h-12h`, `9h30-19h`, `Mo-Fr 9-18`, `8:00-1:00`,
`12:00-14:00, 19:00-22:00`, `Mo, Th 10:00-19:00`, `Mo - Sa`, `01: 30` or leave a separator at
the end. Each of these
has one possible meaning, so it is rewritten into the specification's form (`09:00-12:00`…);
the import report says what was rewritten and the normalised value is stored and shown. Forms
whose meaning is not certain (French day names, `9-12` after a date) are left as they are.
Comments (`"…"`) are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_COMMENT_RE = re.compile(r'"[^"]*"')
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)"


def _clock(hour: str, minute: str | None = None) -> str | None:
    """"HH:MM" for an hour of 0–24 and minutes of 0–59 (24 only as 24:00), else None."""
    hours, minutes = int(hour), int(minute or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return f"{hours:02d}:{minutes:02d}"


def _french_hour(match: re.Match) -> str:
    clock = _clock(match.group(1), match.group(2))
    return clock if clock is not None else match.group(0)


def _bare_ranges(match: re.Match) -> str:
    ranges = []
    for first, last in re.findall(r"(\d{1,2})-(\d{1,2})", match.group(2)):
        start, end = _clock(first), _clock(last)
        if start is None or end is None:
            return match.group(0)
        ranges.append(f"{start}-{end}")
    return match.group(1) + ",".join(ranges)


# (what the report says, pattern, replacement), applied in this order outside comments.
_REWRITES: tuple[tuple[str, re.Pattern, object], ...] = (
    ("extra spaces", re.compile(r"\s{2,}"), " "),
    # 9h, 9h30, 12H00, 9 h 30: a French clock time.
    ("hours written as 9h or 9h30", re.compile(r"(?<![\w:])(\d{1,2})\s?[hH]\s?(\d{2})?(?![\w:])"), _french_hour),
    ("a space inside a time", re.compile(r"(?<![\d:])(\d{1,2})\s+:\s*(\d{2})(?![\d:])|(?<![\d:])(\d{1,2}):\s+(\d{2})(?![\d:])"),
     lambda m: f"{m.group(1) or m.group(3)}:{m.group(2) or m.group(4)}"),
    ("spaces around a dash", re.compile(rf"(?<=\d\d:\d\d)\s*-\s*(?=\d{{1,2}}:\d\d)|(?<=\b{_DAY})\s*-\s*(?={_DAY}\b)"), "-"),
    ("a time without its leading zero", re.compile(r"(?<![\d:])(\d):(\d{2})(?![\d:])"), r"0\1:\2"),
    # Mo-Fr 9-18 or Mo-Fr 9-12,14-18: whole hours after a weekday selector.
    ("hours without minutes (9-18)",
     re.compile(rf"(\b{_DAY}\s)(\d{{1,2}}-\d{{1,2}}(?:,\d{{1,2}}-\d{{1,2}})*)(?=\s*(?:;|\||$|\"|,\s*[A-Za-z]|\s(?:open|closed|off|unknown)\b))"),
     _bare_ranges),
    ("a comma and a space between two time ranges", re.compile(r"(?<=\d\d:\d\d),\s+(?=\d\d:\d\d)"), ","),
    # Mo, Th 10:00-19:00: a weekday alone before ", " would be a rule open all day long.
    ("a comma and a space between two weekdays", re.compile(rf"(?<=\b{_DAY}),\s+(?={_DAY}\b)"), ","),
)
_TRAILING_RE = re.compile(r"[\s;,]+$")


@dataclass(frozen=True, slots=True)
class Reading:
    """A raw value and its normalised form; `changes` name what was rewritten (empty when
    the value is kept as it is)."""

    raw: str
    value: str
    changes: tuple[str, ...]

    @property
    def normalised(self) -> bool:
        return self.value != self.raw


@lru_cache(maxsize=8192)
def read_leniently(raw: str) -> Reading:
    """Rewrite the certain French forms of `raw` into the specification's form.

    The result is not validated here: `schedules.expression_for` keeps it only when the
    library accepts it.
    """
    text = raw.strip()
    changes: list[str] = []
    pieces = []
    position = 0
    for comment in _COMMENT_RE.finditer(text):
        pieces.append((text[position : comment.start()], False))
        pieces.append((comment.group(), True))
        position = comment.end()
    pieces.append((text[position:], False))
    out = []
    for piece, is_comment in pieces:
        if not is_comment:
            for what, pattern, replacement in _REWRITES:
                rewritten = pattern.sub(replacement, piece)
                if rewritten != piece:
                    piece = rewritten
                    if what not in changes:
                        changes.append(what)
        out.append(piece)
    value = "".join(out)
    trimmed = _TRAILING_RE.sub("", value) if not value.endswith('"') else value.rstrip()
    if trimmed != value.rstrip():
        changes.append("a separator at the end")
    value = trimmed.strip()
    if not changes:
        value = raw
    return Reading(raw=raw, value=value, changes=tuple(changes))
