from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "geofinder.territories"
    label = "territories"
