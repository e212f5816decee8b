from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "geofinder.maps"
    label = "maps"
