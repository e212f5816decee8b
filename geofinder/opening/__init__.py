"""Live evaluation of OpenStreetMap `opening_hours` values, correct for France.

Pure Python (no Django): French public holidays (national, Alsace-Moselle,
overseas), school holidays by zone, time zones of overseas départements,
DST changes and exceptional closures, on top of opening-hours-py.
"""

from geofinder.opening.departments import school_zone, timezone_for_department
from geofinder.opening.evaluate import evaluate, sun_position
from geofinder.opening.holidays import public_holidays
from geofinder.opening.status import Closure, OpeningStatus
from geofinder.opening.validation import normalise, validate
from geofinder.opening.week import week_schedule

__all__ = [
    "Closure",
    "OpeningStatus",
    "evaluate",
    "normalise",
    "public_holidays",
    "school_zone",
    "sun_position",
    "timezone_for_department",
    "validate",
    "week_schedule",
]
