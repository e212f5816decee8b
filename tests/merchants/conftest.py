"""Users, moderators and places of two départements for the merchants' tests."""

import re

import pytest

from geofinder.places.models import Place
from tests.factories import ManagerFactory, ModeratorFactory, UserFactory

PASSWORD = "Un mot de passe assez long 42"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(email: str, *, active: bool = True):
    return UserFactory(email=email, password=PASSWORD, is_active=active)


@pytest.fixture
def merchant(db):
    return make_user("patronne@example.org")


@pytest.fixture
def other_merchant(db):
    return make_user("voisin@example.org")


def moderator_of(email: str, *codes: str):
    return ModeratorFactory(user=make_user(email), departments=codes).user


@pytest.fixture
def moderator31(db):
    return moderator_of("moderation31@example.org", "31")


@pytest.fixture
def moderator81(db):
    return moderator_of("moderation81@example.org", "81")


def place_in(code: str) -> Place:
    return Place.objects.filter(commune__department__code=code).order_by("id").first()


@pytest.fixture
def place31(db):
    return place_in("31")


@pytest.fixture
def place81(db):
    return place_in("81")


@pytest.fixture
def managed31(merchant, place31):
    ManagerFactory(user=merchant, place=place31)
    return place31


def link_in(message) -> str:
    """The first link of an email, as a path."""
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
