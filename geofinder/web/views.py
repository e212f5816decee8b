"""Pages for residents."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from geofinder.places.selectors import directory_stats


def home(request: HttpRequest) -> HttpResponse:
    """Home page: for now, what the directory holds."""
    return render(request, "web/home.html", {"stats": directory_stats()})
