"""WSGI entry point (gunicorn geofinder.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geofinder.settings")
application = get_wsgi_application()
