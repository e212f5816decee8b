"""geofinder's settings with the write view of tests/replicas/write_urls.py, for a gunicorn
subprocess (DJANGO_SETTINGS_MODULE=tests.replicas.write_settings); test-only."""

from geofinder.settings import *  # noqa: F403

ROOT_URLCONF = "tests.replicas.write_urls"
