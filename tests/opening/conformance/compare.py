"""Compare geofinder's evaluation with the reference's expectations (expectations.json).

Two sets of values: "hand", the values of handwritten.json (written by hand for this suite), and
"data", the real values found at run time in the OpenStreetMap files of GEOFINDER_DATA_DIR
(read with geofinder's own reader, never copied into the repository: expectations.json keys
their cases by a digest of the value).

Used by tests/opening/test_conformance.py; also a script that prints the agreement rate and
the disagreements, e.g. to measure another checkout of geofinder:

    PYTHONPATH=/path/to/geofinder python tests/opening/conformance/compare.py [-v]
"""

from __future__ import annotations

import hashlib
import inspect
import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The place of a real value: the suite's nearest place within this distance (as in expect.js).
NEAREST_PLACE_KM = 60


@dataclass(frozen=True, slots=True)
class Case:
    set: str  # "hand" (handwritten.json) or "data" (GEOFINDER_DATA_DIR)
    value: str
    place: str
    instant: str  # ISO 8601 with offset
    state: str  # the reference's: open, closed, unknown, invalid (rejected), error (failed)
    next_change: str | None  # UTC ISO, or None within the horizon
    comment: str | None
    warnings: int  # how many warnings the reference gave on the value (it corrected a form)


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    state: str  # geofinder's: open, closed, unknown, invalid
    next_change: str | None

    @property
    def state_agrees(self) -> bool:
        return self.state == self.case.state

    @property
    def agrees(self) -> bool:
        return self.state_agrees and self.next_change == self.case.next_change


@dataclass(frozen=True, slots=True)
class DataValue:
    """A real opening_hours value of GEOFINDER_DATA_DIR, where it was found, and the suite's
    place it is evaluated at (None when no place lies within NEAREST_PLACE_KM)."""

    value: str
    file: str
    ref: str  # node/123
    place: str | None


