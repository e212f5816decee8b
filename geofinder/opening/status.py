"""The result of an evaluation and the exceptional closures it takes into account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

OPEN = "open"
CLOSED = "closed"
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class OpeningStatus:
    """Whether a place is open at an instant, when that changes, and a French label."""

    state: str  # "open" | "closed" | "unknown"
    next_change: datetime | None  # aware, in the place's time zone
    label: str

    def as_dict(self) -> dict:
        """JSON-ready form: next_change as ISO 8601 with its UTC offset, or None."""
        return {
            "state": self.state,
            "next_change": self.next_change.isoformat() if self.next_change else None,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class Closure:
    """An exceptional closure of a place (e.g. administrative), dates inclusive."""

    start: date
    end: date
    reason: str = ""
