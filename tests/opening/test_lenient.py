"""Lenient reading of French forms whose meaning is certain."""

import pytest

from geofinder.opening.lenient import read_leniently
from geofinder.opening.schedules import expression_for


@pytest.mark.parametrize(
    ("raw", "value", "what"),
    [
        ("9h-12h", "09:00-12:00", "hours written as 9h or 9h30"),
        ("Mo-Fr 9h30-19h", "Mo-Fr 09:30-19:00", "hours written as 9h or 9h30"),
        ("Mo-Fr 9 h 30-12 h", "Mo-Fr 09:30-12:00", "hours written as 9h or 9h30"),
        ("Mo-Fr 9-18", "Mo-Fr 09:00-18:00", "hours without minutes (9-18)"),
        ("Mo-Fr 9-12,14-18; Sa 9-12", "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00", "hours without minutes (9-18)"),
        ("Mo-Fr 08:00-12:00,", "Mo-Fr 08:00-12:00", "a separator at the end"),
        ("Mo-Fr 08:30-19:00; Su off;", "Mo-Fr 08:30-19:00; Su off", "a separator at the end"),
        ("Mo-Fr 08:00-12:00, 14:00-18:00", "Mo-Fr 08:00-12:00,14:00-18:00", "a comma and a space between two time ranges"),
        ("Mo, Th 10:00-19:00", "Mo,Th 10:00-19:00", "a comma and a space between two weekdays"),
        ("Tu-Su 8:00-1:00", "Tu-Su 08:00-01:00", "a time without its leading zero"),
        ("Tu- Sa 10:15-13:30", "Tu-Sa 10:15-13:30", "spaces around a dash"),
        ("We-Sa 18:00-01: 30", "We-Sa 18:00-01:30", "a space inside a time"),
        ("Tu-Fr  10:00-13:30", "Tu-Fr 10:00-13:30", "extra spaces"),
    ],
)
def test_french_forms_are_normalised_and_named(raw, value, what):
    reading = read_leniently(raw)
    assert (reading.value, reading.normalised) == (value, True)
    assert what in reading.changes
    # The normalised value is what is evaluated, and it is valid.
    expression = expression_for(raw)
    assert expression.valid and expression.text == value


@pytest.mark.parametrize(
    "raw",
    [
        "Mo-Fr 08:00-12:00",
        "week 1-10 Mo 10:00-12:00",  # a week range is not an hour range
        "Jan 01: 10:00-12:00",  # the colon of a date selector
        'Mo 10:00-12:00 "9h  ici"',  # comments are never touched
        "Sa 19:00-23:00, Su 10:00-12:00",  # an additional rule after a time stays one
    ],
)
def test_values_without_such_forms_are_kept_as_they_are(raw):
    reading = read_leniently(raw)
    assert (reading.value, reading.changes) == (raw, ())


def test_forms_whose_meaning_is_not_certain_stay_invalid():
    assert read_leniently("lundi 8h-12h").value == "lundi 08:00-12:00"  # the hours, not the day
    assert not expression_for("lundi 8h-12h").valid
    assert read_leniently("Mo-Fr 9-25").value == "Mo-Fr 9-25"  # not an hour
