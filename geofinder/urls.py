"""geofinder URL configuration."""

from django.urls import include, path

urlpatterns = [
    path("", include("geofinder.web.urls")),
]
