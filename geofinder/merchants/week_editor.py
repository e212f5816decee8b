"""The week editor: opening hours typed day by day, written as an OSM `opening_hours` value.

Each day holds its time ranges ("09:00-12:00, 14:00-18:00": a split day) or nothing (closed);
public holidays are closed (`PH off`), open as a given day, or open with their own ranges; a
school-holiday week may replace the usual one (`SH Mo-Fr 10:00-17:00; SH Sa-Su off`, the
zone's calendar of the place's département). Consecutive days with the same ranges are written
as one rule (`Mo-Fr 09:00-18:00`). The value written is checked by the evaluator of the search
(geofinder/opening) before it is stored.

`week_from_hours` reads back a value of that simple shape into the editor's days; any other
value (seasons, week numbers, comments…) is left to the expert field.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_LABELS = dict(zip(DAYS, (gettext_lazy("Lundi"), gettext_lazy("Mardi"), gettext_lazy("Mercredi"), gettext_lazy("Jeudi"),
                             gettext_lazy("Vendredi"), gettext_lazy("Samedi"), gettext_lazy("Dimanche"))))
PH_CLOSED, PH_AS_DAY, PH_OWN, PH_UNSAID = "off", "as_day", "own", ""

_TIME = r"(?:[01][0-9]|2[0-4]):[0-5][0-9]"
_RANGE = re.compile(rf"^({_TIME})-({_TIME})$")
_RULE = re.compile(
    rf"^(SH )?(PH|[A-Z][a-z](?:-[A-Z][a-z])?(?:,[A-Z][a-z](?:-[A-Z][a-z])?)*) ((?:{_TIME}-{_TIME})(?:,{_TIME}-{_TIME})*|off)$"
)


class WeekError(ValueError):
    """A day's ranges that cannot be read: `field` names the day (or "ph")."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def parse_ranges(text: str, *, field: str) -> list[str]:
    """"9:00-12:00, 14h-18h30" → ["09:00-12:00", "14:00-18:30"] (each range start before end,
    ranges in order and apart); WeekError naming `field` otherwise."""
    ranges = []
    for part in re.split(r"[,;]", text or ""):
        part = re.sub(r"\s+", "", part).replace("h", ":").replace("H", ":").replace("–", "-")
        if not part:
            continue
        part = re.sub(r"(?<![0-9])([0-9]):", r"0\1:", part)
        part = re.sub(r":(?=-|$)", ":00", part)
        match = _RANGE.match(part)
        if not match:
            raise WeekError(field, gettext("« %(part)s » n'est pas une plage horaire (exemple : 09:00-12:00).") % {"part": part})
        start, end = match.groups()
        if end <= start and end != "00:00":
            raise WeekError(field, gettext("« %(part)s » : la fin doit suivre le début (après minuit : 22:00-02:00 "
                                           "n'est pas pris en charge ici, utilisez le champ expert).") % {"part": part})
        if ranges and start <= ranges[-1].split("-")[1]:
            raise WeekError(field, gettext("« %(part)s » chevauche ou précède la plage d'avant.") % {"part": part})
        ranges.append(f"{start}-{end}")
    return ranges


def _rules(parsed: dict[str, list[str]], *, closed: bool, prefix: str = "") -> list[str]:
    """Consecutive days of equal ranges as one rule each; closed days as `off` rules if `closed`."""
    rules: list[str] = []
    start = 0
    while start < len(DAYS):
        end = start
        while end + 1 < len(DAYS) and parsed[DAYS[end + 1]] == parsed[DAYS[start]]:
            end += 1
        ranges = parsed[DAYS[start]]
        span = DAYS[start] if start == end else f"{DAYS[start]}-{DAYS[end]}"
        if ranges:
            rules.append(f"{prefix}{span} {','.join(ranges)}")
        elif closed:
            rules.append(f"{prefix}{span} off")
        start = end + 1
    return rules


def hours_from_week(
    days: dict[str, str], *, ph: str = PH_UNSAID, ph_day: str = "Su", ph_ranges: str = "",
    school_days: dict[str, str] | None = None,
) -> str:
    """The opening_hours value of a week: `days` maps Mo…Su to their ranges' text;
    `school_days`, when given, the week during school holidays (a day left empty is closed then)."""
    parsed = {day: parse_ranges(days.get(day, ""), field=day) for day in DAYS}
    rules = _rules(parsed, closed=False)
    if school_days is not None:
        school = {day: parse_ranges(school_days.get(day, ""), field=f"SH_{day}") for day in DAYS}
        rules += _rules(school, closed=True, prefix="SH ")
    if ph == PH_CLOSED:
        rules.append("PH off")
    elif ph == PH_AS_DAY:
        if ph_day not in DAYS:
            raise WeekError("ph_day", gettext("Choisissez un jour."))
        rules.append(f"PH {','.join(parsed[ph_day])}" if parsed[ph_day] else "PH off")
    elif ph == PH_OWN:
        ranges = parse_ranges(ph_ranges, field="ph_ranges")
        rules.append(f"PH {','.join(ranges)}" if ranges else "PH off")
    return "; ".join(rules)


def week_from_hours(raw: str) -> dict | None:
    """The editor's days of a value of the shape hours_from_week writes ({"Mo": "09:00-12:00",
    …, "ph": …, "ph_ranges": …, "school": {"Mo": …} or None}), or None for any other value."""
    days = {day: "" for day in DAYS}
    school: dict[str, str] | None = None
    ph, ph_ranges = PH_UNSAID, ""
    if not raw.strip():
        return {**days, "ph": ph, "ph_ranges": ph_ranges, "school": school}
    for rule in (part.strip() for part in raw.split(";")):
        match = _RULE.match(rule)
        if not match:
            return None
        sh, selector, times = match.groups()
        if selector == "PH":
            if sh:
                return None
            ph, ph_ranges = (PH_CLOSED, "") if times == "off" else (PH_OWN, times.replace(",", ", "))
            continue
        if sh:
            school = school if school is not None else {day: "" for day in DAYS}
        elif times == "off":
            return None
        target = school if sh else days
        for span in selector.split(","):
            first, _, last = span.partition("-")
            if first not in DAYS or (last and last not in DAYS):
                return None
            for day in DAYS[DAYS.index(first) : DAYS.index(last or first) + 1]:
                target[day] = "" if times == "off" else times.replace(",", ", ")
    return {**days, "ph": ph, "ph_ranges": ph_ranges, "school": school}
