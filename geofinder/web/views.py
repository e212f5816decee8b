"""Pages for residents: the map page, its embeddable version and the page that builds the
embedding snippet. The pages only render a shell: the search runs in the browser against the
public API (/api/v1/places/), the one search path."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from geofinder.search.errors import ParamErrors
from geofinder.territories.models import Department, Region
from geofinder.places.selectors import category_tree, directory_stats_recent
from geofinder.web.embed import DEFAULT_ACCENT, EmbedConfig, embed_config_from
from geofinder.web.framing import CSP, embeddable, map_page_policy
from geofinder.web.strings import script_strings, service_labels

RADIUS_CHOICES_M = (1000, 2000, 5000, 10000, 20000, 50000)


def script_config(embed: EmbedConfig | None = None) -> dict:
    """What the page's script needs: API addresses, tiles, strings, the embed's configuration."""
    return {
        "lang": translation.get_language(),
        "api": {
            "places": reverse("api:places"),
            "categories": reverse("api:categories"),
            "geocode": reverse("api:geocode"),
            # "{format}" replaced by geojson or csv.
            "export": reverse("api:export", args=["FORMAT"]).replace("FORMAT", "{format}"),
            "territories": reverse("api:territory", args=["kind", "code"]).removesuffix("kind/code/"),
            # The overview's tiles: "{z}/{x}/{y}/" follows (geofinder/api/tiles.py).
            "clusters": reverse("api:clusters", args=[0, 0, 0]).removesuffix("0/0/0/"),
        },
        "tiles": {"url": settings.GEOFINDER_TILE_URL, "attribution": settings.GEOFINDER_TILE_ATTRIBUTION},
        # A place's "C'est mon commerce ?" page, its id in place of 0 (geofinder/merchants).
        "claim": reverse("merchants:claim", args=[0]),
        "strings": script_strings(),
        "embed": embed.as_script_config() if embed else None,
    }


def map_page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    context = {
        "services": service_labels().items(),
        "radius_choices_km": [metres // 1000 for metres in RADIUS_CHOICES_M],
        **context,
    }
    response = render(request, template, context, status=status)
    response[CSP] = map_page_policy()
    return response


def home(request: HttpRequest) -> HttpResponse:
    """The residents' page: search form, map, results list and detail panel."""
    return map_page(request, "web/home.html", {"config": script_config(), "stats": directory_stats_recent()})


@embeddable
def embed(request: HttpRequest) -> HttpResponse:
    """The same map without the site's chrome, configured by URL parameters (see embed.py)."""
    try:
        config = embed_config_from(request.GET)
    except ParamErrors as errors:
        return map_page(request, "web/embed_error.html", {"errors": errors.errors}, status=400)
    with translation.override(config.language):
        return map_page(request, "web/embed.html", {"config": script_config(config), "embed": config})


def integrate(request: HttpRequest) -> HttpResponse:
    """"Intégrer cette carte": builds the iframe snippet, with a live preview."""
    return map_page(
        request,
        "web/integrate.html",
        {
            "families": category_tree(),
            "departments": Department.objects.order_by("code").values("code", "name"),
            "regions": Region.objects.order_by("name").values("code", "name"),
            "default_accent": DEFAULT_ACCENT,
            "territories_url": reverse("api:territory", args=["kind", "code"]).removesuffix("kind/code/"),
            "tile_url": settings.GEOFINDER_TILE_URL,
            "tile_attribution": settings.GEOFINDER_TILE_ATTRIBUTION,
            "languages": settings.LANGUAGES,
            "strings": {
                "title": gettext("Commerces et artisans près de chez vous (geofinder)"),
                "copied": gettext("Code copié."),
                "copy_by_hand": gettext("Code sélectionné : copiez-le avec Ctrl+C."),
                "territory_chosen": gettext("Territoire choisi : %(name)s."),
                "territory_none": gettext("Aucun territoire choisi : la carte cherche partout."),
                "territory_unknown": gettext("Choisissez un territoire dans la liste proposée."),
                "commune": gettext("commune"),
                "framing_auto": gettext("Cadrage automatique : sur les résultats."),
                "framed": gettext("Carte cadrée ici (zoom %(zoom)s) : elle cherchera autour de ce centre."),
                "no_tiles": gettext("fond de carte désactivé"),
            },
        },
    )