def digest(value: str) -> str:
    """The key of a real value's cases in expectations.json (as in expect.js)."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def load_setup() -> tuple[dict, dict]:
    """cases.json (places, instants) and handwritten.json."""
    setup = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
    handwritten = json.loads((HERE / "handwritten.json").read_text(encoding="utf-8"))
    return setup, handwritten


def _kilometres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius), enough to choose a town."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def data_values(data_dir: Path) -> list[DataValue]:
    """Every element with opening_hours in the OpenStreetMap files of data_dir/osm, read with
    geofinder's importer reader (the same elements an OSM import would see)."""
    from geofinder.imports.osm.readers import read_osm_file

    places = load_setup()[0]["places"]
    found = []
    for path in sorted((data_dir / "osm").iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        for feature in read_osm_file(path):
            value = feature.tags.get("opening_hours")
            if not value:
                continue
            distance, name = min(
                (_kilometres(feature.lon, feature.lat, place["lon"], place["lat"]), name)
                for name, place in places.items()
            )
            found.append(DataValue(value, path.name, feature.ref, name if distance <= NEAREST_PLACE_KM else None))
    return found


def load_cases(data_dir: Path) -> tuple[list[Case], dict, int]:
    """The cases (those of real values found in data_dir), the places of cases.json and the
    horizon (days) of the next changes."""
    document = json.loads((HERE / "expectations.json").read_text(encoding="utf-8"))
    setup, _ = load_setup()
    real = {digest(found.value): found.value for found in data_values(data_dir)}
    cases = []
    for set_name, key, place, instant, state, next_change, comment, warnings in document["cases"]:
        if set_name == "data":
            if key not in real:
                continue  # a value no longer in the data: test_conformance says so
            key = real[key]
        cases.append(Case(set_name, key, place, instant, state, next_change, comment, warnings))
    return cases, setup["places"], document["horizon_days"]


def expected_keys() -> set[tuple[str, str, str]]:
    """(set, value or digest, place) of every case of expectations.json."""
    document = json.loads((HERE / "expectations.json").read_text(encoding="utf-8"))
    return {(row[0], row[1], row[2]) for row in document["cases"]}


def evaluate_cases(data_dir: Path) -> list[Outcome]:
    """geofinder's outcome for every case (with whatever geofinder.opening is importable)."""
    from geofinder.opening import evaluate
    from geofinder.opening.schedules import expression_for

    cases, places, horizon = load_cases(data_dir)
    takes_position = "position" in inspect.signature(evaluate).parameters
    outcomes = []
    for case in cases:
        place = places[case.place]
        if not expression_for(case.value.strip()).valid:
            outcomes.append(Outcome(case, "invalid", None))
            continue
        at = datetime.fromisoformat(case.instant)
        options = {"position": (place["lon"], place["lat"])} if takes_position else {}
        status = evaluate(case.value, at=at, department_code=place["department"], **options)
        change = status.next_change
        if change is not None and change - at > timedelta(days=horizon):
            change = None
        iso = change.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z") if change else None
        outcomes.append(Outcome(case, status.state, iso))
    return outcomes


def _utc(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")) if iso else None


_OPEN_END_RE = re.compile(r"\d\+")
_NIGHT_RE = re.compile(r"(\d{1,2}):\d\d-(\d{1,2}):\d\d")
_TIME_ONLY_RULE_RE = re.compile(r";\s*\d{1,2}:\d\d-")
_SUN_RE = re.compile(r"sunrise|sunset|dawn|dusk")
_HOLIDAY_SH_RE = re.compile(r"\bSH\b")
# Places of cases.json in an overseas département (geofinder has no school calendar there).
_OVERSEAS = ("saint-denis-974", "cayenne")


def explanation(outcome: Outcome) -> str | None:
    """The kind of a disagreement (a key of divergences.json), or None when it has none."""
    from geofinder.opening.schedules import expression_for

    case = outcome.case
    mine, theirs = _utc(outcome.next_change), _utc(case.next_change)
    if _HOLIDAY_SH_RE.search(case.value) and case.place in _OVERSEAS:
        return "overseas_school_holidays"
    if case.state == "error":
        return "reference_fails"
    rewritten = getattr(expression_for(case.value.strip()), "changes", ())  # () in a checkout without lenient.py
    if case.state == "invalid" and outcome.state != "invalid" and rewritten:
        return "lenient_reading"
    if outcome.state == "invalid" and case.state != "invalid" and case.warnings:
        return "reference_corrects"
    if _OPEN_END_RE.search(case.value) and (
        (case.comment or "").startswith("Specified as open end") or outcome.state == case.state == "open"
    ):
        return "open_end_is_open"
    if _SUN_RE.search(case.value) and outcome.state == case.state and mine and theirs:
        if abs(mine - theirs) <= timedelta(minutes=2):
            return "sun_minute"
    if _HOLIDAY_SH_RE.search(case.value):
        return "reference_school_holidays"
    if case.instant.startswith(("2026-03-28", "2026-03-29")) and outcome.state == case.state:
        jump = datetime(2026, 3, 29, 1, tzinfo=timezone.utc)  # 02:00 CET → 03:00 CEST
        if mine == jump and theirs and jump < theirs <= jump + timedelta(hours=1):
            return "skipped_hour"
        if theirs in (datetime(2026, 3, 29, 22, tzinfo=timezone.utc), datetime(2026, 3, 29, 23, tzinfo=timezone.utc)):
            return "reference_night_after_clocks_change"
    if _TIME_ONLY_RULE_RE.search(case.value):
        return "time_only_rule_after_semicolon"
    if (
        outcome.state == case.state == "open" and mine and theirs and theirs > mine
        and any(int(end) < int(start) for start, end in _NIGHT_RE.findall(case.value))
    ):
        return "night_into_a_day_of_another_rule"
    return None


def summary(outcomes: list[Outcome]) -> dict:
    """Agreement counts by set: cases, same state, same state and next change."""
    result = {}
    for set_name in ("hand", "data", "all"):
        chosen = [o for o in outcomes if set_name == "all" or o.case.set == set_name]
        result[set_name] = {
            "cases": len(chosen),
            "values": len({o.case.value for o in chosen}),
            "state": sum(o.state_agrees for o in chosen),
            "state_and_next_change": sum(o.agrees for o in chosen),
        }
    return result


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geofinder.settings")
    django.setup()
    from django.conf import settings

    outcomes = evaluate_cases(settings.GEOFINDER_DATA_DIR)
    for set_name, counts in summary(outcomes).items():
        cases = counts["cases"]
        if not cases:
            continue
        print(
            f"{set_name}: {counts['values']} values, {cases} cases; same state {counts['state']} "
            f"({100 * counts['state'] / cases:.2f} %), same state and next change "
            f"{counts['state_and_next_change']} ({100 * counts['state_and_next_change'] / cases:.2f} %)"
        )
    kinds = Counter(explanation(outcome) for outcome in outcomes if not outcome.agrees)
    for kind, count in sorted(kinds.items(), key=lambda item: str(item[0])):
        print(f"  {kind}: {count}")
    by_value: Counter = Counter()
    for outcome in outcomes:
        if not outcome.agrees:
            by_value[(outcome.case.set, outcome.case.value, outcome.case.place)] += 1
    if "-v" in sys.argv:
        for (set_name, value, place), count in sorted(by_value.items()):
            print(f"  {count:3d} {set_name} {place} {value!r}")
            for outcome in outcomes:
                case = outcome.case
                if not outcome.agrees and (case.set, case.value, case.place) == (set_name, value, place):
                    print(f"        {case.instant}: reference {case.state} {case.next_change} {case.comment!r}"
                          f" / geofinder {outcome.state} {outcome.next_change}")


if __name__ == "__main__":
    main()
