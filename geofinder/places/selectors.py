"""Reads of the place directory."""

from django.core.cache import cache
from django.db.models import Count

from geofinder.places.models import Category, CategoryFamily, Place
from geofinder.territories.models import Commune, Department, PostalCode, Region

# The home page's counts may lag an import by this much (each web process keeps its own).
DIRECTORY_STATS_TTL_S = 300
DIRECTORY_STATS_CACHE_KEY = "geofinder:directory-stats"


def directory_stats() -> dict:
    """Counts of territories, categories and places (per source and per category family)."""
    per_source = Place.objects.values("source").annotate(n=Count("id")).order_by("source")
    per_family = (
        Place.objects.values("category__family__slug").annotate(n=Count("id")).order_by("category__family__slug")
    )
    return {
        "regions": Region.objects.count(),
        "departments": Department.objects.count(),
        "communes": Commune.objects.count(),
        "postal_codes": PostalCode.objects.count(),
        "categories": Category.objects.count(),
        "places": Place.objects.count(),
        "places_per_source": {row["source"]: row["n"] for row in per_source},
        "places_per_family": {row["category__family__slug"]: row["n"] for row in per_family},
    }


def directory_stats_recent() -> dict:
    """directory_stats() as computed at most `DIRECTORY_STATS_TTL_S` seconds ago in this process:
    for the home page, where counting millions of places at every visit took over a second."""
    return cache.get_or_set(DIRECTORY_STATS_CACHE_KEY, directory_stats, DIRECTORY_STATS_TTL_S)


def alimconfiance_label_categories() -> dict[str, str]:
    """Alim'confiance activity label → category slug, from the loaded taxonomy."""
    return {
        label: slug
        for slug, labels in Category.objects.values_list("slug", "alimconfiance_labels")
        for label in labels
    }


def osm_tag_categories() -> dict[str, str]:
    """OpenStreetMap "key=value" tag → category slug, from the loaded taxonomy."""
    return {tag: slug for slug, tags in Category.objects.values_list("slug", "osm_tags") for tag in tags}


def category_tree() -> list[dict]:
    """The taxonomy as families holding their categories, in taxonomy order."""
    families: dict[int, dict] = {}
    for family in CategoryFamily.objects.all():
        families[family.id] = {"slug": family.slug, "label": family.label, "label_en": family.label_en, "categories": []}
    for category in Category.objects.order_by("position", "id"):
        families[category.family_id]["categories"].append(
            {
                "slug": category.slug,
                "label": category.label,
                "label_en": category.label_en,
                "synonyms": category.synonyms,
                "osm_tags": category.osm_tags,
            }
        )
    return list(families.values())
