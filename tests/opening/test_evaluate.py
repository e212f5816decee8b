from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from geofinder.opening import OpeningStatus, evaluate

from .helpers import PARIS, REUNION, UTC, paris, utc

SHOP = "Mo-Sa 08:00-19:00; PH off"


# --- public holidays --------------------------------------------------------


def test_good_friday_is_a_holiday_in_strasbourg_not_in_toulouse():
    at = paris(2027, 3, 26, 10)  # Good Friday 2027
    strasbourg = evaluate(SHOP, at=at, department_code="67")
    toulouse = evaluate(SHOP, at=at, department_code="31")
    assert strasbourg.state == "closed"
    assert strasbourg.label == "Fermé · jour férié"
    assert strasbourg.next_change == paris(2027, 3, 27, 8)
    assert toulouse.state == "open"
    assert toulouse.label == "Ouvert · ferme à 19:00"


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("31", PARIS),
        ("67", PARIS),
        ("2A", PARIS),
        ("974", REUNION),
        ("971", ZoneInfo("America/Guadeloupe")),
    ],
)
def test_first_of_may_is_closed_everywhere(code, zone):
    status = evaluate(SHOP, at=datetime(2026, 5, 1, 10, tzinfo=zone), department_code=code)
    assert status.state == "closed"
    assert status.label == "Fermé · jour férié"


def test_saint_stephen_in_moselle():
    at = paris(2025, 12, 26, 10)
    assert evaluate(SHOP, at=at, department_code="57").state == "closed"
    assert evaluate(SHOP, at=at, department_code="75").state == "open"


def test_overseas_abolition_of_slavery_day():
    raw = "Mo-Su 09:00-18:00; PH off"
    reunion = evaluate(raw, at=datetime(2026, 12, 20, 10, tzinfo=REUNION), department_code="974")
    assert reunion.state == "closed"
    assert reunion.label == "Fermé · jour férié"
    assert evaluate(raw, at=paris(2026, 12, 20, 10), department_code="31").state == "open"
    martinique = ZoneInfo("America/Martinique")
    assert (
        evaluate(raw, at=datetime(2026, 5, 22, 10, tzinfo=martinique), department_code="972").state
        == "closed"
    )
    assert (
        evaluate(raw, at=datetime(2026, 5, 22, 10, tzinfo=martinique), department_code="971").state
        == "open"
    )


def test_holiday_opening_hours():
    raw = "Mo-Sa 08:00-19:00; PH 09:00-12:00"
    assert evaluate(raw, at=paris(2026, 7, 14, 10), department_code="31") == OpeningStatus(
        state="open", next_change=paris(2026, 7, 14, 12), label="Ouvert · ferme à 12:00"
    )
    morning = evaluate(raw, at=paris(2026, 7, 14, 7), department_code="31")
    assert (morning.state, morning.label) == ("closed", "Fermé · ouvre à 09:00")
    afternoon = evaluate(raw, at=paris(2026, 7, 14, 13), department_code="31")
    assert (afternoon.state, afternoon.label) == ("closed", "Fermé · jour férié")
    assert afternoon.next_change == paris(2026, 7, 15, 8)


def test_holiday_label_only_when_the_holiday_closes_the_place():
    # 1 May 2026 is a Friday; at 20:00 the shop would be closed anyway.
    evening = evaluate(SHOP, at=paris(2026, 5, 1, 20), department_code="31")
    assert evening.label == "Fermé · ouvre demain à 08:00"
    # A value without PH is not closed by holidays.
    assert (
        evaluate("Mo-Fr 09:00-18:00", at=paris(2026, 5, 1, 10), department_code="31").state
        == "open"
    )


