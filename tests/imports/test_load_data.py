from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from geofinder.imports.models import SourceLoad
from geofinder.places.models import Place

pytestmark = pytest.mark.django_db


def test_a_second_load_skips_the_unchanged_sources(data_dir):
    first, second = StringIO(), StringIO()
    call_command("load_data", data_dir=data_dir, stdout=first, verbosity=0)
    count = Place.objects.count()
    call_command("load_data", data_dir=data_dir, stdout=second, verbosity=0)
    assert "unchanged 35357" in first.getvalue()  # communes already loaded by the session set-up
    steps = set(SourceLoad.objects.values_list("step", flat=True))
    assert {"categories", "territories", "alimconfiance"} <= steps
    assert second.getvalue().count("skipped") == len(steps)
    assert Place.objects.count() == count


def test_a_data_directory_without_boundaries_is_refused(tmp_path):
    with pytest.raises(CommandError, match="holds no boundaries/"):
        call_command("load_data", data_dir=tmp_path, verbosity=0)


def test_the_hand_written_fixtures_load_and_say_they_are_not_real_coverage(settings):
    out = StringIO()
    call_command("load_data", data_dir=settings.BASE_DIR / "fixtures", stdout=out, verbosity=0)
    assert "NOT real coverage" in out.getvalue()
    assert Place.objects.filter(source="alimconfiance", name="EXEMPLE BOULANGERIE", commune__code="31254").exists()
    assert Place.objects.filter(source="osm", name="Exemple plombier", category__slug="plombier").exists()
