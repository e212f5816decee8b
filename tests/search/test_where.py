"""The where of a search: points and their commune (texts: tests/territories/test_gazetteer.py)."""

import pytest

from geofinder.search.where import (
    Where,
    WhereError,
    at_commune,
    located,
    resolve_where,
    where_from_point,
)

pytestmark = pytest.mark.django_db

# La Poste's point of Labège (31254), postcode 31670: `31254;LABEGE;31670;;LABEGE;43.539137717;1.5206207109`.
LABEGE = (1.5206207109, 43.539137717)
# geo.api.gouv.fr's centre of the commune: `"Labège","31254","31670",…,1.5207,43.5396`.
LABEGE_CENTRE = (1.5207, 43.5396)


# --- Points ---------------------------------------------------------------------------------


def test_point_in_a_commune():
    found = where_from_point(*LABEGE)
    assert found == Where(
        label="Position 1.52062, 43.53914", lon=LABEGE[0], lat=LABEGE[1], kind="point", commune_code="31254",
        department_code="31",
    )
    assert where_from_point(1.52, 43.55).label == "Position 1.52000, 43.55000"


def test_point_in_a_former_commune_is_in_the_commune_of_today():
    # Inside the 2018 Courcouronnes: the same commune as where=Courcouronnes.
    found = where_from_point(2.4119, 48.6217)
    assert (found.commune_code, found.department_code) == ("91228", "91")
    assert found.commune_code == resolve_where("Courcouronnes").commune_code


def test_point_left_to_locate_is_located_later():
    pending = where_from_point(*LABEGE, locate=False)
    assert (pending.located, pending.commune_code) == (False, None)
    with pytest.raises(ValueError, match="not looked up yet"):
        pending.as_dict()
    assert located(pending) == where_from_point(*LABEGE)
    assert located(pending).located
    assert located(where_from_point(3.5, 43.0, locate=False)) == where_from_point(3.5, 43.0)
    assert at_commune(pending, ("31254", "31")) == where_from_point(*LABEGE)
    at_sea = {"label": pending.label, "lon": LABEGE[0], "lat": LABEGE[1], "kind": "point"}
    assert at_commune(pending, None).as_dict() == at_sea


def test_point_at_sea_has_no_commune():
    found = where_from_point(3.5, 43.0)  # Golfe du Lion, 40 km off the coast
    assert (found.kind, found.commune_code, found.department_code) == ("point", None, None)


def test_as_dict():
    assert resolve_where("Labège").as_dict() == {
        "label": "Labège (31)", "lon": LABEGE_CENTRE[0], "lat": LABEGE_CENTRE[1], "kind": "commune",
        "commune_code": "31254",
    }
    assert where_from_point(3.5, 43.0).as_dict() == {
        "label": "Position 3.50000, 43.00000", "lon": 3.5, "lat": 43.0, "kind": "point"
    }
    assert "commune_code" not in resolve_where("31320").as_dict()


def test_errors_are_value_errors_with_message_and_candidates():
    with pytest.raises(ValueError) as raised:
        resolve_where("99999")
    assert isinstance(raised.value, WhereError)
    assert str(raised.value) == raised.value.message == "unknown postcode 99999"
