"""The week editor writes valid OSM opening_hours values, and reads back its own."""

import pytest

from geofinder.merchants.week_editor import PH_AS_DAY, PH_CLOSED, PH_OWN, WeekError, hours_from_week, week_from_hours
from geofinder.opening import validate

WEEKDAYS = {"Mo": "09:00-12:00, 14:00-18:00", "Tu": "9h-12h,14h-18h", "We": "09:00-12:00,14:00-18:00",
            "Th": "09:00-12:00, 14:00-18:00", "Fr": "09:00-12:00, 14:00-19:00", "Sa": "8h30-12h30", "Su": ""}


def test_days_with_the_same_ranges_are_one_rule_and_split_days_are_kept():
    raw = hours_from_week(WEEKDAYS, ph=PH_CLOSED)
    assert raw == "Mo-Th 09:00-12:00,14:00-18:00; Fr 09:00-12:00,14:00-19:00; Sa 08:30-12:30; PH off"
    assert validate(raw) is None


@pytest.mark.parametrize(("ph", "expected"), [
    (PH_AS_DAY, "Sa 08:00-12:00; PH 08:00-12:00"),
    (PH_OWN, "Sa 08:00-12:00; PH 10:00-12:00"),
    ("", "Sa 08:00-12:00"),
])
def test_public_holidays_closed_as_a_day_or_their_own(ph, expected):
    raw = hours_from_week({"Sa": "08:00-12:00"}, ph=ph, ph_day="Sa", ph_ranges="10:00-12:00")
    assert raw == expected and validate(raw) is None


def test_an_every_day_week_and_an_empty_week():
    assert hours_from_week({day: "07:00-20:00" for day in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")}) == "Mo-Su 07:00-20:00"
    assert hours_from_week({}) == ""


@pytest.mark.parametrize(("text", "message"), [
    ("9-12", "n'est pas une plage"),
    ("12:00-09:00", "la fin doit suivre"),
    ("09:00-12:00, 11:00-14:00", "chevauche"),
    ("<script>", "n'est pas une plage"),
])
def test_wrong_ranges_name_their_day(text, message):
    with pytest.raises(WeekError) as error:
        hours_from_week({"Tu": text})
    assert error.value.field == "Tu" and message in str(error.value)


def test_the_editor_reads_back_what_it_writes_and_leaves_the_rest_to_the_expert_field():
    raw = hours_from_week(WEEKDAYS, ph=PH_CLOSED)
    days = week_from_hours(raw)
    assert days["Mo"] == days["Th"] == "09:00-12:00, 14:00-18:00" and days["Su"] == "" and days["ph"] == PH_CLOSED
    assert hours_from_week({d: days[d] for d in WEEKDAYS}, ph=days["ph"]) == raw
    assert week_from_hours("Mo-Fr 09:00-18:00; Jul-Aug off") is None
    assert week_from_hours('Mo 10:00-12:00 "sur rendez-vous"') is None


def test_a_school_holiday_week_replaces_the_usual_one_and_reads_back():
    raw = hours_from_week({"Mo": "09:00-18:00", "Tu": "09:00-18:00", "Sa": "09:00-12:00"}, ph=PH_CLOSED,
                          school_days={"Mo": "10:00-17:00", "Tu": "10:00-17:00"})
    assert raw == "Mo-Tu 09:00-18:00; Sa 09:00-12:00; SH Mo-Tu 10:00-17:00; SH We-Su off; PH off"
    assert validate(raw) is None
    days = week_from_hours(raw)
    assert days["Mo"] == "09:00-18:00" and days["school"]["Tu"] == "10:00-17:00" and days["school"]["Sa"] == ""
    assert week_from_hours("Mo 09:00-12:00")["school"] is None


def test_school_holidays_are_evaluated_with_the_places_zone():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from geofinder.opening import evaluate

    raw = hours_from_week({"Mo": "09:00-18:00"}, school_days={"Mo": "10:00-12:00"})
    # 2026-02-16, a Monday of the winter holidays of zone A (Lyon, 69), not of zone C (Toulouse, 31).
    at = datetime(2026, 2, 16, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert evaluate(raw, at=at, department_code="69").state == "closed"  # school holidays: from 10:00
    assert evaluate(raw, at=at, department_code="31").state == "open"  # zone C: classes


def test_a_wrong_school_holiday_day_is_named():
    with pytest.raises(WeekError) as error:
        hours_from_week({}, school_days={"We": "midi"})
    assert error.value.field == "SH_We"
