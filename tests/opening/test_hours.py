"""Hours: fallback parts, open-end spans and sun events over opening-hours-py."""

from datetime import datetime
from zoneinfo import ZoneInfo

import opening_hours

from geofinder.opening.hours import build_hours, is_open_end, shown_comment
from geofinder.opening.structure import OPEN_END, parts

OPEN, CLOSED, UNKNOWN = opening_hours.State.OPEN, opening_hours.State.CLOSED, opening_hours.State.UNKNOWN


def hours(text, **options):
    return build_hours(parts(text), max_interval_days=400, **options)


def test_the_first_part_not_closed_decides():
    value = hours('Mo-Fr 08:00-12:00 || Tu 07:00-20:00 open "fb" || "appeler"')
    tuesday = datetime(2026, 3, 10)
    assert value.state(tuesday.replace(hour=7, minute=30)) == (OPEN, "fb")
    assert value.state(tuesday.replace(hour=10)) == (OPEN, "")
    assert value.state(tuesday.replace(hour=13)) == (OPEN, "fb")
    assert value.state(tuesday.replace(hour=21)) == (UNKNOWN, "appeler")
    # An explicit "off" leaves the instant to the fallback too, as in the reference.
    assert hours('Mo-Fr 08:00-18:00; Tu 12:00-13:00 off || "rdv"').state(tuesday.replace(hour=12, minute=30)) == (
        UNKNOWN,
        "rdv",
    )


def test_changes_and_intervals_of_a_value_with_fallback():
    value = hours('Mo-Fr 09:00-18:00 || "sur rendez-vous"')
    monday = datetime(2026, 3, 9)
    assert value.next_change(monday.replace(hour=20)) == monday.replace(day=10, hour=9)
    assert [(a.hour, b.hour, state) for a, b, state, _ in value.intervals(monday, monday.replace(day=10))] == [
        (0, 9, UNKNOWN),
        (9, 18, OPEN),
        (18, 0, UNKNOWN),
    ]


def test_an_open_end_span_reads_as_open_with_its_mark():
    value = hours("Mo-Fr 18:00+")
    state, comment = value.state(datetime(2026, 3, 9, 23))
    assert state == OPEN and is_open_end(comment) and shown_comment(comment) == ""
    assert value.state(datetime(2026, 3, 10, 4, 30))[0] == CLOSED
    assert shown_comment(f"{OPEN_END} appeler ") == "appeler"


def test_sun_events_at_the_place():
    paris = ZoneInfo("Europe/Paris")
    noon = datetime(2026, 6, 21, 12)
    at_paris = hours("sunrise-sunset", sun=(48.86, 2.35, paris)).next_change(noon)
    at_brest = hours("sunrise-sunset", sun=(48.39, -4.49, paris)).next_change(noon)
    fixed = hours("sunrise-sunset").next_change(noon)
    assert fixed == datetime(2026, 6, 21, 19)  # the library's fixed time without a place
    assert at_paris.tzinfo is None and datetime(2026, 6, 21, 21, 55) <= at_paris <= datetime(2026, 6, 21, 22, 0)
    # Brest is 6.8° west of Paris: the sun sets about 27 minutes later there.
    assert 25 <= (at_brest - at_paris).total_seconds() / 60 <= 30
