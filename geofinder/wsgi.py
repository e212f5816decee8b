"""WSGI entry point (gunicorn geofinder.wsgi).

gunicorn runs no system check: the security ones run here, so that a server with no secret key,
or with DEBUG off and a weak or known one, refuses to start (ImproperlyConfigured, and gunicorn's
"Worker failed to boot") instead of serving with it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geofinder.settings")
application = get_wsgi_application()

from geofinder.core.checks import refuse_to_serve_if_insecure  # noqa: E402  (needs the apps loaded)

refuse_to_serve_if_insecure()
