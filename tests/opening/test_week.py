from datetime import date

from geofinder.opening import Closure, week_schedule

from .helpers import paris

BAKERY = "Mo-Sa 08:30-12:30,14:00-19:00; PH off"


def test_seven_days_from_monday():
    week = week_schedule(BAKERY, at=paris(2026, 11, 12, 10), department_code="31")
    assert [day["date"] for day in week] == [f"2026-11-{day:02d}" for day in range(9, 16)]
    assert [day["weekday"] for day in week] == [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]
    assert [day["today"] for day in week] == [False, False, False, True, False, False, False]
    assert week[0]["intervals"] == ["08:30–12:30", "14:00–19:00"]
    assert week[6]["intervals"] == []


def test_public_holiday_note():
    week = week_schedule(BAKERY, at=paris(2026, 11, 12, 10), department_code="31")
    wednesday = week[2]
    assert wednesday == {
        "date": "2026-11-11",
        "weekday": "mercredi",
        "intervals": [],
        "today": False,
        "note": "Jour férié",
    }
    assert week[1]["note"] == ""


def test_night_opening_is_shown_on_its_evening():
    week = week_schedule("Fr 22:00-02:00", at=paris(2026, 11, 12, 10), department_code="31")
    assert week[4]["intervals"] == ["22:00–02:00"]
    assert week[5]["intervals"] == []


def test_every_night_including_the_monday_after_sunday():
    week = week_schedule("Mo-Su 18:00-02:00", at=paris(2026, 11, 12, 10), department_code="31")
    assert all(day["intervals"] == ["18:00–02:00"] for day in week)


def test_always_open():
    week = week_schedule("24/7", at=paris(2026, 3, 25, 10), department_code="75")
    assert all(day["intervals"] == ["00:00–24:00"] for day in week)  # DST Sunday included


def test_closure_note():
    closures = [Closure(start=date(2026, 11, 13), end=date(2026, 11, 14))]
    week = week_schedule(
        BAKERY, at=paris(2026, 11, 12, 10), department_code="31", closures=closures
    )
    assert week[4]["intervals"] == [] and week[4]["note"] == "Fermeture exceptionnelle"
    assert week[5]["note"] == "Fermeture exceptionnelle"
    assert week[3]["intervals"] == ["08:30–12:30", "14:00–19:00"]


def test_uncertain_days_carry_the_comment():
    week = week_schedule(
        'Mo-Fr 09:00-18:00 || "sur rendez-vous"', at=paris(2026, 11, 12, 10), department_code="31"
    )
    assert week[5]["intervals"] == [] and week[5]["note"] == "sur rendez-vous"
    assert week[0]["note"] == ""


def test_school_holidays_by_zone():
    raw = "Mo-Fr 09:00-17:00; SH Mo-Fr 10:00-12:00"
    toulouse = week_schedule(raw, at=paris(2026, 3, 2, 10), department_code="31")
    lyon = week_schedule(raw, at=paris(2026, 3, 2, 10), department_code="69")
    assert toulouse[0]["intervals"] == ["10:00–12:00"]
    assert lyon[0]["intervals"] == ["09:00–17:00"]


def test_invalid_value_gives_no_table():
    assert week_schedule("lundi 8h-12h", at=paris(2026, 11, 12, 10), department_code="31") == []
    assert week_schedule(None, at=paris(2026, 11, 12, 10), department_code="31") == []


def test_an_open_end_is_shown_without_its_guessed_closing_time():
    week = week_schedule("Mo-Fr 08:00-12:00,18:00+", at=paris(2026, 3, 10, 10), department_code="75")
    assert week[0]["intervals"] == ["08:00–12:00", "18:00–?"]
    assert week[5]["intervals"] == []


def test_sun_events_in_the_week_at_the_place():
    at = paris(2026, 6, 17, 12)
    brest = week_schedule("sunrise-sunset", at=at, department_code="29", position=(-4.49, 48.39))
    strasbourg = week_schedule("sunrise-sunset", at=at, department_code="67", position=(7.75, 48.57))
    def minutes(text):
        return int(text[:2]) * 60 + int(text[3:5])

    (brest_day,), (strasbourg_day,) = brest[0]["intervals"], strasbourg[0]["intervals"]
    # 12.2° of longitude: the sun rises and sets about 49 minutes later in Brest.
    assert 45 <= minutes(brest_day[-5:]) - minutes(strasbourg_day[-5:]) <= 52
    assert 45 <= minutes(brest_day[:5]) - minutes(strasbourg_day[:5]) <= 52
