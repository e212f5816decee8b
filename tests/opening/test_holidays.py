from datetime import date

import pytest

from geofinder.opening import public_holidays
from geofinder.opening.holidays import easter_sunday, is_public_holiday

NATIONAL_2026 = {
    date(2026, 1, 1): "Jour de l'an",
    date(2026, 4, 6): "Lundi de Pâques",
    date(2026, 5, 1): "Fête du Travail",
    date(2026, 5, 8): "Victoire 1945",
    date(2026, 5, 14): "Ascension",
    date(2026, 5, 25): "Lundi de Pentecôte",
    date(2026, 7, 14): "Fête nationale",
    date(2026, 8, 15): "Assomption",
    date(2026, 11, 1): "Toussaint",
    date(2026, 11, 11): "Armistice 1918",
    date(2026, 12, 25): "Noël",
}


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2028, date(2028, 4, 16)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_national_holidays_2026():
    assert public_holidays(2026, department_code="31") == NATIONAL_2026
    assert public_holidays(2026, department_code=None) == NATIONAL_2026


def test_moveable_holidays_2027():
    holidays = public_holidays(2027, department_code="75")
    assert holidays[date(2027, 3, 29)] == "Lundi de Pâques"
    assert holidays[date(2027, 5, 6)] == "Ascension"
    assert holidays[date(2027, 5, 17)] == "Lundi de Pentecôte"
    assert date(2027, 3, 26) not in holidays  # no Good Friday outside Alsace-Moselle


@pytest.mark.parametrize("code", ["57", "67", "68"])
def test_alsace_moselle_has_good_friday_and_saint_stephen(code):
    holidays = public_holidays(2027, department_code=code)
    assert holidays[date(2027, 3, 26)] == "Vendredi saint"
    assert holidays[date(2027, 12, 26)] == "Saint-Étienne"
    assert len(holidays) == 13


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("971", date(2026, 5, 27)),
        ("972", date(2026, 5, 22)),
        ("973", date(2026, 6, 10)),
        ("974", date(2026, 12, 20)),
        ("976", date(2026, 4, 27)),
    ],
)
def test_overseas_abolition_of_slavery_day(code, day):
    holidays = public_holidays(2026, department_code=code)
    assert holidays[day] == "Abolition de l'esclavage"
    assert set(NATIONAL_2026) < set(holidays)
    assert not is_public_holiday(day, department_code="31")


def test_slavery_days_are_local():
    assert not is_public_holiday(date(2026, 5, 27), department_code="972")
    assert is_public_holiday(date(2026, 5, 22), department_code="972")


def test_result_is_a_copy():
    holidays = public_holidays(2026, department_code="31")
    holidays.clear()
    assert public_holidays(2026, department_code="31") == NATIONAL_2026


def test_holidays_are_sorted():
    days = list(public_holidays(2026, department_code="67"))
    assert days == sorted(days)
