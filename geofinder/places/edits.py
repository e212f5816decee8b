"""Writes of a place by people: a merchant's changes, a moderator's approval, a proposed place.

The importers write through geofinder.places.services.places_upsert (bulk, no history); these
services write one place at a time, each change recorded in its history (django-simple-history:
who, when, the state before and after) and in its field provenance as the merchant's
confirmation (geofinder/places/provenance.py), which later imports keep.

Values are checked by the caller (the merchants' forms); these functions take them as given:
`name`, `category` and `secondary_categories` (slugs), `location` (a Point: the commune follows),
`location_precision` (with a location: how it was found, default "source"), `street`, `postcode`, `city`, `phone`, `email`, `website`, `shop_url`, the four services,
`opening_hours`, `status`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from geofinder.opening import normalise
from geofinder.places.licences import licence_for
from geofinder.places.models import Announcement, Category, Place, PlaceClosure, PlaceSource
from geofinder.places.provenance import MERCHANT, PROVENANCE_FIELDS, entry
from geofinder.places.services import opening_slots_refresh
from geofinder.territories.selectors import commune_ids_at_points


class PlaceEditError(ValueError):
    """A value that cannot be written, by field (the forms check first; this is the backstop)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Author:
    """Who makes a change: the merchant (or proposer) whose values they are, and the moderator
    who approved them, if any."""

    user_id: int
    approved_by: int | None = None


def _history_user(place, author: Author):
    from django.contrib.auth import get_user_model

    place._history_user = get_user_model().objects.get(pk=author.approved_by or author.user_id)


def _commune_of(location: Point) -> int:
    [(commune_id, _snapped)] = commune_ids_at_points([(location.x, location.y)])
    if commune_id is None:
        raise PlaceEditError({"location": "ce point n'est dans aucune commune (en mer, à l'étranger)"})
    return commune_id


def _set(place: Place, values: dict) -> tuple[list[str], list[str] | None]:
    """Set `values` on `place`; (the fields whose value changed, the new secondary slugs or
    None when unchanged)."""
    unknown = set(values) - set(PROVENANCE_FIELDS) - {"location_precision"}
    if unknown:
        raise PlaceEditError({field: "champ inconnu" for field in sorted(unknown)})
    changed: list[str] = []
    secondaries = None
    for field, value in values.items():
        if field == "category":
            category_id = Category.objects.filter(slug=value).values_list("pk", flat=True).first()
            if category_id is None:
                raise PlaceEditError({"category": f"catégorie inconnue : {value}"})
            if category_id != place.category_id:
                place.category_id = category_id
                changed.append(field)
        elif field == "secondary_categories":
            slugs = list(dict.fromkeys(value))
            through = Place.secondary_categories.through
            current = [] if place.pk is None else list(
                through.objects.filter(place_id=place.pk).order_by("id").values_list("category__slug", flat=True)
            )
            if slugs != current:
                secondaries = slugs
                changed.append(field)
        elif field == "location_precision":
            continue  # with the location
        elif field == "location":
            if place.pk is None or place.location.coords != value.coords:
                place.location = Point(value.x, value.y, srid=4326)
                place.location_precision = values.get("location_precision", Place.LocationPrecision.SOURCE)
                place.commune_id = _commune_of(place.location)
                changed.append(field)
        elif field == "opening_hours":
            stored, warning = normalise(value) if value else ("", None)
            if stored != place.opening_hours:
                place.opening_hours, place.opening_hours_warning = stored, warning or ""
                changed.append(field)
        elif getattr(place, field) != value:
            setattr(place, field, value)
            changed.append(field)
    return changed, secondaries