def test_holiday_union_with_weekday():
    raw = "Mo-Su 09:00-18:00; Su,PH off"
    assert (
        evaluate(raw, at=paris(2026, 11, 11, 10), department_code="31").state == "closed"
    )  # Wednesday, PH
    assert (
        evaluate(raw, at=paris(2026, 11, 15, 10), department_code="31").state == "closed"
    )  # Sunday
    assert evaluate(raw, at=paris(2026, 11, 12, 10), department_code="31").state == "open"


def test_holiday_next_year_is_found():
    status = evaluate("PH 10:00-12:00", at=paris(2026, 12, 26, 10), department_code="31")
    assert status.next_change == paris(2027, 1, 1, 10)


def test_new_year_eve_behaves_like_any_holiday_eve():
    raw = "Mo-Su 20:00-02:00; PH off"
    new_year = evaluate(raw, at=paris(2026, 12, 31, 23), department_code="31")
    labour_day = evaluate(raw, at=paris(2026, 4, 30, 23), department_code="31")
    ordinary = evaluate(raw, at=paris(2026, 12, 30, 23), department_code="31")
    assert new_year.next_change == paris(2027, 1, 1, 0)
    assert labour_day.next_change == paris(2026, 5, 1, 0)
    assert ordinary.next_change == paris(2026, 12, 31, 2)


# --- school holidays --------------------------------------------------------

WINTER_C_ONLY = paris(2026, 3, 2, 9, 30)  # Monday: zone C on winter holidays, not A nor B


def test_school_holidays_off_depends_on_zone():
    raw = "Mo-Fr 09:00-17:00; SH off"
    toulouse = evaluate(raw, at=WINTER_C_ONLY, department_code="31")
    lyon = evaluate(raw, at=WINTER_C_ONLY, department_code="69")
    assert toulouse.state == "closed"
    assert toulouse.next_change == paris(2026, 3, 9, 9)  # back to school hours
    assert lyon.state == "open"
    assert lyon.next_change == paris(2026, 3, 2, 17)


def test_school_holiday_hours_depend_on_zone():
    raw = "Mo-Fr 09:00-17:00; SH Mo-Fr 10:00-12:00"
    toulouse = evaluate(raw, at=WINTER_C_ONLY, department_code="31")
    lyon = evaluate(raw, at=WINTER_C_ONLY, department_code="69")
    assert (toulouse.state, toulouse.label) == ("closed", "Fermé · ouvre à 10:00")
    assert (lyon.state, lyon.label) == ("open", "Ouvert · ferme à 17:00")
    late_morning = evaluate(raw, at=paris(2026, 3, 2, 11), department_code="31")
    assert late_morning.label == "Ouvert · ferme à 12:00"


def test_school_holiday_with_weekdays_is_an_intersection():
    raw = "Mo-Fr 09:00-17:00; SH Mo-Fr 10:00-12:00"
    # Outside school holidays the SH rule must not apply (the library alone reads a union).
    assert evaluate(raw, at=paris(2026, 3, 10, 9, 30), department_code="31").state == "open"
    # Saturday during school holidays: neither rule matches.
    assert evaluate(raw, at=paris(2026, 2, 28, 11), department_code="31").state == "closed"


def test_no_school_holidays_overseas():
    raw = "Mo-Fr 09:00-17:00; SH off"
    at = datetime(2026, 12, 23, 10, tzinfo=REUNION)
    assert evaluate(raw, at=at, department_code="974").state == "open"
    assert evaluate(raw, at=paris(2026, 12, 23, 10), department_code="974").state == "open"


# --- nights crossing midnight ----------------------------------------------


def test_friday_night_open_after_midnight():
    raw = "Fr 22:00-02:00"
    one = evaluate(raw, at=paris(2026, 5, 9, 1), department_code="31")  # Saturday 01:00
    three = evaluate(raw, at=paris(2026, 5, 9, 3), department_code="31")
    assert one.state == "open"
    assert one.next_change == paris(2026, 5, 9, 2)
    assert three.state == "closed"
    assert three.next_change == paris(2026, 5, 15, 22)


