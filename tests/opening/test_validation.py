import pytest

from geofinder.opening import validate


@pytest.mark.parametrize(
    "raw",
    [
        "24/7",
        "Mo-Sa 08:30-12:30,14:00-19:00; PH off",
        "Fr 22:00-02:00",
        "SH Mo-Fr 10:00-12:00",
        'Mo-Fr 09:00-18:00 || "sur rdv"',
    ],
)
def test_valid_values(raw):
    assert validate(raw) is None


def test_french_free_text_is_reported():
    message = validate("lundi 8h-12h")
    assert message.startswith("unexpected 'lundi 8h-12h' at character 1")
    assert "a weekday" in message


def test_impossible_hour_is_reported_at_its_position():
    message = validate("Mo-Fr 25:00-26:00")
    assert message.startswith("unexpected '25:00-26:00' at character 7")
    assert "a time span" in message


def test_other_invalid_values():
    assert "'blah'" in validate("blah")
    assert validate("Mo-Fr 08:00-12:00 ||").startswith("unexpected '||' at character 19")
    assert validate("") == "empty opening_hours value"
    assert validate("   ") == "empty opening_hours value"


@pytest.mark.parametrize("raw", ['"', ";;", "\x00", "Mo-Fr 08:00-12:00 ||", "ÉÀ"])
def test_validate_never_raises(raw):
    assert isinstance(validate(raw), str)
