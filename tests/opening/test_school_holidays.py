from datetime import date, timedelta

import pytest

from geofinder.opening.school_holidays import (
    SCHOOL_HOLIDAYS_PATH,
    ZONES,
    is_school_holiday,
    load_school_holidays,
    parse_school_holidays,
    periods_for_zone,
    school_holiday,
)

SCHOOL_YEARS = ("2024-2025", "2025-2026", "2026-2027", "2027-2028")
MAIN_HOLIDAYS = (
    "Vacances de la Toussaint",
    "Vacances de Noël",
    "Vacances d'hiver",
    "Vacances de printemps",
    "Vacances d'été",
)


def test_calendar_file_is_in_the_repository_data_folder():
    assert SCHOOL_HOLIDAYS_PATH.is_file()
    assert SCHOOL_HOLIDAYS_PATH.parent.name == "data"
    assert (SCHOOL_HOLIDAYS_PATH.parents[1] / "geofinder" / "opening").is_dir()


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("school_year", SCHOOL_YEARS)
def test_each_zone_has_the_five_holidays_of_each_school_year(zone, school_year):
    names = [period.name for period in periods_for_zone(zone) if period.school_year == school_year]
    for name in MAIN_HOLIDAYS:
        assert names.count(name) == 1, (zone, school_year, name)


@pytest.mark.parametrize("zone", ZONES)
def test_periods_of_a_zone_do_not_overlap_and_start_on_saturday(zone):
    periods = periods_for_zone(zone)
    for before, after in zip(periods, periods[1:], strict=False):
        assert before.end < after.start
    for period in periods:
        if period.name not in ("Pont de l'Ascension", "Vacances d'été"):
            assert period.start.weekday() == 5, period
            assert period.end.weekday() in (6, 0), period  # classes resume Monday or Tuesday


def test_winter_holidays_2026_by_zone():
    winter = {
        zone: next(
            period
            for period in periods_for_zone(zone)
            if period.name == "Vacances d'hiver" and period.school_year == "2025-2026"
        )
        for zone in ZONES
    }
    assert (winter["A"].start, winter["A"].end) == (date(2026, 2, 7), date(2026, 2, 22))
    assert (winter["B"].start, winter["B"].end) == (date(2026, 2, 14), date(2026, 3, 1))
    assert (winter["C"].start, winter["C"].end) == (date(2026, 2, 21), date(2026, 3, 8))


def test_school_holiday_depends_on_the_departments_zone():
    monday = date(2026, 3, 2)  # zone C only
    assert is_school_holiday(monday, department_code="31")  # Toulouse, C
    assert is_school_holiday(monday, department_code="75")  # Paris, C
    assert not is_school_holiday(monday, department_code="69")  # Lyon, A
    assert not is_school_holiday(monday, department_code="13")  # Aix-Marseille, B
    assert school_holiday(monday, department_code="31").name == "Vacances d'hiver"


def test_common_holidays_apply_everywhere_in_metropolitan_france():
    christmas_week = date(2026, 12, 23)
    for code in ("31", "69", "67", "2A"):
        assert is_school_holiday(christmas_week, department_code=code)
    assert not is_school_holiday(date(2026, 11, 3), department_code="31")  # back to school


def test_overseas_has_no_school_holidays():
    day = date(2026, 12, 23)
    for code in ("971", "974", None):
        assert not is_school_holiday(day, department_code=code)


def test_whole_calendar_loads_sorted():
    periods = load_school_holidays()
    assert len(periods) == 4 * 10
    assert [period.start for period in periods] == sorted(period.start for period in periods)
    assert periods[-1].end - periods[0].start > timedelta(days=3 * 365)


def test_parse_rejects_unknown_zone():
    text = (
        '[[periods]]\nschool_year = "2030-2031"\nname = "x"\n'
        'zones = ["D"]\nstart = 2030-10-19\nend = 2030-11-03\n'
    )
    with pytest.raises(ValueError, match="zones"):
        parse_school_holidays(text=text)


def test_parse_rejects_end_before_start():
    text = (
        '[[periods]]\nschool_year = "2030-2031"\nname = "x"\n'
        'zones = ["A"]\nstart = 2030-11-03\nend = 2030-10-19\n'
    )
    with pytest.raises(ValueError, match="dates"):
        parse_school_holidays(text=text)
