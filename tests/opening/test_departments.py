from zoneinfo import ZoneInfo

import pytest

from geofinder.opening import school_zone, timezone_for_department
from geofinder.opening.departments import normalize_department_code, territory_for

METROPOLITAN_CODES = [f"{number:02d}" for number in range(1, 96) if number != 20] + ["2A", "2B"]


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("971", "America/Guadeloupe"),
        ("972", "America/Martinique"),
        ("973", "America/Cayenne"),
        ("974", "Indian/Reunion"),
        ("976", "Indian/Mayotte"),
        ("75", "Europe/Paris"),
        ("2A", "Europe/Paris"),
        ("67", "Europe/Paris"),
        (None, "Europe/Paris"),
        ("", "Europe/Paris"),
    ],
)
def test_timezone_for_department(code, zone):
    assert timezone_for_department(code) == ZoneInfo(zone)


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("31", "C"),  # Toulouse
        ("75", "C"),  # Paris
        ("93", "C"),  # Créteil
        ("69", "A"),  # Lyon
        ("33", "A"),  # Bordeaux
        ("25", "A"),  # Besançon
        ("67", "B"),  # Strasbourg
        ("57", "B"),  # Nancy-Metz
        ("76", "B"),  # Normandie
        ("13", "B"),  # Aix-Marseille
        ("2A", "B"),  # Corse: own calendar, approximated by zone B
        ("2B", "B"),
    ],
)
def test_school_zone(code, zone):
    assert school_zone(code) == zone


@pytest.mark.parametrize("code", ["971", "972", "973", "974", "976", None, "99"])
def test_no_school_zone_overseas_or_unknown(code):
    assert school_zone(code) is None


def test_every_metropolitan_department_has_a_zone():
    assert len(METROPOLITAN_CODES) == 96
    assert {
        code: school_zone(code) for code in METROPOLITAN_CODES if school_zone(code) is None
    } == {}


@pytest.mark.parametrize(
    ("raw", "code"), [("1", "01"), (" 2a ", "2A"), ("974", "974"), ("  ", None), (None, None)]
)
def test_normalize_department_code(raw, code):
    assert normalize_department_code(raw) == code


def test_codes_are_normalized_before_lookup():
    assert school_zone("1") == "A"  # Ain, académie de Lyon
    assert school_zone("2a") == "B"


def test_every_departement_has_a_centre_inside_france():
    from geofinder.opening.departments import DEPARTMENT_ACADEMIES, DEPARTMENT_CENTRES, OVERSEAS_TIMEZONES

    assert set(DEPARTMENT_ACADEMIES) | set(OVERSEAS_TIMEZONES) <= set(DEPARTMENT_CENTRES)
    lon, lat = DEPARTMENT_CENTRES["75"]
    assert abs(lon - 2.34) < 0.05 and abs(lat - 48.86) < 0.05
    assert territory_for("974").centre == DEPARTMENT_CENTRES["974"]
    assert territory_for(None).centre is None
