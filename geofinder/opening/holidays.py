"""French public holidays ("jours fériés"), national and local.

National holidays are those of the Code du travail (art. L3133-1). On top of
them:

* Alsace-Moselle (57, 67, 68) keeps Good Friday and 26 December;
* each overseas département has its abolition-of-slavery day (decree
  83-1003 of 23 November 1983 and law 2012-1270 for the collectivities):
  971 Guadeloupe 27 May, 972 Martinique 22 May, 973 Guyane 10 June,
  974 La Réunion 20 December, 976 Mayotte 27 April, 977 Saint-Barthélemy
  9 October, 978 Saint-Martin 28 May.

Other customary local days (Mi-Carême, Victor Schœlcher's day in the Antilles,
Good Friday in the Antilles) are not included.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Mapping

from geofinder.opening.departments import REGION_ALSACE_MOSELLE, territory_for

SLAVERY_ABOLITION_DAYS: dict[str, tuple[int, int]] = {
    "971": (5, 27),
    "972": (5, 22),
    "973": (6, 10),
    "974": (12, 20),
    "976": (4, 27),
    "977": (10, 9),
    "978": (5, 28),
}

SLAVERY_ABOLITION_NAME = "Abolition de l'esclavage"


def easter_sunday(year: int) -> date:
    """Return Easter Sunday of a Gregorian year (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - name from the algorithm
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=1024)
def holidays_for_region(year: int, region: str) -> Mapping[date, str]:
    """Return the public holidays of `year` for a holiday region (read-only, cached).

    `region` is a `Territory.holiday_region`: "national", "alsace-moselle" or
    an overseas département code.
    """
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Jour de l'an",
        easter + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du Travail",
        date(year, 5, 8): "Victoire 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    if region == REGION_ALSACE_MOSELLE:
        days[easter - timedelta(days=2)] = "Vendredi saint"
        days[date(year, 12, 26)] = "Saint-Étienne"
    if region in SLAVERY_ABOLITION_DAYS:
        month, day = SLAVERY_ABOLITION_DAYS[region]
        days[date(year, month, day)] = SLAVERY_ABOLITION_NAME
    return MappingProxyType(dict(sorted(days.items())))


def public_holidays(year: int, *, department_code: str | None) -> dict[date, str]:
    """Return the public holidays of `year` in a département, as {date: French name}.

    A None or unknown département gets the national calendar.
    """
    return dict(holidays_for_region(year, territory_for(department_code).holiday_region))


def is_public_holiday(day: date, *, department_code: str | None) -> bool:
    """Tell whether `day` is a public holiday in the département."""
    region = territory_for(department_code).holiday_region
    return day in holidays_for_region(day.year, region)
