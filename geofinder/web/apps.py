from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "geofinder.web"
    label = "web"
