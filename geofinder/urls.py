"""geofinder URL configuration."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("geofinder.api.urls")),
]
# Residents' pages: French at /, English under /en/ (the API is not prefixed).
urlpatterns += i18n_patterns(
    path("", include("geofinder.web.urls")),
    # Merchants' and moderators' pages (accounts, proposals, claims, dashboard, moderation).
    path("", include("geofinder.merchants.urls")),
    prefix_default_language=False,
)

# The API answers its errors as JSON; the pages keep Django's HTML ones.
handler400 = "geofinder.api.errors.bad_request"
handler404 = "geofinder.api.errors.page_not_found"
# Server errors: no traceback, the request id to quote (JSON under /api/, a page elsewhere).
handler500 = "geofinder.core.errors.server_error"
