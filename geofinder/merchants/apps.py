from django.apps import AppConfig


class MerchantsConfig(AppConfig):
    name = "geofinder.merchants"
    verbose_name = "Merchants and moderation"
