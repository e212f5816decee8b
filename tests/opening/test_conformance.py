"""geofinder against the reference implementation, opening_hours.js.

Two sets of values: the hand-written values of tests/opening/conformance/handwritten.json, and
the real values found at run time in the OpenStreetMap files of GEOFINDER_DATA_DIR (never copied
into the repository). The expectations were produced by tests/opening/conformance/expect.js
(opening_hours.js 3.15.0, pinned in package.json); this test only reads the committed
expectations.json, so it needs no Node. Every disagreement must be of a kind explained in
divergences.json.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

CONFORMANCE = Path(__file__).resolve().parent / "conformance"
sys.path.insert(0, str(CONFORMANCE))

import compare  # noqa: E402 - the suite's own module, beside its data


@pytest.fixture(scope="module")
def data_values():
    from django.conf import settings

    return compare.data_values(settings.GEOFINDER_DATA_DIR)


@pytest.fixture(scope="module")
def outcomes():
    from django.conf import settings

    return compare.evaluate_cases(settings.GEOFINDER_DATA_DIR)


@pytest.fixture(scope="module")
def kinds():
    return json.loads((CONFORMANCE / "divergences.json").read_text(encoding="utf-8"))["kinds"]


def test_the_hand_written_set_holds_about_300_values_at_five_places_around_holidays_dst_and_midnight(outcomes):
    hand = [outcome.case for outcome in outcomes if outcome.case.set == "hand"]
    assert len({case.value for case in hand}) >= 300
    assert {case.place for case in hand} == {"paris", "toulouse", "strasbourg", "saint-denis-974", "cayenne"}
    assert {"2026-03-29T03:00:00+02:00", "2026-10-25T02:30:00+01:00", "2026-05-01T11:00:00+02:00",
            "2026-03-11T00:00:00+01:00", "2026-06-10T11:00:00-03:00"} <= {case.instant for case in hand}


def test_the_real_values_of_the_data_directory_are_read_at_run_time_and_all_have_expectations(data_values, outcomes):
    assert data_values, "GEOFINDER_DATA_DIR/osm holds no element with opening_hours"
    expected = compare.expected_keys()
    missing = [
        (found.file, found.ref, found.value, found.place)
        for found in data_values
        if found.place is None or ("data", compare.digest(found.value), found.place) not in expected
    ]
    # A value of no place (farther than NEAREST_PLACE_KM from every place of cases.json) or
    # without expectations: add a place, or run `node expect.js` again (see its header).
    assert missing == []
    evaluated = {outcome.case.value for outcome in outcomes if outcome.case.set == "data"}
    assert evaluated == {found.value for found in data_values}


def test_every_disagreement_with_the_reference_is_explained(outcomes, kinds):
    unexplained = [
        (o.case.set, o.case.value, o.case.place, o.case.instant, o.case.state, o.case.next_change, o.state,
         o.next_change)
        for o in outcomes
        if not o.agrees and compare.explanation(o) not in kinds
    ]
    assert unexplained == []


def test_no_explanation_is_stale(outcomes, kinds):
    used = Counter(compare.explanation(o) for o in outcomes if not o.agrees)
    assert {kind for kind in kinds if not used[kind]} == set()


def test_agreement_rate(outcomes, capsys):
    counts = compare.summary(outcomes)
    with capsys.disabled():
        for set_name, count in counts.items():
            if not count["cases"]:
                continue
            print(f"\nconformance {set_name}: {count['values']} values, {count['cases']} cases, same state "
                  f"{100 * count['state'] / count['cases']:.2f} %, same state and next change "
                  f"{100 * count['state_and_next_change'] / count['cases']:.2f} %", end="")
    # Floors on the hand-written set, so that a regression shows even when a new kind of
    # disagreement is explained. The set is denser in edge cases than real data (open ends,
    # school holidays where the reference has no calendar, forms outside the specification).
    hand = counts["hand"]
    assert hand["state"] / hand["cases"] >= 0.93
    assert hand["state_and_next_change"] / hand["cases"] >= 0.90
