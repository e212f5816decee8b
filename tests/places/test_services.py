"""places_upsert's writing of new places (geofinder.places.services): through COPY, as a save
of each place would write it."""

from datetime import UTC, datetime

import pytest

from geofinder.imports.report import ImportReport
from geofinder.places.models import Place
from geofinder.places.records import PlaceRecord
from geofinder.places.services import places_upsert
from geofinder.territories.models import Commune

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 8, 30, tzinfo=UTC)


def _record(n: int, **values) -> PlaceRecord:
    # Two places far from every other (no join with the session's places).
    return PlaceRecord(source_id=f"copy-{n}", name=f"Échoppe d'essai {n}", category="cordonnier",
                       lon=1.2 + n / 1000, lat=44.9, commune_id=Commune.objects.get(code="31254").pk, **values)


def test_new_places_are_written_with_their_values_json_and_auto_dates():
    extra = {"naf": "95.23Z", "étiquette": "Été", "nested": {"list": [1, 2.5, None, True]}, "7": "clé numérique"}
    report = ImportReport("copy-test")
    places_upsert(source="test-copy", records=[_record(1, extra=extra, street="1 rue de l'Église"), _record(2)],
                  report=report, now=NOW)
    assert report.created == 2
    first, second = Place.objects.filter(source="test-copy").order_by("source_id")
    assert (first.name, first.street, first.category.slug) == ("Échoppe d'essai 1", "1 rue de l'Église", "cordonnier")
    assert first.extra == extra and first.provenance == {} and second.extra == {}
    assert (round(first.location.x, 6), round(first.location.y, 6)) == (1.201, 44.9)
    # auto_now_add / auto_now: set as a save would (each field its instant), one for the batch.
    assert first.created_at is not None and first.updated_at is not None
    assert (first.created_at, first.updated_at) == (second.created_at, second.updated_at)
    assert abs(first.updated_at - first.created_at).total_seconds() < 1
    assert first.open_slots_at == NOW.replace(minute=0)  # slots hold from the hour of `now`
