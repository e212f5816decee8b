from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "geofinder.core"
    label = "core"
