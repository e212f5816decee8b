from datetime import date, datetime

import opening_hours

from geofinder.opening import evaluate, schedules
from geofinder.opening.rewrite import RewriteError
from geofinder.opening.schedules import expression_for, schedule_for

from .helpers import paris


def test_invalid_expression_keeps_the_parser_message():
    expression = expression_for("blah")
    assert not expression.valid
    assert "expected" in expression.error


def test_plain_expression_is_shared_by_all_years_and_territories():
    expression = expression_for("Mo-Fr 09:00-18:00")
    assert expression.plain is not None
    first = schedule_for(expression, holiday_region="national", school_zone="C", year=2026)
    second = schedule_for(expression, holiday_region="974", school_zone=None, year=2030)
    assert first is second
    assert not first.year_bound


def test_holiday_expression_is_built_per_region_and_year():
    expression = expression_for("Mo-Sa 08:00-19:00; PH off")
    assert expression.uses_public_holidays
    national = schedule_for(expression, holiday_region="national", school_zone="C", year=2027)
    alsace = schedule_for(expression, holiday_region="alsace-moselle", school_zone="B", year=2027)
    good_friday = datetime(2027, 3, 26, 10)
    assert national.hours.state(good_friday)[0] == opening_hours.State.OPEN
    assert alsace.hours.state(good_friday)[0] == opening_hours.State.CLOSED
    assert national.year_bound and national.exact


def test_holiday_free_variant():
    expression = expression_for("Mo-Sa 08:00-19:00; PH off")
    free = schedule_for(expression, holiday_region=None, school_zone=None, year=0)
    assert free.hours.state(datetime(2026, 5, 1, 10))[0] == opening_hours.State.OPEN


def test_fallback_to_the_library_calendar_when_rewriting_fails(monkeypatch):
    def refuse(*, raw):
        raise RewriteError("not supported")

    monkeypatch.setattr(schedules, "prepare", refuse)
    raw = "Mo-Sa 08:00-19:00;  PH off"  # a string no other test has cached
    expression = expression_for(raw)
    assert expression.valid and expression.template is None
    schedule = schedule_for(expression, holiday_region="national", school_zone="C", year=2026)
    assert not schedule.exact
    # The library's own French calendar still knows national holidays.
    assert evaluate(raw, at=paris(2026, 5, 1, 10), department_code="31").state == "closed"


def test_school_holiday_days_cover_the_window():
    days = schedules.school_holiday_days("C", 2026)
    assert date(2026, 3, 2) in days
    assert date(2025, 12, 24) in days  # Christmas holidays before the year
    assert date(2026, 3, 10) not in days
