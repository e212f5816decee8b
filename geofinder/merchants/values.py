"""A place's fields as the merchants' forms and proposals hold them (plain JSON values), and
back to the values geofinder.places.edits writes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext_lazy as _

from geofinder.places.models import Place

FIELD_LABELS = {
    "name": _("Nom"),
    "category": _("Catégorie"),
    "secondary_categories": _("Autres catégories"),
    "street": _("Adresse (numéro et rue)"),
    "postcode": _("Code postal"),
    "city": _("Commune"),
    "lon": _("Longitude"),
    "lat": _("Latitude"),
    "phone": _("Téléphone"),
    "email": _("Adresse électronique"),
    "website": _("Site web"),
    "shop_url": _("Commande en ligne / click-and-collect"),
    "click_and_collect": _("Click-and-collect"),
    "delivery": _("Livraison"),
    "takeaway": _("À emporter"),
    "appointment": _("Sur rendez-vous"),
    "opening_hours": _("Horaires d'ouverture"),
    "status": _("État"),
}
SERVICE_FIELDS = ("click_and_collect", "delivery", "takeaway", "appointment")


def current_values(place: Place) -> dict:
    """`place`'s fields as a form holds them."""
    through = Place.secondary_categories.through
    return {
        "name": place.name,
        "category": place.category.slug,
        "secondary_categories": list(
            through.objects.filter(place_id=place.pk).order_by("id").values_list("category__slug", flat=True)
        ),
        "street": place.street,
        "postcode": place.postcode,
        "city": place.city,
        "lon": round(place.location.x, 7),
        "lat": round(place.location.y, 7),
        "phone": place.phone,
        "email": place.email,
        "website": place.website,
        "shop_url": place.shop_url,
        **{service: getattr(place, service) for service in SERVICE_FIELDS},
        "opening_hours": place.opening_hours,
        "status": place.status,
    }


def place_values(values: dict) -> dict:
    """Form values as geofinder.places.edits takes them (lon and lat as `location`)."""
    result = {field: value for field, value in values.items() if field not in ("lon", "lat")}
    if values.get("lon") not in (None, "") and values.get("lat") not in (None, ""):
        result["location"] = Point(float(values["lon"]), float(values["lat"]), srid=4326)
    return result


def provenance_field(field: str) -> str:
    return "location" if field in ("lon", "lat", "location_precision") else field


def needs_review(field: str) -> bool:
    """Whether a verified manager's change of `field` waits for a moderator
    (settings.GEOFINDER_MERCHANT_REVIEWED_FIELDS; a field in neither list waits too)."""
    name = provenance_field(field)
    return name in settings.GEOFINDER_MERCHANT_REVIEWED_FIELDS or name not in settings.GEOFINDER_MERCHANT_DIRECT_FIELDS


def changed_values(place: Place, values: dict) -> dict:
    """The values that differ from `place`'s (lon and lat together)."""
    current = current_values(place)
    changed = {field: value for field, value in values.items()
               if field != "location_precision" and current.get(field) != value}
    if "lon" in changed or "lat" in changed:
        changed["lon"], changed["lat"] = values["lon"], values["lat"]
        if "location_precision" in values:
            changed["location_precision"] = values["location_precision"]
    return changed
