"""An opening_hours value as the specification reads it, over opening-hours-py.

`Hours` has the part of the library's `OpeningHours` interface the evaluation uses (`state`,
`next_change`, `intervals`, `is_open`, on naive local wall-clock datetimes) and adds what
`structure.py` prepared:

* fallback parts: at an instant, the first part whose state is not closed decides (the
  reference's reading of `||`), else the value is closed;
* open-end spans: the library's `unknown` with a comment starting with OPEN_END is read as
  open (closing time unknown); `is_open_end(comment)` tells them apart;
* sun events: parts built with the place's coordinates and time zone compute sunrise, sunset,
  dawn and dusk there (the library's own solar computation); the library then answers in
  aware local datetimes, which are made naive again here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterator, Sequence
from zoneinfo import ZoneInfo

import opening_hours

from geofinder.opening.structure import OPEN_END

CLOSED = opening_hours.State.CLOSED
OPEN = opening_hours.State.OPEN
UNKNOWN = opening_hours.State.UNKNOWN

# Steps of `intervals` over a window (a day has a few dozen changes at most).
MAX_INTERVALS = 1000


def is_open_end(comment: str) -> bool:
    """True for the comment of an open-end span."""
    return comment.startswith(OPEN_END)


def shown_comment(comment: str) -> str:
    """A comment as residents read it (without the open-end mark), stripped."""
    return comment.removeprefix(OPEN_END).strip()


def _naive(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.replace(tzinfo=None)


class Hours:
    """A value cut into fallback parts, each an `opening_hours.OpeningHours`."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[opening_hours.OpeningHours]):
        self.parts = tuple(parts)

    def state(self, wall: datetime) -> tuple[opening_hours.State, str]:
        """(state, comment) at a naive wall-clock time; an open-end span is OPEN with its
        OPEN_END comment."""
        first_comment = None
        for part in self.parts:
            state, comment = part.state(wall)
            if state == UNKNOWN and is_open_end(comment):
                return OPEN, comment
            if state != CLOSED:
                return state, comment
            if first_comment is None:
                first_comment = comment
        return CLOSED, first_comment or ""

    def is_open(self, wall: datetime) -> bool:
        return self.state(wall)[0] == OPEN

    def next_change(self, wall: datetime) -> datetime | None:
        """The first wall-clock time after `wall` at which some part changes (state or
        comment), or None. The value's own state may stay the same there."""
        changes = [_naive(part.next_change(wall)) for part in self.parts]
        known = [change for change in changes if change is not None]
        return min(known) if known else None

    def intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime, opening_hours.State, str]]:
        """(from, to, state, comment) covering [start, end), merged where they are the same."""
        at = start
        for _ in range(MAX_INTERVALS):
            if at >= end:
                return
            reading = self.state(at)
            change = self.next_change(at)
            while change is not None and change < end and self.state(change) == reading:
                change = self.next_change(change)
            until = end if change is None or change > end else change
            yield at, until, reading[0], reading[1]
            at = until


def build_hours(
    texts: Sequence[str],
    *,
    max_interval_days: int,
    country: str | None = None,
    sun: tuple[float, float, ZoneInfo] | None = None,
) -> Hours:
    """Parse the parts of a value (raises the library's error when one does not parse).

    `sun` = (lat, lon, zone) makes the library compute sun events at that place.
    """
    options: dict = {"max_interval_days": max_interval_days}
    if country is not None:
        options["country"] = country
    if sun is not None:
        lat, lon, zone = sun
        # auto_timezone must stay on: with it off, opening-hours-py 2.1.4 ignores the
        # coordinates and uses its fixed 07:00/19:00 (dawn 06:00, dusk 20:00).
        options.update(coords=(lat, lon), timezone=zone, auto_country=False)
    return Hours([opening_hours.OpeningHours(text, **options) for text in texts])
