"""Make an account a moderator of départements (or of all), or list the moderators.

    manage.py moderator add moderation@cci31.example --department 31 --department 32 --organisation "CCI 31"
    manage.py moderator add staff@departement.example --everywhere
    manage.py moderator list

The account is created (active, with a random password: its owner chooses one through
"Mot de passe oublié") when the address has none.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from geofinder.merchants.models import Moderator
from geofinder.territories.models import Department


class Command(BaseCommand):
    help = "Make an account a moderator of départements (or of all), or list the moderators."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        add.add_argument("email")
        add.add_argument("--department", action="append", default=[], help="INSEE code, repeatable")
        add.add_argument("--everywhere", action="store_true")
        add.add_argument("--organisation", default="")
        sub.add_parser("list")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for moderator in Moderator.objects.select_related("user").prefetch_related("departments"):
                scope = "all" if moderator.everywhere else ", ".join(d.code for d in moderator.departments.all())
                self.stdout.write(f"{moderator.user.email}\t{moderator.organisation}\t{scope}")
            return
        codes = options["department"]
        if not codes and not options["everywhere"]:
            raise CommandError("give --department CODE (repeatable) or --everywhere")
        departments = list(Department.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {d.code for d in departments})
        if unknown:
            raise CommandError(f"unknown départements: {', '.join(unknown)}")
        email = options["email"].strip().lower()
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, email, secrets.token_urlsafe(32))
        moderator, _ = Moderator.objects.update_or_create(
            user=user, defaults={"everywhere": options["everywhere"], "organisation": options["organisation"]}
        )
        moderator.departments.add(*departments)
        self.stdout.write(f"{email} moderates {'every département' if moderator.everywhere else ', '.join(codes)}")
