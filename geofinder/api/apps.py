from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "geofinder.api"
    label = "api"
