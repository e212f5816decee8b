"""French school holidays ("vacances scolaires") by academic zone.

The calendar lives in `data/school_holidays.toml` at the repository root; the
département → zone mapping is in `departments.py`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from geofinder.opening.departments import school_zone

SCHOOL_HOLIDAYS_PATH = Path(__file__).resolve().parents[2] / "data" / "school_holidays.toml"

ZONES = ("A", "B", "C")


@dataclass(frozen=True, slots=True)
class SchoolHolidayPeriod:
    """Days without classes in one or more zones, both ends inclusive."""

    school_year: str
    name: str
    zones: frozenset[str]
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def parse_school_holidays(*, text: str) -> tuple[SchoolHolidayPeriod, ...]:
    """Parse the TOML calendar text into periods sorted by start date.

    Raises ValueError when a period is malformed (unknown zone, end before start…).
    """
    document = tomllib.loads(text)
    periods = []
    for entry in document.get("periods", []):
        start, end = entry["start"], entry["end"]
        zones = frozenset(entry["zones"])
        if not isinstance(start, date) or not isinstance(end, date) or end < start:
            raise ValueError(f"invalid dates in school holiday period {entry!r}")
        if not zones or not zones <= set(ZONES):
            raise ValueError(f"invalid zones in school holiday period {entry!r}")
        periods.append(
            SchoolHolidayPeriod(
                school_year=entry["school_year"],
                name=entry["name"],
                zones=zones,
                start=start,
                end=end,
            )
        )
    return tuple(sorted(periods, key=lambda period: (period.start, period.name)))


@lru_cache(maxsize=1)
def load_school_holidays() -> tuple[SchoolHolidayPeriod, ...]:
    """Return every period of the repository's calendar (read once, cached)."""
    return parse_school_holidays(text=SCHOOL_HOLIDAYS_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def periods_for_zone(zone: str | None) -> tuple[SchoolHolidayPeriod, ...]:
    """Return the periods that apply to a zone ("A", "B", "C"); none for None."""
    if zone is None:
        return ()
    return tuple(period for period in load_school_holidays() if zone in period.zones)


def school_holiday(day: date, *, department_code: str | None) -> SchoolHolidayPeriod | None:
    """Return the school-holiday period covering `day` in the département, if any."""
    for period in periods_for_zone(school_zone(department_code)):
        if day in period:
            return period
    return None


def is_school_holiday(day: date, *, department_code: str | None) -> bool:
    """Tell whether `day` is a school-holiday day in the département."""
    return school_holiday(day, department_code=department_code) is not None
