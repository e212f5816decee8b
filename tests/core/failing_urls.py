"""geofinder's URLs plus views that fail, for the tests of server errors (test-only)."""

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path

from geofinder.urls import handler500, urlpatterns as geofinder_urlpatterns

__all__ = ["handler500", "urlpatterns"]

FAILURE = "geofinder test failure"


def failing_view(request: HttpRequest):
    raise RuntimeError(FAILURE)


def failing_stream(request: HttpRequest) -> StreamingHttpResponse:
    """A streamed answer whose second chunk fails, as an export whose query breaks mid-stream."""

    def chunks():
        yield b'{"type":"FeatureCollection","features":['
        raise RuntimeError(FAILURE + " while streaming")

    return StreamingHttpResponse(chunks(), content_type="application/geo+json")


urlpatterns = [
    path("api/v1/test-failure/", failing_view),
    path("api/v1/test-failure/stream/", failing_stream),
    path("test-failure/", failing_view),
    *geofinder_urlpatterns,
]
