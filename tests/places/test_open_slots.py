"""The open half-hours kept on each place: computed by the imports and the refresh command,
forgotten (any time) when opening hours or communes change behind them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from geofinder.opening.slots import ANY_TIME, open_slots
from geofinder.places.models import Place
from geofinder.places.services import opening_slots_refresh
from geofinder.territories.models import Commune, Department

pytestmark = pytest.mark.django_db


def slots_of(place_id: int) -> tuple[list[int], datetime | None]:
    place = Place.objects.get(pk=place_id)
    return place.open_slots, place.open_slots_at


def test_imported_places_have_their_slots():
    # The session's data went through places_upsert (Alim'confiance: no opening hours).
    place = Place.objects.filter(source="alimconfiance").first()
    assert slots_of(place.pk)[0] == [] and slots_of(place.pk)[1] is not None


def test_hours_changed_behind_the_services_mean_any_time_until_computed_again():
    place = Place.objects.filter(source="alimconfiance").first()
    Place.objects.filter(pk=place.pk).update(opening_hours="Mo-Fr 09:00-12:00")
    assert slots_of(place.pk) == (list(ANY_TIME), None)  # the trigger forgot them
    assert opening_slots_refresh(place_ids=[place.pk]) == 1
    slots, computed_at = slots_of(place.pk)
    assert slots and computed_at is not None
    assert tuple(slots) == open_slots("Mo-Fr 09:00-12:00", place.commune.department.code, computed_at)
    # A move to another commune forgets them too; a statement setting them keeps its own.
    other = Place.objects.exclude(commune=place.commune).first().commune
    Place.objects.filter(pk=place.pk).update(commune=other)
    assert slots_of(place.pk) == (list(ANY_TIME), None)
    Place.objects.filter(pk=place.pk).update(opening_hours="24/7", open_slots=[1, 2], open_slots_at=computed_at)
    assert slots_of(place.pk) == ([1, 2], computed_at)


def test_a_commune_moved_to_another_departement_forgets_the_slots_of_its_places():
    place = Place.objects.filter(source="alimconfiance").first()
    elsewhere = Place.objects.exclude(commune=place.commune).first()
    ids = [place.pk, elsewhere.pk]
    Place.objects.filter(pk__in=ids).update(opening_hours="Mo-Sa 08:00-19:00")
    opening_slots_refresh(place_ids=ids)
    computed = slots_of(elsewhere.pk)
    commune = place.commune
    Commune.objects.filter(pk=commune.pk).update(name="Renommée")  # not its département: kept
    assert slots_of(place.pk)[1] is not None
    other = Department.objects.exclude(pk=commune.department_id).exclude(pk=elsewhere.commune.department_id).first()
    Commune.objects.filter(pk=commune.pk).update(department=other)
    assert slots_of(place.pk) == (list(ANY_TIME), None)
    assert slots_of(elsewhere.pk) == computed
    opening_slots_refresh(place_ids=ids)
    assert slots_of(place.pk)[1] is not None
    Department.objects.filter(pk=other.pk).update(code="2C")
    assert slots_of(place.pk) == (list(ANY_TIME), None)
    assert slots_of(elsewhere.pk) == computed


def test_a_place_inserted_by_sql_without_slots_may_be_open_any_time():
    place = Place.objects.first()
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO places_place (name, category_id, location, location_precision, street, postcode, city,
                   commune_id, phone, email, website, shop_url, click_and_collect, delivery, takeaway, appointment,
                   opening_hours, opening_hours_warning, status, source, source_id, content_hash, extra,
                   created_at, updated_at)
               SELECT 'Par SQL', category_id, location, location_precision, '', '', '', commune_id, '', '', '', '',
                   false, false, false, false, 'Mo 10:00-11:00', '', 'active', 'test', 'sql-1', '', '{}', now(), now()
               FROM places_place WHERE id = %s RETURNING id""",
            [place.pk],
        )
        (new_id,) = cursor.fetchone()
    assert slots_of(new_id) == (list(ANY_TIME), None)


def test_the_refresh_command_computes_every_place(capsys):
    Place.objects.update(open_slots=list(ANY_TIME), open_slots_at=None)
    call_command("refresh_opening_slots", "--no-progress")
    assert not Place.objects.filter(open_slots_at=None).exists()
    assert f"{Place.objects.count()} places have their opening slots" in capsys.readouterr().out
    assert datetime.now(UTC) - Place.objects.first().open_slots_at < timedelta(hours=1, minutes=1)
