import pytest

from geofinder.opening import evaluate
from geofinder.opening.labels import closed_label, open_label, when

from .helpers import paris

NOW = paris(2026, 11, 25, 13)  # Wednesday


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (paris(2026, 11, 25, 14), "à 14:00"),
        (paris(2026, 11, 26, 8, 30), "demain à 08:30"),
        (paris(2026, 11, 30, 9), "lundi à 09:00"),
        (paris(2026, 12, 1, 9), "mardi à 09:00"),
        (paris(2026, 12, 2, 9), "le 02/12 à 09:00"),
        (paris(2027, 1, 12, 9), "le 12/01 à 09:00"),
    ],
)
def test_when(moment, text):
    assert when(now=NOW, moment=moment) == text


def test_open_labels():
    assert open_label(now=NOW, closes=paris(2026, 11, 25, 19)) == "Ouvert · ferme à 19:00"
    assert open_label(now=NOW, closes=paris(2026, 11, 26, 2)) == "Ouvert · ferme à 02:00"
    assert open_label(now=NOW, closes=paris(2026, 11, 30, 0)) == "Ouvert · ferme lundi à 00:00"
    assert open_label(now=NOW, closes=None) == "Ouvert 24h/24"


def test_closed_labels():
    assert closed_label(now=NOW, opens=paris(2026, 11, 25, 14)) == "Fermé · ouvre à 14:00"
    assert closed_label(now=NOW, opens=None) == "Fermé"


BAKERY = "Mo-Sa 08:30-12:30,14:00-19:00; PH off"


@pytest.mark.parametrize(
    ("at", "label"),
    [
        (paris(2026, 11, 25, 10), "Ouvert · ferme à 12:30"),
        (paris(2026, 11, 25, 13), "Fermé · ouvre à 14:00"),
        (paris(2026, 11, 25, 15), "Ouvert · ferme à 19:00"),
        (paris(2026, 11, 25, 20), "Fermé · ouvre demain à 08:30"),
        (paris(2026, 11, 28, 20), "Fermé · ouvre lundi à 08:30"),  # Saturday evening
        (paris(2026, 11, 11, 10), "Fermé · jour férié"),
    ],
)
def test_labels_of_a_bakery(at, label):
    assert evaluate(BAKERY, at=at, department_code="31").label == label


def test_label_for_a_far_reopening():
    status = evaluate("Jan 12 09:00-12:00", at=paris(2026, 12, 31, 13), department_code="31")
    assert status.label == "Fermé · ouvre le 12/01 à 09:00"


def test_label_without_known_reopening():
    assert evaluate("Mo-Fr off", at=paris(2026, 11, 25, 10), department_code="31").label == "Fermé"


def test_label_times_are_local():
    status = evaluate("Mo-Sa 08:00-18:00", at=paris(2026, 11, 25, 7), department_code="974")
    assert status.label == "Ouvert · ferme à 18:00"  # 10:00 in La Réunion, closes at 18:00 there


def test_unknown_labels_show_the_comment():
    from geofinder.opening.labels import OPEN_END_LABEL, unknown_label

    assert unknown_label() == "Horaires inconnus"
    assert unknown_label("sur rendez-vous") == "Horaires inconnus · sur rendez-vous"
    long = unknown_label("x" * 200)
    assert long.endswith("…") and len(long) == len("Horaires inconnus · ") + 80
    assert OPEN_END_LABEL == "Ouvert · heure de fermeture inconnue"


def test_labels_that_stay_right_as_time_passes():
    from geofinder.opening.labels import OPEN_END_LABEL, is_fixed, unknown_label

    assert is_fixed(OPEN_END_LABEL) and is_fixed(unknown_label("sur rendez-vous"))
    assert is_fixed("Fermé · jour férié") and is_fixed("Fermé · fermeture exceptionnelle")
    assert not is_fixed("Horaires inconnus") and not is_fixed("Ouvert · ferme à 19:00")