def test_every_night_label_before_midnight():
    status = evaluate("Mo-Su 18:00-02:00", at=paris(2026, 5, 9, 23), department_code="31")
    assert status.state == "open"
    assert status.label == "Ouvert · ferme à 02:00"
    assert status.next_change == paris(2026, 5, 10, 2)


# --- daylight saving time ---------------------------------------------------

SPRING_NIGHT = [utc(2026, 3, 28, 22), utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)]
AUTUMN_NIGHT = [utc(2026, 10, 24, 21), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)]


@pytest.mark.parametrize("at", SPRING_NIGHT + AUTUMN_NIGHT)
def test_24_7_stays_open_across_dst(at):
    status = evaluate("24/7", at=at, department_code="75")
    assert (status.state, status.next_change, status.label) == ("open", None, "Ouvert 24h/24")


@pytest.mark.parametrize("at", SPRING_NIGHT)
def test_saturday_night_spring_forward(at):
    status = evaluate("Sa 20:00-04:00", at=at, department_code="75")
    assert status.state == "open"
    assert status.next_change.astimezone(UTC) == utc(2026, 3, 29, 2)  # 04:00 CEST
    assert status.next_change.isoformat() == "2026-03-29T04:00:00+02:00"
    assert status.label == "Ouvert · ferme à 04:00"


@pytest.mark.parametrize("at", AUTUMN_NIGHT)
def test_saturday_night_fall_back(at):
    status = evaluate("Sa 20:00-04:00", at=at, department_code="75")
    assert status.state == "open"
    assert status.next_change.astimezone(UTC) == utc(2026, 10, 25, 3)  # 04:00 CET
    assert status.next_change.isoformat() == "2026-10-25T04:00:00+01:00"


def test_after_the_night_closes_on_dst_days():
    spring = evaluate("Sa 20:00-04:00", at=utc(2026, 3, 29, 2, 30), department_code="75")
    autumn = evaluate("Sa 20:00-04:00", at=utc(2026, 10, 25, 3, 30), department_code="75")
    assert spring.state == autumn.state == "closed"
    assert spring.next_change == paris(2026, 4, 4, 20)
    assert autumn.next_change == paris(2026, 10, 31, 20)


def test_change_in_the_skipped_hour_happens_at_the_jump():
    closing = evaluate("Sa 22:00-02:30", at=utc(2026, 3, 28, 23), department_code="75")
    assert closing.next_change.isoformat() == "2026-03-29T03:00:00+02:00"
    opening = evaluate("Su 02:30-05:00", at=utc(2026, 3, 29, 0, 30), department_code="75")
    assert opening.state == "closed"
    assert opening.next_change.isoformat() == "2026-03-29T03:00:00+02:00"


@pytest.mark.parametrize("minutes", range(0, 24 * 60, 10))
def test_next_change_is_never_a_non_existent_time(minutes):
    at = utc(2026, 3, 28, 12) + timedelta(minutes=minutes)
    for raw in ("Sa 22:00-02:30", "Su 02:15-02:45", "Mo-Su 01:30-02:30,03:00-03:30"):
        change = evaluate(raw, at=at, department_code="75").next_change
        assert change is not None and change > at
        round_trip = change.astimezone(UTC).astimezone(PARIS)
        assert round_trip.replace(tzinfo=None) == change.replace(tzinfo=None)


def test_repeated_autumn_hour_does_not_reopen():
    # Closed at the first 02:30; the clock going back to 02:00 does not reopen the bar.
    raw = "Sa 20:00-02:30"
    first_pass = evaluate(raw, at=utc(2026, 10, 25, 0, 10), department_code="75")  # 02:10 CEST
    assert first_pass.next_change.isoformat() == "2026-10-25T02:30:00+02:00"
    second_pass = evaluate(raw, at=utc(2026, 10, 25, 1, 10), department_code="75")  # 02:10 CET
    assert second_pass.state == "closed"
    assert second_pass.next_change == paris(2026, 10, 31, 20)


