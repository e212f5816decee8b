"""Rewrites that make opening-hours-py read a value as the specification does."""

import pytest

from geofinder.opening.structure import OPEN_END, open_end_guess, parts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"sur rendez-vous"', ('unknown "sur rendez-vous"',)),
        ('Mo-Fr 08:00-12:00 "sur rdv"', ('Mo-Fr 08:00-12:00 unknown "sur rdv"',)),
        ('Mo 10:00-12:00, We 14:00-16:00 "x"', ('Mo 10:00-12:00, We 14:00-16:00 unknown "x"',)),
        ('Mo-Fr 08:00-12:00 open "sonner"', ('Mo-Fr 08:00-12:00 open "sonner"',)),  # a state: kept
        ("Mo-Fr 08:00-12:00,14:00-18:00", ("Mo-Fr 08:00-12:00,14:00-18:00",)),
    ],
)
def test_a_comment_without_a_state_is_unknown(text, expected):
    assert parts(text) == expected


def test_fallback_rules_become_parts():
    assert parts('Mo-Fr 08:00-12:00 || "rdv"') == ("Mo-Fr 08:00-12:00", 'unknown "rdv"')
    assert parts("Mo-Fr 08:00-12:00; 2026 May 1 off || Sa 10:00-12:00 || 24/7") == (
        "Mo-Fr 08:00-12:00; 2026 May 1 off",
        "Sa 10:00-12:00",
        "24/7",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo-Fr 18:00+", f'Mo-Fr 18:00-28:00 unknown "{OPEN_END}"'),
        ("Mo-Fr 10:00+", f'Mo-Fr 10:00-24:00 unknown "{OPEN_END}"'),
        ("Sa 23:00+", f'Sa 23:00-31:00 unknown "{OPEN_END}"'),
        # The fixed part and the open end form one open stretch, with an unknown end.
        ("Fr-Sa 18:00-01:00+", f'Fr-Sa 18:00-33:00 unknown "{OPEN_END}"'),
        ("Mo-Fr 08:00-12:00,18:00+; We off", f'Mo-Fr 08:00-12:00, Mo-Fr 18:00-28:00 unknown "{OPEN_END}"; We off'),
        ('Sa 18:00+ "appeler"', f'Sa 18:00-28:00 unknown "{OPEN_END}appeler"'),
    ],
)
def test_open_ends_are_written_out_over_the_reference_guess(text, expected):
    assert parts(text) == (expected,)


def test_open_end_guess_follows_the_reference():
    assert open_end_guess(10 * 60) == 24 * 60  # before 17:00: until midnight
    assert open_end_guess(18 * 60) == 28 * 60  # 17:00-21:59: ten hours
    assert open_end_guess(22 * 60) == 30 * 60  # from 22:00: eight hours
    assert open_end_guess(25 * 60) == 33 * 60  # 01:00 the next day: eight hours
