"""GET /api/v1/categories/: whether each category has places (the pages mark the others)."""

import pytest
from django.db.models import Q

from geofinder.places.models import Category, Place

pytestmark = pytest.mark.django_db


def test_each_category_says_whether_a_place_has_it(client):
    body = client.get("/api/v1/categories/").json()
    said = {c["slug"]: c["has_places"] for family in body["families"] for c in family["categories"]}
    expected = {
        category.slug: Place.objects.filter(Q(category=category) | Q(secondary_categories=category)).exists()
        for category in Category.objects.all()
    }
    assert said == expected
    assert said["boulangerie"] and not said["plombier"]


def test_a_category_given_its_first_place_has_places(client):
    place = Place.objects.filter(category__slug="boulangerie").first()
    Place.objects.filter(pk=place.pk).update(category=Category.objects.get(slug="plombier"))
    body = client.get("/api/v1/categories/").json()
    said = {c["slug"]: c["has_places"] for family in body["families"] for c in family["categories"]}
    assert said["plombier"]