# --- time zones -------------------------------------------------------------


def test_reunion_local_time_and_offset():
    status = evaluate("Mo-Sa 08:00-18:00", at=utc(2026, 11, 25, 5), department_code="974")
    assert status.state == "open"  # 09:00 in La Réunion
    assert status.next_change.isoformat() == "2026-11-25T18:00:00+04:00"
    assert status.label == "Ouvert · ferme à 18:00"


def test_at_in_any_zone_is_converted():
    new_york = ZoneInfo("America/New_York")
    at = datetime(2026, 11, 25, 4, 30, tzinfo=new_york)  # 10:30 in Paris
    status = evaluate("Mo-Fr 09:00-12:00", at=at, department_code="75")
    assert status.state == "open"
    assert status.next_change.isoformat() == "2026-11-25T12:00:00+01:00"


def test_naive_at_is_refused():
    with pytest.raises(ValueError):
        evaluate("24/7", at=datetime(2026, 11, 25, 10), department_code="75")


# --- invalid values ---------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["lundi 8h-12h", "Mo-Fr 25:00-26:00", "blah", "", "   ", None, '"', ";;"]
)
def test_invalid_or_empty_values_are_unknown(raw):
    status = evaluate(raw, at=paris(2026, 11, 25, 10), department_code="75")
    assert status == OpeningStatus(state="unknown", next_change=None, label="Horaires inconnus")


def test_unknown_state_from_a_valid_value():
    raw = 'Mo-Fr 09:00-18:00 || "sur rendez-vous"'
    saturday = evaluate(raw, at=paris(2026, 11, 28, 11), department_code="75")
    assert (saturday.state, saturday.label) == ("unknown", "Horaires inconnus · sur rendez-vous")
    assert saturday.next_change == paris(2026, 11, 30, 9)


def test_comment_only_fallback_applies_outside_the_hours_of_a_selected_day():
    # The reference (opening_hours.js) applies a fallback rule whenever the rules before it
    # leave the instant closed; opening-hours-py 2.1.4 only on days they do not select.
    raw = 'Mo-Fr 09:00-18:00 || "sur rendez-vous"'
    status = evaluate(raw, at=paris(2026, 11, 25, 20), department_code="75")
    assert (status.state, status.label) == ("unknown", "Horaires inconnus · sur rendez-vous")
    assert status.next_change == paris(2026, 11, 26, 9)


def test_surrounding_whitespace_is_ignored():
    status = evaluate("  Mo-Su 09:00-18:00 ", at=paris(2026, 11, 25, 10), department_code="75")
    assert status.state == "open"


# --- the letter of the specification (issue 13, item 7) ---------------------


def test_a_comment_alone_is_unknown_with_the_comment_never_always_open():
    status = evaluate('"sur rendez-vous"', at=paris(2026, 3, 10, 20), department_code="75")
    assert status == OpeningStatus(state="unknown", next_change=None, label="Horaires inconnus · sur rendez-vous")


def test_a_time_range_with_a_comment_and_no_state_is_unknown_as_in_the_reference():
    raw = 'Mo-Fr 08:00-12:00 "sur rendez-vous"'
    during = evaluate(raw, at=paris(2026, 3, 10, 10), department_code="75")
    assert (during.state, during.label) == ("unknown", "Horaires inconnus · sur rendez-vous")
    assert during.next_change == paris(2026, 3, 10, 12)
    after = evaluate(raw, at=paris(2026, 3, 10, 13), department_code="75")
    assert (after.state, after.next_change) == ("closed", paris(2026, 3, 11, 8))
    # With a state, the comment does not change it.
    assert evaluate('Mo-Fr 08:00-12:00 open "sonner"', at=paris(2026, 3, 10, 10), department_code="75").state == "open"


