from datetime import date

import pytest

from geofinder.opening.rewrite import NEVER, RewriteError, format_dates, prepare, render

PH = (date(2026, 5, 1), date(2026, 5, 8), date(2026, 7, 14), date(2026, 12, 25))
SH = tuple(date(2026, 7, day) for day in range(4, 32))  # Saturday 4 to Friday 31 July
WINDOW = (date(2026, 1, 1), date(2026, 12, 31))
PH_TEXT = "2026 May 1,2026 May 8,2026 Jul 14,2026 Dec 25"


def rendered(raw: str, *, ph=PH, sh=SH) -> str:
    return render(prepare(raw=raw), holiday_dates={"PH": ph, "SH": sh}, window=WINDOW)


def test_format_dates_merges_consecutive_days():
    days = [date(2026, 2, 7), date(2026, 2, 8), date(2026, 2, 9), date(2026, 5, 1)]
    assert format_dates(days) == "2026 Feb 7-2026 Feb 9,2026 May 1"
    assert format_dates([]) == ""


def test_plain_string_is_unchanged():
    raw = "Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00"
    template = prepare(raw=raw)
    assert template.parts == (raw,)
    assert not template.holiday_kinds


def test_public_holidays_become_dates():
    assert rendered("Mo-Sa 08:00-19:00; PH off") == f"Mo-Sa 08:00-19:00; {PH_TEXT} off"


def test_union_is_split_into_two_rules():
    assert rendered("Sa,PH off") == f"Sa off; {PH_TEXT} off"
    assert rendered("Su,PH 10:00-12:00") == f"Su 10:00-12:00; {PH_TEXT} 10:00-12:00"


def test_space_means_intersection():
    # School holidays that are also Monday to Friday (the library would read a union).
    expected = (
        "2026 Jul 6-2026 Jul 10,2026 Jul 13-2026 Jul 17,"
        "2026 Jul 20-2026 Jul 24,2026 Jul 27-2026 Jul 31 10:00-12:00"
    )
    assert rendered("SH Mo-Fr 10:00-12:00") == expected
    assert rendered("Mo-Fr SH 10:00-12:00") == expected


def test_offset_days():
    assert rendered("PH +1 day off") == "2026 May 2,2026 May 9,2026 Jul 15,2026 Dec 26 off"
    assert rendered("PH -1 day 10:00-12:00").startswith("2026 Apr 30,2026 May 7,")


def test_wide_selectors_filter_the_dates():
    assert rendered("Jul-Aug PH off") == "2026 Jul 14 off"
    assert rendered("Jul-Aug: Sa,PH off") == "Jul-Aug Sa off; 2026 Jul 14 off"


def test_empty_holiday_set_keeps_a_never_matching_rule():
    assert rendered("Mo-Fr 09:00-17:00; SH off", sh=()) == f"Mo-Fr 09:00-17:00; {NEVER} off"


def test_dates_outside_the_window_are_dropped():
    assert rendered("PH off", ph=(date(2025, 12, 25), date(2026, 1, 1))) == "2026 Jan 1 off"


def test_additional_and_fallback_rules_keep_their_separator():
    assert rendered("Mo 10:00-12:00, Sa,PH 09:00-12:00") == (
        f"Mo 10:00-12:00, Sa 09:00-12:00, {PH_TEXT} 09:00-12:00"
    )
    assert rendered("Mo-Fr 09:00-18:00 || Sa,PH unknown") == (
        f"Mo-Fr 09:00-18:00 || Sa unknown || {PH_TEXT} unknown"
    )


def test_comments_are_left_alone():
    raw = 'Mo-Fr 09:00-18:00; PH off "fermé les jours fériés; PH, SH"'
    assert rendered(raw) == f'Mo-Fr 09:00-18:00; {PH_TEXT} off "fermé les jours fériés; PH, SH"'


def test_time_lists_with_spaces_stay_in_their_rule():
    assert rendered("Mo-Fr 10:00-12:00, 14:00-16:00; PH off") == (
        f"Mo-Fr 10:00-12:00, 14:00-16:00; {PH_TEXT} off"
    )


def test_both_holiday_kinds_in_one_selector():
    text = rendered("Mo-Fr 08:00-18:00; PH,SH off")
    assert text.startswith("Mo-Fr 08:00-18:00; 2026 May 1,2026 May 8,2026 Jul 4-2026 Jul 31,")
    assert prepare(raw="PH,SH off").holiday_kinds == {"PH", "SH"}


def test_fallback_rules_are_left_to_structure():
    # Fallback rules are cut into parts by structure.py, after the holidays are rendered.
    assert rendered('Mo-Fr 09:00-18:00 || "sur rendez-vous"') == 'Mo-Fr 09:00-18:00 || "sur rendez-vous"'
    assert rendered("Mo-Fr 09:00-18:00; PH off || 24/7") == f"Mo-Fr 09:00-18:00; {PH_TEXT} off || 24/7"


def test_rule_start_that_cannot_be_found_is_an_error():
    with pytest.raises(RewriteError):
        prepare(raw="Mo 10:00-12:00 PH off")
