"""System checks for configuration problems (`manage.py check`, run by migrate and the other
commands; the database ones only with `check --database default` and at migrate).

gunicorn runs no system check: `refuse_to_serve_if_insecure` runs the security ones when the WSGI
application is built (geofinder/wsgi.py), so that a production server with the default or a
weak secret key does not start.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections
from django.db.migrations.recorder import MigrationRecorder

# Keys that were written in this repository (the former hard-coded default, .env.example's
# placeholder): known to anyone, so worthless.
KNOWN_KEYS = {"geofinder-dev-only-secret-key-change-me", "change-me"}
KEY_HINT = (
    "Set DJANGO_SECRET_KEY to a random string of 50 characters or more (python3 -c 'import secrets; "
    "print(secrets.token_urlsafe(50))'), or run `make secret-key`, which writes one to var/secret_key."
)

# The PostgreSQL extensions geofinder needs, with the migration that creates each.
EXTENSIONS = {
    "postgis": ("territories", "0001_initial"),
    "btree_gist": ("territories", "0001_initial"),
    "pg_trgm": ("territories", "0001_initial"),
    "unaccent": ("territories", "0001_initial"),
    "intarray": ("places", "0003_opening_slots"),
}


def _secret_key() -> str:
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty SECRET_KEY
        return ""


def _weak(key: str) -> bool:
    return (
        key in KNOWN_KEYS
        or len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    )


@checks.register(checks.Tags.security)
def check_secret_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """No secret key at all is an error; with DEBUG off (production), so is a weak or known one."""
    return secret_key_errors(_secret_key(), debug=settings.DEBUG, key_file=settings.SECRET_KEY_FILE)


def secret_key_errors(key: str, *, debug: bool, key_file: Path) -> list[checks.CheckMessage]:
    if not key:
        return [checks.Error(
            f"No secret key: DJANGO_SECRET_KEY is not set and {key_file} does not exist or is empty.",
            hint=KEY_HINT, id="geofinder.E001")]
    if not debug and _weak(key):
        return [checks.Error(
            "The secret key is a known or weak one: with DEBUG off, geofinder refuses it (at least "
            f"{SECRET_KEY_MIN_LENGTH} characters, {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, "
            f"not '{SECRET_KEY_INSECURE_PREFIX}…', not a key written in the repository).",
            hint=KEY_HINT, id="geofinder.E002")]
    return []


@checks.register()
def check_data_dir(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """A missing data directory is reported (the app serves without it; the imports need it)."""
    data_dir = settings.GEOFINDER_DATA_DIR
    if data_dir.is_dir():
        return []
    return [checks.Warning(
        f"GEOFINDER_DATA_DIR={data_dir} is not a directory: the imports (load_data, load_territories, "
        "import_csv) have nothing to read; searching the data already loaded still works.",
        hint="Set GEOFINDER_DATA_DIR to the folder of the real data (../shared/data beside the repository by default).",
        id="geofinder.W001")]


@checks.register(checks.Tags.database)
def check_extensions(app_configs, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Each extension is installed, or at least available to the migration that creates it.

    Tagged `database`: runs with `check --database default` and at migrate (before migrating,
    so a missing extension that the migration will create is not an error then)."""
    messages: list[checks.CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT extname FROM pg_extension")
                installed = {name for (name,) in cursor.fetchall()}
                cursor.execute("SELECT name FROM pg_available_extensions")
                available = {name for (name,) in cursor.fetchall()}
            applied = MigrationRecorder(connection).applied_migrations()
        except DatabaseError as error:
            messages.append(checks.Error(f"Database {alias!r} cannot be read: {error}".strip(), id="geofinder.E003"))
            continue
        for name, migration in EXTENSIONS.items():
            if name in installed:
                continue
            if name not in available:
                messages.append(checks.Error(
                    f"PostgreSQL extension {name} is not installed in database {alias!r} and the server cannot "
                    "create it (its package is missing).",
                    hint="postgis: install PostGIS 3 for this PostgreSQL (Debian: postgresql-15-postgis-3); "
                    "the others come with PostgreSQL's contrib modules.",
                    id="geofinder.E004"))
            elif migration in applied:
                messages.append(checks.Error(
                    f"PostgreSQL extension {name} is missing from database {alias!r}, whose migration "
                    f"{'.'.join(migration)} was applied: searches and imports that need it will fail.",
                    hint=f"CREATE EXTENSION {name}; (as a superuser), or scripts/ensure-db.sh.",
                    id="geofinder.E005"))
    return messages


def refuse_to_serve_if_insecure() -> None:
    """Raise ImproperlyConfigured when a security check fails (for the WSGI start: gunicorn runs
    no system check). Silenced checks stay silent."""
    errors = [
        message for message in checks.run_checks(tags=[checks.Tags.security])
        if message.is_serious() and not message.is_silenced()
    ]
    if errors:
        raise ImproperlyConfigured("geofinder refuses to serve:\n" + "\n".join(
            f"{message.id}: {message.msg}" + (f"\n  HINT: {message.hint}" if message.hint else "") for message in errors
        ))
