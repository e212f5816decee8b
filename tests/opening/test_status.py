import dataclasses
from datetime import date

import pytest

from geofinder.opening import Closure, OpeningStatus

from .helpers import paris


def test_as_dict_uses_iso_8601_with_offset():
    status = OpeningStatus(
        state="open", next_change=paris(2026, 7, 14, 19), label="Ouvert · ferme à 19:00"
    )
    assert status.as_dict() == {
        "state": "open",
        "next_change": "2026-07-14T19:00:00+02:00",
        "label": "Ouvert · ferme à 19:00",
    }


def test_as_dict_without_next_change():
    status = OpeningStatus(state="unknown", next_change=None, label="Horaires inconnus")
    assert status.as_dict()["next_change"] is None


def test_dataclasses_are_frozen():
    closure = Closure(start=date(2026, 3, 17), end=date(2026, 5, 10))
    assert closure.reason == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        closure.reason = "confinement"  # type: ignore[misc]
