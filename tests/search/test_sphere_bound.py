"""The planar-to-sphere bound that makes the nearest ordering exact (no database)."""

import math
import random

import pytest

from geofinder.search.selectors import EARTH_RADIUS_M, sphere_metres_beyond


def sphere_distance(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


@pytest.mark.parametrize("lat", [-21.1, 4.9, 43.6, 48.85, 51.0, 70.0])
@pytest.mark.parametrize("degrees", [0.001, 0.05, 0.4, 3.0, 15.0])
def test_no_point_beyond_the_planar_distance_is_closer_than_the_bound(lat, degrees):
    rng = random.Random(f"{lat}/{degrees}")
    bound = sphere_metres_beyond(degrees, lat)
    closest = math.inf
    for _ in range(4000):
        # Points at planar distances from `degrees` to 3 × `degrees`, in every direction.
        angle = rng.uniform(0, 2 * math.pi)
        reach = degrees * rng.choice([1.0, rng.uniform(1.0, 3.0)])
        lon2, lat2 = 2.0 + reach * math.cos(angle), lat + reach * math.sin(angle)
        if abs(lat2) <= 90:
            closest = min(closest, sphere_distance(2.0, lat, lon2, lat2))
    assert 0 < bound <= closest
    # Tight enough to be useful: within the east-west stretch of planar degrees.
    assert bound >= closest * math.cos(math.radians(abs(lat) + degrees)) * 0.999


def test_the_bound_is_exact_north_south_and_shrinks_east_west():
    one_degree_of_latitude = sphere_distance(2.0, 45.0, 2.0, 46.0)
    east_west = one_degree_of_latitude * math.cos(math.radians(46))
    assert sphere_metres_beyond(1.0, 44.999) == pytest.approx(east_west, rel=1e-3)
    assert sphere_metres_beyond(1.0, 0.0) == pytest.approx(one_degree_of_latitude * math.cos(math.radians(1)), rel=1e-6)


@pytest.mark.parametrize("lat", [-21.1, -12.8, 4.9, 16.2])
@pytest.mark.parametrize("degrees", [20.0, 60.0, 100.0, 200.0])
def test_a_latitude_cap_keeps_far_bounds_useful_and_true(lat, degrees):
    """Overseas to mainland France: no place lies beyond 51.1° from the equator."""
    cap = 51.1
    bound = sphere_metres_beyond(degrees, lat, max_abs_lat=cap)
    assert bound > sphere_metres_beyond(degrees, lat) or abs(lat) + degrees <= cap
    rng = random.Random(f"{lat}/{degrees}/cap")
    for _ in range(20000):
        angle = rng.uniform(0, 2 * math.pi)
        reach = degrees * rng.uniform(1.0, 1.5)
        lon2, lat2 = 2.0 + reach * math.cos(angle), lat + reach * math.sin(angle)
        if abs(lat2) <= cap and -180 <= lon2 <= 180:
            assert sphere_distance(2.0, lat, lon2, lat2) >= bound


def test_no_bound_near_the_poles():
    assert sphere_metres_beyond(5.0, 86.0) == 0.0
    assert sphere_metres_beyond(90.0, 0.0) == 0.0
