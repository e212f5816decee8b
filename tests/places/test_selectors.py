"""Reads of the place directory kept by each process."""

import pytest

from geofinder.places.models import Category
from geofinder.places.selectors import CategoryNames, category_names_of

pytestmark = pytest.mark.django_db


def test_category_names_of_knows_every_category_even_one_created_since():
    boulangerie = Category.objects.get(slug="boulangerie")
    assert category_names_of(boulangerie.pk) == CategoryNames("boulangerie", boulangerie.label)
    new = Category.objects.create(slug="souffleur-de-verre", label="Souffleur de verre", label_en="Glassblower",
                                  family=boulangerie.family)
    assert category_names_of(new.pk) == ("souffleur-de-verre", "Souffleur de verre")  # read again
    assert category_names_of(0) is None
