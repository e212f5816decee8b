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

# Centre of every département (lon, lat; degrees, WGS84): the centroid of its polygon in
# ADMIN EXPRESS 2018 (shared/data/boundaries/departements.geojson), or a point inside it when
# the centroid falls outside; rounded to 0.01° (about 1 km, a few seconds of sunrise). Used
# for sunrise and sunset when a place's own position is not given. The collectivities without
# a polygon there (975, 977, 978) take their main town.
DEPARTMENT_CENTRES: dict[str, tuple[float, float]] = {
    "01": (5.35, 46.10),
    "02": (3.56, 49.56),
    "03": (3.19, 46.39),
    "04": (6.24, 44.11),
    "05": (6.26, 44.66),
    "06": (7.12, 43.94),
    "07": (4.43, 44.75),
    "08": (4.64, 49.62),
    "09": (1.50, 42.92),
    "10": (4.16, 48.30),
    "11": (2.41, 43.10),
    "12": (2.68, 44.28),
    "13": (5.09, 43.55),
    "14": (-0.36, 49.10),
    "15": (2.67, 45.05),
    "16": (0.20, 45.72),
    "17": (-0.68, 45.78),
    "18": (2.49, 47.07),
    "19": (1.88, 45.36),
    "21": (4.77, 47.43),
    "22": (-2.86, 48.44),
    "23": (2.02, 46.09),
    "24": (0.74, 45.10),
    "25": (6.36, 47.17),
    "26": (5.17, 44.69),
    "27": (1.00, 49.11),
    "28": (1.37, 48.39),
    "29": (-4.06, 48.26),
    "2A": (8.99, 41.86),
    "2B": (9.21, 42.39),
    "30": (4.18, 43.99),
    "31": (1.17, 43.36),
    "32": (0.45, 43.69),
    "33": (-0.58, 44.84),
    "34": (3.37, 43.58),
    "35": (-1.64, 48.16),
    "36": (1.58, 46.78),
    "37": (0.69, 47.26),
    "38": (5.57, 45.26),
    "39": (5.70, 46.73),
    "40": (-0.78, 43.97),
    "41": (1.43, 47.62),
    "42": (4.16, 45.73),
    "43": (3.81, 45.13),
    "44": (-1.68, 47.36),
    "45": (2.34, 47.91),
    "46": (1.61, 44.62),
    "47": (0.46, 44.37),
    "48": (3.50, 44.52),
    "49": (-0.56, 47.39),
    "50": (-1.33, 49.08),
    "51": (4.24, 48.95),
    "52": (5.23, 48.11),
    "53": (-0.66, 48.15),
    "54": (6.16, 48.79),
    "55": (5.38, 48.99),
    "56": (-2.81, 47.85),
    "57": (6.66, 49.04),
    "58": (3.50, 47.12),
    "59": (3.22, 50.45),
    "60": (2.43, 49.41),
    "61": (0.13, 48.62),
    "62": (2.29, 50.49),
    "63": (3.14, 45.73),
    "64": (-0.76, 43.26),
    "65": (0.16, 43.05),
    "66": (2.52, 42.60),
    "67": (7.55, 48.67),
    "68": (7.27, 47.86),
    "69": (4.64, 45.87),
    "70": (6.09, 47.64),
    "71": (4.54, 46.64),
    "72": (0.22, 47.99),
    "73": (6.44, 45.48),
    "74": (6.43, 46.03),
    "75": (2.34, 48.86),
    "76": (1.03, 49.65),
    "77": (2.93, 48.63),
    "78": (1.84, 48.82),
    "79": (-0.32, 46.56),
    "80": (2.28, 49.96),
    "81": (2.17, 43.79),
    "82": (1.28, 44.09),
    "83": (6.24, 43.44),
    "84": (5.18, 44.01),
    "85": (-1.30, 46.67),
    "86": (0.46, 46.56),
    "87": (1.23, 45.89),
    "88": (6.38, 48.20),
    "89": (3.56, 47.84),
    "90": (6.93, 47.63),
    "91": (2.24, 48.52),
    "92": (2.20, 48.84),
    "93": (2.48, 48.92),
    "94": (2.47, 48.78),
    "95": (2.13, 49.08),
    "971": (-61.68, 16.15),
    "972": (-61.02, 14.65),
    "973": (-53.24, 3.92),
    "974": (55.53, -21.13),
    "976": (45.15, -12.82),
    "975": (-56.18, 46.78),
    "977": (-62.85, 17.90),
    "978": (-63.06, 18.07),
}


@dataclass(frozen=True, slots=True)
class Territory:
    """Evaluation context derived from a département code."""

    department_code: str | None
    timezone: ZoneInfo
    holiday_region: str
    school_zone: str | None
    centre: tuple[float, float] | None = None  # (lon, lat) of the département, if known


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
            centre=DEPARTMENT_CENTRES.get(code),
        )
    academy = DEPARTMENT_ACADEMIES.get(code) if code else None
    return Territory(
        department_code=code,
        timezone=ZoneInfo(METROPOLITAN_TIMEZONE),
        holiday_region=REGION_ALSACE_MOSELLE if code in ALSACE_MOSELLE else REGION_NATIONAL,
        school_zone=ACADEMY_ZONES.get(academy) if academy else None,
        centre=DEPARTMENT_CENTRES.get(code) if code else None,
    )
