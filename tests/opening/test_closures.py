from datetime import date

from geofinder.opening import Closure, evaluate
from geofinder.opening.closures import closure_covering, merge_closures, next_closure_start

from .helpers import paris

LOCKDOWN = Closure(
    start=date(2026, 11, 20), end=date(2026, 12, 15), reason="fermeture administrative"
)
SHOP = "Mo-Fr 09:00-12:00,14:00-18:00"


def test_merge_closures():
    closures = [
        Closure(date(2026, 3, 10), date(2026, 3, 12)),
        Closure(date(2026, 3, 1), date(2026, 3, 5)),
        Closure(date(2026, 3, 6), date(2026, 3, 7)),  # adjacent
        Closure(date(2026, 4, 2), date(2026, 4, 1)),  # end before start: ignored
    ]
    ranges = merge_closures(closures=closures)
    assert ranges == [(date(2026, 3, 1), date(2026, 3, 7)), (date(2026, 3, 10), date(2026, 3, 12))]
    assert closure_covering(day=date(2026, 3, 6), ranges=ranges) == (
        date(2026, 3, 1),
        date(2026, 3, 7),
    )
    assert closure_covering(day=date(2026, 3, 8), ranges=ranges) is None
    assert next_closure_start(day=date(2026, 3, 8), ranges=ranges) == date(2026, 3, 10)


def test_closed_during_a_closure_until_the_reopening():
    status = evaluate(SHOP, at=paris(2026, 11, 25, 10), department_code="31", closures=[LOCKDOWN])
    assert status.state == "closed"
    assert status.label == "Fermé · fermeture exceptionnelle"
    assert status.next_change == paris(2026, 12, 16, 9)  # Wednesday after the closure


def test_reopening_skips_a_following_closure_and_closed_days():
    closures = [LOCKDOWN, Closure(date(2026, 12, 16), date(2026, 12, 18))]
    status = evaluate(SHOP, at=paris(2026, 11, 25, 10), department_code="31", closures=closures)
    assert status.next_change == paris(2026, 12, 21, 9)  # Monday


def test_open_place_closes_when_the_closure_starts():
    status = evaluate("24/7", at=paris(2026, 11, 18, 10), department_code="31", closures=[LOCKDOWN])
    assert status.state == "open"
    assert status.next_change == paris(2026, 11, 20, 0)
    assert status.label == "Ouvert · ferme vendredi à 00:00"


def test_next_opening_inside_a_closure_moves_after_it():
    status = evaluate(SHOP, at=paris(2026, 11, 19, 19), department_code="31", closures=[LOCKDOWN])
    assert status.state == "closed"
    assert status.next_change == paris(2026, 12, 16, 9)
    assert status.label == "Fermé · ouvre le 16/12 à 09:00"


def test_closures_elsewhere_in_time_change_nothing():
    past = Closure(date(2026, 1, 1), date(2026, 1, 31))
    with_closure = evaluate(SHOP, at=paris(2026, 11, 25, 10), department_code="31", closures=[past])
    without = evaluate(SHOP, at=paris(2026, 11, 25, 10), department_code="31")
    assert with_closure == without


def test_closure_days_are_local_days():
    # 23:30 UTC on 19 November is already 20 November in Paris.
    status = evaluate(
        "24/7", at=paris(2026, 11, 20, 0, 30), department_code="31", closures=[LOCKDOWN]
    )
    assert status.label == "Fermé · fermeture exceptionnelle"
    assert status.next_change == paris(2026, 12, 16, 0)
