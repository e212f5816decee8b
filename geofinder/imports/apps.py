from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "geofinder.imports"
    label = "imports"
