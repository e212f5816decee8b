"""Factories (factory_boy) for the rows tests add to the session's real data: categories,
places, exceptional closures, and the people (accounts, managers, moderators) of the merchants'
pages.

Every default is a real row of the session's data, looked up when a factory is called (the
data is loaded by tests/conftest.py): a place is a boulangerie of Labège (31254), one metre per
`north_m`/`east_m` away from the town centre if asked. A test names what it asserts on and
leaves the rest to the factory:

    place = PlaceFactory(name="Ouvert toujours", category=restaurant, commune="97611",
                         lon=45.2279, lat=-12.7806, opening_hours="24/7")
    PlaceClosureFactory(place=place, start=date(2026, 11, 20), end=date(2026, 11, 30))

`PlaceFactory.build(...)` makes an unsaved place (for `Place.objects.bulk_create`), with the
same defaults. Locations are `geography(Point, 4326)`: lon/lat in degrees, WGS84.
"""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from factory.django import DjangoModelFactory

from geofinder.merchants.models import Manager, Moderator
from geofinder.places.models import Category, CategoryFamily, Place, PlaceClosure
from geofinder.territories.models import Commune, Department

# Labège (Haute-Garonne): the town centre, where a place without coordinates is put.
LABEGE = "31254"
LABEGE_LON_LAT = (1.5206, 43.5391)
PASSWORD = "un mot de passe assez long"
# Metres per degree of latitude (and of longitude at the equator): about 111.2 km on WGS84,
# enough to move a test place by a few metres or kilometres (never used to measure).
METRES_PER_DEGREE = 111_195.0


def _resolve(kwargs: dict, name: str, model, key: str) -> dict:
    """kwargs[name] given as a row, its natural key `key` (a string) or its id (an int)."""
    value = kwargs[name]
    if isinstance(value, str):
        kwargs[name] = model.objects.get(**{key: value})
    elif isinstance(value, int):
        kwargs[f"{name}_id"] = kwargs.pop(name)
    return kwargs


class CategoryFactory(DjangoModelFactory):
    """A category of the taxonomy's first family (or `family=`), after the loaded ones."""

    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"categorie-de-test-{n}")
    label = factory.LazyAttribute(lambda category: category.slug.replace("-", " ").capitalize())
    label_en = factory.LazyAttribute(lambda category: category.label)
    family = factory.LazyFunction(lambda: CategoryFamily.objects.order_by("position", "id").first())
    position = 999

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return _resolve(kwargs, "family", CategoryFamily, "slug")


class PlaceFactory(DjangoModelFactory):
    """An active place, source "test". `category` and `commune` take a row, its slug / INSEE
    code, or its id; `lon`/`lat` (degrees) default to Labège's centre, moved `north_m`/`east_m` metres."""

    class Meta:
        model = Place
        exclude = ("lon", "lat", "north_m", "east_m")

    class Params:
        lon, lat = LABEGE_LON_LAT
        north_m = 0.0
        east_m = 0.0

    name = factory.Sequence(lambda n: f"Lieu de test {n}")
    category = factory.LazyFunction(lambda: Category.objects.get(slug="boulangerie"))
    commune = factory.LazyFunction(lambda: Commune.objects.get(code=LABEGE))
    location = factory.LazyAttribute(
        lambda place: Point(place.lon + place.east_m / METRES_PER_DEGREE, place.lat + place.north_m / METRES_PER_DEGREE,
                            srid=4326)
    )
    source = "test"
    source_id = factory.Sequence(lambda n: f"test-{n}")
    status = Place.Status.ACTIVE

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return _resolve(_resolve(kwargs, "category", Category, "slug"), "commune", Commune, "code")


class PlaceClosureFactory(DjangoModelFactory):
    """An exceptional closure of a week (start and end inclusive), from `start` (default: a
    fixed day, never today), of `place` (a Place or its id; default: a new place)."""

    class Meta:
        model = PlaceClosure

    place = factory.SubFactory(PlaceFactory)
    start = date(2026, 11, 20)
    end = factory.LazyAttribute(lambda closure: closure.start + timedelta(days=6))
    reason = "fermeture exceptionnelle"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        return _resolve(kwargs, "place", Place, "source_id")


class UserFactory(DjangoModelFactory):
    """An account whose username is its email, with PASSWORD (hashed as Django does)."""

    class Meta:
        model = get_user_model()

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    username = factory.LazyAttribute(lambda user: user.email)
    password = factory.django.Password(PASSWORD)
    is_active = True


class ManagerFactory(DjangoModelFactory):
    """A merchant managing a place (by default: granted by a moderator)."""

    class Meta:
        model = Manager

    user = factory.SubFactory(UserFactory)
    place = factory.SubFactory(PlaceFactory)
    method = Manager.Method.MODERATOR


class ModeratorFactory(DjangoModelFactory):
    """A moderator of the départements given by code: `ModeratorFactory(departments=["31"])`."""

    class Meta:
        model = Moderator
        skip_postgeneration_save = True  # departments are a many-to-many: set() saves them

    user = factory.SubFactory(UserFactory)
    organisation = "CCI"

    @factory.post_generation
    def departments(self, create, codes, **kwargs):
        if create and codes:
            self.departments.set(Department.objects.filter(code__in=codes))
