"""Print what the directory holds: territories, categories, places per source and family."""

import json

from django.core.management.base import BaseCommand

from geofinder.places.selectors import directory_stats


class Command(BaseCommand):
    help = "Counts of régions, départements, communes, postcodes, categories and places."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args, **options):
        stats = directory_stats()
        if options["json"]:
            self.stdout.write(json.dumps(stats, indent=2, ensure_ascii=False))
            return
        for key, value in stats.items():
            if isinstance(value, dict):
                self.stdout.write(f"{key}:")
                for name, count in value.items():
                    self.stdout.write(f"  {name}: {count}")
            else:
                self.stdout.write(f"{key}: {value}")
