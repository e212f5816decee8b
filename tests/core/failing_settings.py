"""geofinder's settings with the failing views of tests/core/failing_urls.py, for a gunicorn
subprocess (DJANGO_SETTINGS_MODULE=tests.core.failing_settings); test-only."""

from geofinder.settings import *  # noqa: F403

ROOT_URLCONF = "tests.core.failing_urls"
