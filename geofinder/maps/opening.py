"""Opening statuses that stay true when a static map is opened days after it was rendered.

For each place, the status is evaluated server-side (French public holidays, Alsace-Moselle,
overseas time zones, school holidays, exceptional closures: everything `geofinder.opening.evaluate`
knows) at the render instant and again at each change of status and each local midnight, up to
`HORIZON_DAYS` ahead. The result is a timeline of pieces — from this instant on, the place is
open/closed until its next change, with an optional note such as "jour férié" — that a small
script in the page (`js/opening_status.js`) reads to show the status at the moment a popup is
opened, in the same French wording as the API ("Ouvert · ferme à 19:00"). Beyond the horizon,
or without JavaScript, the page shows the status stamped with the render instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from geofinder.opening import Closure, OpeningStatus, evaluate, sun_position, timezone_for_department
from geofinder.opening.evaluate import local_midnight
from geofinder.opening.labels import WEEKDAY_NAMES, is_fixed
from geofinder.opening.status import UNKNOWN

HORIZON_DAYS = 14
# Local midnights are listed this many days past the horizon, so that "demain", "lundi" or
# "le 12/01" are told apart for every change announced within the horizon.
_MIDNIGHT_MARGIN_DAYS = 8
# A safety net: no value changes status more than a few times a day.
_MAX_PIECES = 50 * HORIZON_DAYS


@dataclass(frozen=True, slots=True)
class Piece:
    """From `start` on (UTC), the place is in `state` until `change` (its next change of
    status, possibly beyond the horizon, None for never); `note` replaces the label when set."""

    start: datetime
    state: str
    change: datetime | None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Timeline:
    """The status at the render instant (with its French label) and what follows."""

    now: OpeningStatus
    zone: ZoneInfo
    pieces: tuple[Piece, ...]

    @property
    def is_static(self) -> bool:
        """True when the status never changes by itself (no hours, or an invalid value)."""
        return self.now.state == UNKNOWN and self.now.next_change is None


def opening_timeline(
    raw: str | None,
    *,
    start: datetime,
    department_code: str | None,
    closures: Sequence[Closure] = (),
    days: int = HORIZON_DAYS,
    position: tuple[float, float] | None = None,
) -> Timeline:
    """The statuses of an opening_hours value from `start` (aware) for `days` days; `position`
    (lon, lat) is where sun events are computed (else the département's centre)."""
    zone = timezone_for_department(department_code)
    end = start + timedelta(days=days)
    first = evaluate(raw, at=start, department_code=department_code, closures=closures, position=position)
    pieces: list[Piece] = []
    at, status = start, first
    while True:
        piece = Piece(
            start=at,
            state=status.state,
            change=status.next_change,
            note=status.label if is_fixed(status.label) else "",
        )
        last = pieces[-1] if pieces else None
        if last is None or (last.state, last.change, last.note) != (piece.state, piece.change, piece.note):
            pieces.append(piece)
        following = local_midnight(at.astimezone(zone).date() + timedelta(days=1), zone)
        if status.next_change is not None and status.next_change < following:
            following = status.next_change
        if following >= end or len(pieces) >= _MAX_PIECES:
            break
        at = following
        status = evaluate(raw, at=at, department_code=department_code, closures=closures, position=position)
    return Timeline(now=first, zone=zone, pieces=tuple(pieces))


def _ms(instant: datetime) -> int:
    return round(instant.timestamp() * 1000)


@dataclass
class TimelineTable:
    """The timelines of a map, as the page's script reads them (JSON-ready).

    Places sharing the same hours, département and closures share one timeline; local midnights
    are listed once per time zone.
    """

    computed_at: datetime
    days: int = HORIZON_DAYS
    timelines: list[dict] = field(default_factory=list)
    places: dict[str, int] = field(default_factory=dict)
    _index: dict[tuple, int] = field(default_factory=dict)
    _cache: dict[tuple, Timeline] = field(default_factory=dict)
    _zones: set[str] = field(default_factory=set)

    def status_of(
        self,
        place_id: int,
        raw: str,
        *,
        department_code: str | None,
        closures: Sequence[Closure] = (),
        position: tuple[float, float] | None = None,
    ) -> OpeningStatus:
        """Add a place's timeline (unless its status never changes) and give its status now;
        `position` (lon, lat) is where sun events are computed."""
        position = sun_position(raw, *position) if position else None
        key = (raw, department_code, tuple(closures), position)
        timeline = self._cache.get(key)
        if timeline is None:
            timeline = opening_timeline(
                raw, start=self.computed_at, department_code=department_code, closures=closures, days=self.days,
                position=position,
            )
            self._cache[key] = timeline
        if not timeline.is_static:
            if key not in self._index:
                self._index[key] = len(self.timelines)
                self.timelines.append(self._timeline_json(timeline))
            self.places[str(place_id)] = self._index[key]
        return timeline.now

    def _timeline_json(self, timeline: Timeline) -> dict:
        self._zones.add(timeline.zone.key)
        return {
            "z": timeline.zone.key,
            "p": [
                [_ms(piece.start), piece.state, self._change_json(piece.change), piece.note]
                for piece in timeline.pieces
            ],
        }

    @staticmethod
    def _change_json(change: datetime | None) -> list | None:
        """A change as the page shows it: UTC milliseconds, then local "HH:MM", weekday, "dd/mm"."""
        if change is None:
            return None
        return [
            _ms(change),
            f"{change.hour:02d}:{change.minute:02d}",
            WEEKDAY_NAMES[change.weekday()],
            f"{change.day:02d}/{change.month:02d}",
        ]

    def as_json(self) -> dict:
        """Everything the page's script needs: render instant, horizon, midnights, timelines."""
        midnights = {}
        for key in sorted(self._zones):
            zone = ZoneInfo(key)
            day = self.computed_at.astimezone(zone).date()
            midnights[key] = [
                _ms(local_midnight(day + timedelta(days=offset), zone))
                for offset in range(self.days + _MIDNIGHT_MARGIN_DAYS + 1)
            ]
        return {
            "computed": _ms(self.computed_at),
            "until": _ms(self.computed_at + timedelta(days=self.days)),
            "midnights": midnights,
            "timelines": self.timelines,
            "places": self.places,
        }
