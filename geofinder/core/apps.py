from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "geofinder.core"
    label = "core"

    def ready(self):
        from geofinder.core import checks  # noqa: F401  (registers the system checks)
        from geofinder.core.db import plan_prepared_statements_once

        connection_created.connect(plan_prepared_statements_once, dispatch_uid="geofinder.core.generic_plans")
