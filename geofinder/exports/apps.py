from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "geofinder.exports"
    verbose_name = "Open-data exports"
