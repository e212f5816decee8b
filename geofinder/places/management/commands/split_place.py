"""Undo the merge of sources into one place: each joined source gets its own place back."""

from django.core.management.base import BaseCommand, CommandError

from geofinder.places.merging import place_split
from geofinder.places.models import Place


class Command(BaseCommand):
    help = (
        "Split the sources joined to a place (same SIRET, or name and distance) off it: each gets "
        "its own place again, made from its record, and the place shows its other sources' values."
    )

    def add_arguments(self, parser):
        parser.add_argument("place_id", type=int, help="the id of the place (API: /api/v1/places/<id>/)")
        parser.add_argument("--source", help='only this source ("sirene") or record ("sirene:12345678900011")')

    def handle(self, *args, place_id: int, source: str | None, **options):
        place = Place.objects.filter(pk=place_id).first()
        if place is None:
            raise CommandError(f"no place {place_id}")
        done = place_split(place_id=place_id, source=source)
        if not done:
            which = f" of source {source!r}" if source else ""
            raise CommandError(f"place {place_id} ({place.source}:{place.source_id}) has no joined source{which} to split off")
        for ps, new_place in done:
            if new_place is None:
                self.stdout.write(f"{ps.source}:{ps.source_id} taken off place {place_id} (its record is unknown: no place made)")
            else:
                self.stdout.write(f"{ps.source}:{ps.source_id} split off place {place_id} into place {new_place.pk}")
