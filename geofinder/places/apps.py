from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "geofinder.places"
    label = "places"