def test_a_fallback_rule_applies_whenever_the_earlier_rules_leave_the_instant_closed():
    raw = 'Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00 || "sur rendez-vous"'
    lunch = evaluate(raw, at=paris(2026, 3, 10, 12, 30), department_code="75")  # a selected day
    assert (lunch.state, lunch.next_change) == ("unknown", paris(2026, 3, 10, 14))
    sunday = evaluate(raw, at=paris(2026, 3, 15, 11), department_code="75")  # a day no rule selects
    assert (sunday.state, sunday.next_change) == ("unknown", paris(2026, 3, 16, 9))
    assert evaluate(raw, at=paris(2026, 3, 10, 10), department_code="75").state == "open"
    # A fallback with hours: open where it opens, closed where both say closed.
    other = evaluate("Mo-Fr 08:00-12:00 || Sa 10:00-12:00", at=paris(2026, 3, 14, 11), department_code="75")
    assert (other.state, other.next_change) == ("open", paris(2026, 3, 14, 12))


@pytest.mark.parametrize(
    ("raw", "at", "until"),
    [
        ("Mo-Fr 18:00+", paris(2026, 3, 10, 20), paris(2026, 3, 11, 4)),
        ("Fr-Sa 18:00-01:00+", paris(2026, 3, 13, 20), paris(2026, 3, 14, 9)),
        ("Fr-Sa 18:00-01:00+", paris(2026, 3, 14, 2), paris(2026, 3, 14, 9)),
        ("Mo-Fr 08:00-12:00,18:00+", paris(2026, 3, 10, 19), paris(2026, 3, 11, 4)),
    ],
)
def test_an_open_end_is_open_with_an_unknown_closing_time(raw, at, until):
    status = evaluate(raw, at=at, department_code="75")
    assert status == OpeningStatus(state="open", next_change=until, label="Ouvert · heure de fermeture inconnue")


def test_before_an_open_end_the_place_is_closed_and_the_morning_has_its_closing_time():
    raw = "Mo-Fr 08:00-12:00,18:00+"
    assert evaluate(raw, at=paris(2026, 3, 10, 10), department_code="75").label == "Ouvert · ferme à 12:00"
    assert evaluate(raw, at=paris(2026, 3, 10, 15), department_code="75").label == "Fermé · ouvre à 18:00"


def test_sun_events_at_the_place_then_the_departement_centre_then_fixed_times():
    raw = "sunrise-sunset"
    at = paris(2026, 6, 21, 12)
    brest = evaluate(raw, at=at, department_code="29", position=(-4.49, 48.39))
    strasbourg = evaluate(raw, at=at, department_code="67", position=(7.75, 48.57))
    # 12.2° of longitude apart: the sun sets about 49 minutes later in Brest.
    assert 45 <= (brest.next_change - strasbourg.next_change).total_seconds() / 60 <= 52
    assert brest.label == f"Ouvert · ferme à {brest.next_change:%H:%M}"
    centre = evaluate(raw, at=at, department_code="29")  # Finistère's centre, near Brest
    assert abs((centre.next_change - brest.next_change).total_seconds()) <= 5 * 60
    unknown_place = evaluate(raw, at=at, department_code=None)
    assert unknown_place.next_change == paris(2026, 6, 21, 19)  # the library's fixed sunset
    reunion = evaluate(raw, at=datetime(2026, 6, 21, 12, tzinfo=REUNION), department_code="974")
    assert datetime(2026, 6, 21, 17, 30, tzinfo=REUNION) <= reunion.next_change <= datetime(2026, 6, 21, 18, tzinfo=REUNION)


def test_french_forms_are_evaluated_as_their_normalised_value():
    for raw in ("Mo-Fr 9h-12h", "Mo-Fr 9-12", "Mo-Fr 09:00-12:00,"):
        status = evaluate(raw, at=paris(2026, 3, 10, 10), department_code="75")
        assert (status.state, status.next_change) == ("open", paris(2026, 3, 10, 12))
