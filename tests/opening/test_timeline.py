from datetime import timedelta

import opening_hours

from geofinder.opening.schedules import expression_for
from geofinder.opening.timeline import (
    clock_for_state,
    next_change,
    next_offset_change,
    offset_changes,
    repeated_hour,
)

from .helpers import PARIS, REUNION, utc


def test_paris_offset_changes_2026():
    changes = offset_changes(PARIS, 2026)
    assert [change.at for change in changes] == [utc(2026, 3, 29, 1), utc(2026, 10, 25, 1)]
    assert [change.shift for change in changes] == [timedelta(hours=1), timedelta(hours=-1)]


def test_reunion_has_no_offset_change():
    assert offset_changes(REUNION, 2026) == ()
    assert next_offset_change(utc(2026, 6, 1), REUNION) is None


def test_next_offset_change_crosses_the_year():
    assert next_offset_change(utc(2026, 11, 1), PARIS).at == utc(2027, 3, 28, 1)


def test_repeated_hour_is_only_the_second_pass():
    assert repeated_hour(utc(2026, 10, 25, 0, 30), PARIS) is None  # 02:30 CEST, first pass
    assert repeated_hour(utc(2026, 10, 25, 1, 30), PARIS) is not None  # 02:30 CET, second pass
    assert repeated_hour(utc(2026, 10, 25, 2, 0), PARIS) is None  # 03:00 CET
    assert repeated_hour(utc(2026, 3, 29, 1, 30), PARIS) is None  # spring forward repeats nothing


def test_clock_for_state_freezes_the_repeated_hour():
    assert clock_for_state(utc(2026, 10, 25, 0, 30), PARIS).strftime("%H:%M") == "02:30"
    assert clock_for_state(utc(2026, 10, 25, 1, 30), PARIS).strftime("%H:%M:%S") == "02:59:59"
    assert clock_for_state(utc(2026, 10, 25, 2, 30), PARIS).strftime("%H:%M") == "03:30"


def test_next_change_of_24_7_is_none_even_across_dst():
    expression = expression_for("24/7")
    change = next_change(
        utc(2026, 3, 28, 12),
        zone=PARIS,
        schedule_at=lambda year: expression.plain,
        state=opening_hours.State.OPEN,
    )
    assert change is None


def test_next_change_jumps_over_the_spring_gap():
    expression = expression_for("Su 02:30-05:00")
    change = next_change(
        utc(2026, 3, 29, 0, 30),  # 01:30 CET
        zone=PARIS,
        schedule_at=lambda year: expression.plain,
        state=opening_hours.State.CLOSED,
    )
    assert change == utc(2026, 3, 29, 1)  # the jump: 03:00 CEST, 02:30 never happens
