"""Compute again the half-hours of the week each place may be open in (the index prefilter of
searches with an opening filter). Imports compute them for the places they write; they hold for
a year, so run this at least once a year (monthly from cron, say), and after changing opening
hours by hand in the database."""

from django.core.management.base import BaseCommand
from django.db import connection
from tqdm import tqdm

from geofinder.places.services import opening_slots_refresh


class Command(BaseCommand):
    help = "Compute the open half-hours of every place (for the opening filter's index)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")
        parser.add_argument(
            "--missing", action="store_true", help="Only the places without computed slots (changed by hand since)"
        )

    def handle(self, *args, **options):
        with tqdm(unit=" hours values", desc="opening slots", disable=options["no_progress"]) as bar:
            count = opening_slots_refresh(missing_only=options["missing"], progress=bar.update)
        # Every row was written again: clear the old versions out of the search index now (not
        # possible inside a transaction: called from one, autovacuum will).
        if not connection.in_atomic_block and not options["missing"]:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE places_place")
        self.stdout.write(f"{count} places have their opening slots")
