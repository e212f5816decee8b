from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "geofinder.search"
    label = "search"
