"""System checks: the secret key, the data directory, the PostgreSQL extensions; the README's
production settings pass `check --deploy`; gunicorn refuses to serve with a weak key."""

import os
import re
import secrets
import subprocess
import sys
import time

import pytest
from django.core import checks
from django.db import connection

from geofinder.core import checks as geofinder_checks
from tests.servers import ROOT, free_port

STRONG_KEY = secrets.token_urlsafe(50)
FORMER_DEFAULT = "geofinder-dev-only-secret-key-change-me"


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_no_secret_key_is_an_error_whatever_debug(tmp_path):
    for debug in (False, True):
        [error] = geofinder_checks.secret_key_errors("", debug=debug, key_file=tmp_path / "secret_key")
        assert error.id == "geofinder.E001" and error.level == checks.ERROR and str(tmp_path) in error.msg


@pytest.mark.parametrize(
    "key", [FORMER_DEFAULT, "change-me", "x" * 49, "ab" * 40, "django-insecure-" + STRONG_KEY],
    # Named, not shown: the last one is drawn at random (workers collecting it must agree).
    ids=["former-default", "change-me", "too-short", "too-few-characters", "django-insecure-prefix"],
)
def test_a_weak_or_known_key_is_refused_in_production_only(tmp_path, key):
    assert ids(geofinder_checks.secret_key_errors(key, debug=False, key_file=tmp_path)) == ["geofinder.E002"]
    assert geofinder_checks.secret_key_errors(key, debug=True, key_file=tmp_path) == []


def test_a_strong_key_passes(tmp_path):
    assert geofinder_checks.secret_key_errors(STRONG_KEY, debug=False, key_file=tmp_path) == []


def test_a_missing_data_directory_is_a_warning(settings, tmp_path):
    settings.GEOFINDER_DATA_DIR = tmp_path / "nowhere"
    [warning] = geofinder_checks.check_data_dir(None)
    assert warning.id == "geofinder.W001" and warning.level == checks.WARNING and "nowhere" in warning.msg
    settings.GEOFINDER_DATA_DIR = tmp_path
    assert geofinder_checks.check_data_dir(None) == []


@pytest.mark.django_db
def test_the_extensions_of_the_migrated_test_database_are_all_there():
    assert geofinder_checks.check_extensions(None, databases=["default"]) == []
    # Tagged `database`: not run by a plain `check`.
    assert "geofinder.E004" not in ids(checks.run_checks()) and "geofinder.E005" not in ids(checks.run_checks())


@pytest.mark.django_db
def test_missing_extensions_are_reported_unless_a_migration_to_come_creates_them(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_available_extensions WHERE installed_version IS NULL ORDER BY name")
        available = [name for (name,) in cursor.fetchall()]
    dropped, to_come = available[:2]  # PostgreSQL's contrib modules that geofinder does not use
    monkeypatch.setattr(geofinder_checks, "EXTENSIONS", {
        "postgis": ("territories", "0001_initial"),  # installed
        dropped: ("territories", "0001_initial"),  # its migration applied, yet not installed
        to_come: ("places", "9999_to_come"),  # the migration to come creates it
        "geofinder_no_such_extension": ("places", "9999_to_come"),  # no package on the server
    })
    messages = geofinder_checks.check_extensions(None, databases=["default"])
    assert sorted((message.id, message.msg.split()[2]) for message in messages) == [
        ("geofinder.E004", "geofinder_no_such_extension"),
        ("geofinder.E005", dropped),
    ]
    assert all(message.level == checks.ERROR for message in messages)


def production_environment() -> dict[str, str]:
    """The README's "Production settings" block, as an environment, its placeholder key replaced
    by a random one (nothing else from this machine's environment but PATH)."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("\n## Production settings\n"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    environment = {}
    for line in block.splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            environment[name] = value
    assert environment["DJANGO_SECRET_KEY"] == "<random key>"
    environment["DJANGO_SECRET_KEY"] = STRONG_KEY
    return environment


def manage(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # No `.env` is read for the variables given; DJANGO_SECRET_KEY_FILE points nowhere unless given.
    environment = {"PATH": os.environ["PATH"], "DJANGO_SECRET_KEY_FILE": "/nonexistent/secret_key", **env}
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_the_production_settings_of_the_readme():
    environment = production_environment()
    assert environment["DJANGO_DEBUG"] == "false" and environment["DJANGO_BEHIND_TLS_PROXY"] == "true"
    completed = manage("check", "--deploy", "--fail-level", "WARNING", env=environment)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert re.fullmatch(r"System check identified no issues \(\d+ silenced\)\.\n", completed.stdout), completed.stdout


def test_check_deploy_reports_the_warnings_the_readme_settings_remove():
    environment = production_environment()
    for name in ("DJANGO_BEHIND_TLS_PROXY", "DJANGO_SECURE_SSL_REDIRECT", "DJANGO_CSRF_COOKIE_SECURE",
                 "DJANGO_SECURE_HSTS_SECONDS", "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS"):
        del environment[name]
    completed = manage("check", "--deploy", env=environment)
    found = set(re.findall(r"\((security\.\w+)\)", completed.stderr + completed.stdout))
    assert found == {"security.W004", "security.W008", "security.W016"}, completed.stderr


def test_manage_py_refuses_to_run_without_a_secret_key():
    environment = {**production_environment(), "DJANGO_SECRET_KEY": ""}
    completed = manage("check", env=environment)
    assert completed.returncode == 1 and "geofinder.E001" in completed.stderr
    assert "/nonexistent/secret_key" in completed.stderr


def test_the_secret_key_file_is_read_when_no_key_is_set(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(STRONG_KEY + "\n")
    environment = {**production_environment(), "DJANGO_SECRET_KEY": "", "DJANGO_SECRET_KEY_FILE": str(key_file)}
    completed = manage("shell", "-v", "0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)", env=environment)
    assert completed.returncode == 0 and completed.stdout == STRONG_KEY + "\n", completed.stderr


def test_gunicorn_refuses_to_serve_with_the_former_default_key():
    environment = {**production_environment(), "DJANGO_SECRET_KEY": FORMER_DEFAULT}
    environment["DJANGO_SECRET_KEY_FILE"] = "/nonexistent/secret_key"
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "geofinder.wsgi", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{free_port()}", "--workers", "1"],
        cwd=ROOT, env={"PATH": os.environ["PATH"], **environment}, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode != 0 and time.monotonic() - started < 60
    assert "geofinder refuses to serve" in completed.stderr and "geofinder.E002" in completed.stderr
