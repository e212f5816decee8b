"""The half-hours of the week a place may be open in: never missing an instant it is open."""

from datetime import UTC, datetime, timedelta

import pytest

from geofinder.opening import evaluate
from geofinder.opening.slots import SLOTS_PER_WEEK, WINDOW_DAYS, open_slots, week_slot
from geofinder.opening.status import OPEN

SINCE = datetime(2026, 11, 30, 9, tzinfo=UTC)


def instants(step=timedelta(hours=3, minutes=17)):
    """Instants spread over the slots' window (every weekday and time of day comes round)."""
    at = SINCE - timedelta(hours=23)
    while at < SINCE + timedelta(days=WINDOW_DAYS):
        yield at
        at += step


@pytest.mark.parametrize(
    "raw, department",
    [
        ("Mo-Sa 08:00-19:00", "31"),
        ("Tu-Sa 07:00-13:00,15:30-19:30; Su 07:00-12:30; PH off", "31"),
        ("Fr-Sa 22:00-02:00", "75"),  # nights across midnight, and the DST nights
        ("Mo-Fr 09:00-18:00; PH 10:00-12:00", "67"),  # Alsace-Moselle's extra holidays
        ("Mo-Fr 08:30-12:30; SH off", "69"),  # school holidays of zone A
        ("Dec 24 08:00-12:00; Mo-Sa 09:00-19:00", "33"),  # a date rule
        ("Mo-Fr 08:00-17:00", "974"),  # La Réunion, UTC+4 all year
        ("24/7", "2A"),
    ],
)
def test_every_instant_a_place_is_open_lies_in_its_slots(raw, department):
    slots = set(open_slots(raw, department, SINCE))
    open_instants = [at for at in instants() if evaluate(raw, at=at, department_code=department).state == OPEN]
    assert open_instants, "the rule opens at some sampled instant"
    assert {week_slot(at) for at in open_instants} <= slots


def test_slots_are_those_of_the_hours_in_utc_over_both_clock_times():
    # 08:00-19:00 in Paris is 07:00-18:00 UTC in winter, 06:00-17:00 in summer: 06:00-18:00.
    slots = open_slots("Mo-Sa 08:00-19:00", "31", SINCE)
    assert len(slots) == 6 * 24
    assert week_slot(datetime(2026, 11, 30, 6, tzinfo=UTC)) in slots  # Monday 06:00 UTC
    assert week_slot(datetime(2026, 11, 30, 5, 30, tzinfo=UTC)) not in slots
    assert week_slot(datetime(2026, 12, 6, 12, tzinfo=UTC)) not in slots  # Sunday
    # La Réunion: 08:00-17:00 local is 04:00-13:00 UTC.
    reunion = open_slots("Mo-Fr 08:00-17:00", "974", SINCE)
    assert len(reunion) == 5 * 18 and week_slot(datetime(2026, 11, 30, 4, tzinfo=UTC)) in reunion


def test_unknown_hours_have_no_slot_and_always_open_ones_all():
    assert open_slots("", "31", SINCE) == ()
    assert open_slots("lundi au vendredi 9h-18h", "31", SINCE) == ()  # invalid: state unknown
    assert open_slots("off", "31", SINCE) == ()
    assert len(open_slots("24/7", "31", SINCE)) == SLOTS_PER_WEEK


def test_week_slot_counts_half_hours_from_monday_midnight_utc():
    assert week_slot(datetime(2026, 11, 30, 0, 0, tzinfo=UTC)) == 0  # a Monday
    assert week_slot(datetime(2026, 11, 30, 0, 29, 59, tzinfo=UTC)) == 0
    assert week_slot(datetime(2026, 11, 30, 1, 0, tzinfo=UTC)) == 2
    assert week_slot(datetime(2026, 12, 6, 23, 30, tzinfo=UTC)) == SLOTS_PER_WEEK - 1
    assert week_slot(datetime(2026, 12, 7, 0, 30, tzinfo=UTC) - timedelta(minutes=1)) == 0


def test_sun_events_get_a_margin_for_places_away_from_the_departement_centre():
    # Slots are computed at the département's centre; the searches evaluate at the place.
    raw = "Mo-Su sunrise-sunset"
    slots = set(open_slots(raw, "29", SINCE))
    for position in ((-4.77, 48.36), (-3.39, 48.17)):  # the west and east ends of Finistère
        opened = [
            at for at in instants(step=timedelta(minutes=47))
            if evaluate(raw, at=at, department_code="29", position=position).state == OPEN
        ]
        assert {week_slot(at) for at in opened} <= slots
