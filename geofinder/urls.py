"""geofinder URL configuration."""

from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("geofinder.api.urls")),
    path("", include("geofinder.web.urls")),
]
