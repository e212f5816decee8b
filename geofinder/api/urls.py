from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from geofinder.api import exports, tiles, views

app_name = "api"
urlpatterns = [
    path("places/", views.PlaceSearchView.as_view(), name="places"),
    path("places/<str:place_id>/", views.PlaceDetailView.as_view(), name="place"),
    path("categories/", views.CategoryListView.as_view(), name="categories"),
    path("territories/<str:kind>/<str:code>/", views.TerritoryView.as_view(), name="territory"),
    path("geocode/", views.GeocodeView.as_view(), name="geocode"),
    path("clusters/<str:z>/<str:x>/<str:y>/", tiles.ClusterTileView.as_view(), name="clusters"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # An accessible Swagger UI page (templates/api/swagger_ui.html).
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"), name="docs"),
    path("export/places.<str:fmt>", exports.PlaceExportView.as_view(), name="export"),
]
