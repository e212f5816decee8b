"""geofinder's URLs plus a view that writes (a place renamed, as the merchant pages to come
will), for the tests of reading one's own writes with replicas (test-only)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from geofinder.places.models import Place
from geofinder.urls import handler500, urlpatterns as geofinder_urlpatterns

__all__ = ["handler500", "urlpatterns"]


@csrf_exempt
@require_POST
def rename_place(request: HttpRequest, place_id: int) -> HttpResponse:
    Place.objects.filter(pk=place_id).update(name=request.POST["name"])
    return HttpResponse(status=204)


urlpatterns = [
    path("test-write/places/<int:place_id>/name", rename_place),
    *geofinder_urlpatterns,
]
