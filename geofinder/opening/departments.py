"""What the opening-hours evaluation needs to know about a French département.

A département code ("31", "2A", "974"…) decides three things:

* the time zone in which the shop's wall clock runs;
* the public-holiday calendar (national, Alsace-Moselle, or an overseas
  département with its own abolition-of-slavery day);
* the school-holiday zone (A, B or C) of its académie.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

METROPOLITAN_TIMEZONE = "Europe/Paris"

# Overseas départements and collectivities that have a département-like code.
OVERSEAS_TIMEZONES: dict[str, str] = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
}

ALSACE_MOSELLE = frozenset({"57", "67", "68"})

# Holiday regions: keys of the public-holiday calendars in `holidays.py`.
REGION_NATIONAL = "national"
REGION_ALSACE_MOSELLE = "alsace-moselle"

# Académie of every metropolitan département (2024 map: Caen and Rouen are
# merged into Normandie).
ACADEMIES: dict[str, tuple[str, ...]] = {
    "Besançon": ("25", "39", "70", "90"),
    "Bordeaux": ("24", "33", "40", "47", "64"),
    "Clermont-Ferrand": ("03", "15", "43", "63"),
    "Dijon": ("21", "58", "71", "89"),
    "Grenoble": ("07", "26", "38", "73", "74"),
    "Limoges": ("19", "23", "87"),
    "Lyon": ("01", "42", "69"),
    "Poitiers": ("16", "17", "79", "86"),
    "Aix-Marseille": ("04", "05", "13", "84"),
    "Amiens": ("02", "60", "80"),
    "Lille": ("59", "62"),
    "Nancy-Metz": ("54", "55", "57", "88"),
    "Nantes": ("44", "49", "53", "72", "85"),
    "Nice": ("06", "83"),
    "Normandie": ("14", "27", "50", "61", "76"),
    "Orléans-Tours": ("18", "28", "36", "37", "41", "45"),
    "Reims": ("08", "10", "51", "52"),
    "Rennes": ("22", "29", "35", "56"),
    "Strasbourg": ("67", "68"),
    "Créteil": ("77", "93", "94"),
    "Montpellier": ("11", "30", "34", "48", "66"),
    "Paris": ("75",),
    "Toulouse": ("09", "12", "31", "32", "46", "65", "81", "82"),
    "Versailles": ("78", "91", "92", "95"),
    "Corse": ("2A", "2B"),
}

# School-holiday zone of every académie. The académie de Corse is in no zone:
# the Collectivité de Corse sets its own calendar. Its winter and spring
# holidays of 2025-2026 were exactly those of zone B, so Corsica is mapped to
# zone B as the closest approximation (it differed in some earlier years,
# e.g. spring 2024).
ACADEMY_ZONES: dict[str, str] = {
    "Besançon": "A",
    "Bordeaux": "A",
    "Clermont-Ferrand": "A",
    "Dijon": "A",
    "Grenoble": "A",
    "Limoges": "A",
    "Lyon": "A",
    "Poitiers": "A",
    "Aix-Marseille": "B",
    "Amiens": "B",
    "Lille": "B",
    "Nancy-Metz": "B",
    "Nantes": "B",
    "Nice": "B",
    "Normandie": "B",
    "Orléans-Tours": "B",
    "Reims": "B",
    "Rennes": "B",
    "Strasbourg": "B",
    "Corse": "B",
    "Créteil": "C",
    "Montpellier": "C",
    "Paris": "C",
    "Toulouse": "C",
    "Versailles": "C",
}

DEPARTMENT_ACADEMIES: dict[str, str] = {
    department: academy for academy, departments in ACADEMIES.items() for department in departments
}


@dataclass(frozen=True, slots=True)
class Territory:
    """Evaluation context derived from a département code."""

    department_code: str | None
    timezone: ZoneInfo
    holiday_region: str
    school_zone: str | None


def normalize_department_code(department_code: str | None) -> str | None:
    """Return the canonical form of a département code ("1" → "01", "2a" → "2A").

    Returns None for a missing or blank code.
    """
    if department_code is None:
        return None
    code = str(department_code).strip().upper()
    if not code:
        return None
    if code.isdigit() and len(code) == 1:
        code = code.zfill(2)
    return code


def timezone_for_department(department_code: str | None) -> ZoneInfo:
    """Return the time zone of a département: Europe/Paris unless overseas."""
    return territory_for(department_code).timezone


def school_zone(department_code: str | None) -> str | None:
    """Return the school-holiday zone ("A", "B" or "C") of a département.

    Overseas départements (whose académies set their own calendars), unknown
    codes and None give None. Corsica (2A, 2B) is approximated by zone B.
    """
    return territory_for(department_code).school_zone


@lru_cache(maxsize=512)
def territory_for(department_code: str | None) -> Territory:
    """Return the (cached) evaluation context of a département code."""
    code = normalize_department_code(department_code)
    if code in OVERSEAS_TIMEZONES:
        return Territory(
            department_code=code,
            timezone=ZoneInfo(OVERSEAS_TIMEZONES[code]),
            holiday_region=code,
            school_zone=None,
        )
    academy = DEPARTMENT_ACADEMIES.get(code) if code else None
    return Territory(
        department_code=code,
        timezone=ZoneInfo(METROPOLITAN_TIMEZONE),
        holiday_region=REGION_ALSACE_MOSELLE if code in ALSACE_MOSELLE else REGION_NATIONAL,
        school_zone=ACADEMY_ZONES.get(academy) if academy else None,
    )