def _write_secondaries(place: Place, slugs: list[str] | None) -> None:
    if slugs is None:
        return
    categories = dict(Category.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    missing = [slug for slug in slugs if slug not in categories]
    if missing:
        raise PlaceEditError({"secondary_categories": f"catégories inconnues : {', '.join(missing)}"})
    through = Place.secondary_categories.through
    through.objects.filter(place_id=place.pk).delete()
    through.objects.bulk_create(
        [through(place_id=place.pk, category_id=categories[slug]) for slug in slugs if categories[slug] != place.category_id]
    )


def _baseline_history(place: Place) -> None:
    """The place as its source left it, as the first line of its history (imports record none),
    so that the first change by a person shows what was there before it."""
    if not place.history.exists():
        stored = Place.objects.get(pk=place.pk)
        Place.history.bulk_history_create(
            [stored], update=True, default_change_reason=f"état importé ({stored.source})",
            default_date=stored.updated_at,
        )


@transaction.atomic
def place_merchant_update(
    *, place: Place, values: dict, author: Author, confirm: list[str] = (), reason: str = ""
) -> list[str]:
    """Write a merchant's `values` on `place`: each changed field, and each field of `confirm`
    (the merchant checked it as it is), becomes merchant-confirmed with this instant; the
    change goes to the place's history under the author. Returns the changed fields."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    _baseline_history(place)
    changed, secondaries = _set(place, values)
    confirmed = list(dict.fromkeys([*changed, *confirm]))
    if not confirmed:
        return []
    now = timezone.now()
    provenance = dict(place.provenance)
    for field in confirmed:
        provenance[field] = entry(MERCHANT, now, by=author.user_id, approved_by=author.approved_by)
    place.provenance, place.verified_at = provenance, now
    _history_user(place, author)
    place._change_reason = reason or "modification par le commerçant"
    place.save()
    _write_secondaries(place, secondaries)
    if {"opening_hours", "location"} & set(changed):
        opening_slots_refresh(place_ids=[place.pk])
    return changed


@transaction.atomic
def place_create_by_merchant(*, values: dict, author: Author, reason: str = "") -> Place:
    """A new place of source `merchant` with `values` (name, category and location at least),
    every given field confirmed by the author, recorded in its history."""
    missing = [field for field in ("name", "category", "location") if not values.get(field)]
    if missing:
        raise PlaceEditError({field: "obligatoire" for field in missing})
    place = Place(source=MERCHANT, source_id=f"proposal-{uuid.uuid4().hex}", content_hash="")
    _changed, secondaries = _set(place, values)
    now = timezone.now()
    place.provenance = {
        field: entry(MERCHANT, now, by=author.user_id, approved_by=author.approved_by)
        for field in values if field in PROVENANCE_FIELDS
    }
    place.verified_at = now
    _history_user(place, author)
    place._change_reason = reason or "nouveau commerce proposé par le commerçant"
    place.save()
    _write_secondaries(place, secondaries)
    PlaceSource.objects.create(place=place, source=MERCHANT, source_id=place.source_id, licence=licence_for(MERCHANT).licence)
    opening_slots_refresh(place_ids=[place.pk])
    return place


@transaction.atomic
def place_closure_add(*, place: Place, start, end, reason: str, author: Author) -> PlaceClosure:
    """An exceptional closure of `place` from `start` to `end` inclusive (congés, travaux…)."""
    if end < start:
        raise PlaceEditError({"end": "la fin doit suivre le début"})
    closure = PlaceClosure(place=place, start=start, end=end, reason=reason)
    _history_user(closure, author)
    closure.save()
    return closure


@transaction.atomic
def place_closure_remove(*, closure: PlaceClosure, author: Author) -> None:
    _history_user(closure, author)
    closure.delete()


@transaction.atomic
def announcement_add(*, place: Place, kind: str, title: str, text: str, start, end, author: Author) -> Announcement:
    """An announcement of `place`, shown from `start` to `end` inclusive."""
    errors = {}
    if kind not in Announcement.Kind.values:
        errors["kind"] = "type inconnu"
    if len(text) > Announcement.TEXT_MAX_LENGTH:
        errors["text"] = f"{Announcement.TEXT_MAX_LENGTH} caractères au plus"
    if end < start:
        errors["end"] = "la fin doit suivre le début"
    if errors:
        raise PlaceEditError(errors)
    announcement = Announcement(place=place, kind=kind, title=title, text=text, start=start, end=end)
    _history_user(announcement, author)
    announcement.save()
    return announcement


@transaction.atomic
def announcement_remove(*, announcement: Announcement, author: Author) -> None:
    _history_user(announcement, author)
    announcement.delete()
