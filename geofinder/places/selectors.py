"""Reads of the place directory."""

import json
from datetime import date, datetime
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Max, Min

from geofinder.core.db import prepared_cursor
from geofinder.core.process_cache import ProcessValue
from geofinder.core.replicas import read_connection
from geofinder.places.licences import licence_for
from geofinder.places.models import Announcement, Category, CategoryFamily, Place, PlaceSource
from geofinder.places.provenance import merchant_fields
from geofinder.territories.models import Commune, Department, PostalCode, Region

# The home page's counts may lag an import by this much (each web process keeps its own).
DIRECTORY_STATS_TTL_S = 300
DIRECTORY_STATS_CACHE_KEY = "geofinder:directory-stats"
# How long a process keeps its table of category names (read again sooner for one it does not know).
CATEGORY_NAMES_TTL_S = 300.0
# How long a process trusts the oldest and newest computations of open slots it read.
OPEN_SLOTS_SPAN_TTL_S = 600.0
# How long a process keeps the shares of places that may be open in each half-hour.
OPEN_SLOT_SHARES_TTL_S = 600.0
# The element statistics ANALYZE keeps of open_slots (migration places/0004 keeps every value):
# the values, then their frequencies followed by the least and greatest of them and one more.
_OPEN_SLOT_STATISTICS_SQL = """
SELECT most_common_elems::text::integer[], most_common_elem_freqs FROM pg_stats
WHERE schemaname = current_schema() AND tablename = 'places_place' AND attname = 'open_slots'
"""


class CategoryNames(NamedTuple):
    slug: str
    label: str


def _read_open_slot_shares() -> dict[int, float]:
    with read_connection().cursor() as cursor:
        cursor.execute(_OPEN_SLOT_STATISTICS_SQL)
        row = cursor.fetchone()
    values, frequencies = row if row and row[0] else ([], [])
    return dict(zip(values, frequencies))


_open_slot_shares = ProcessValue(_read_open_slot_shares, ttl_s=OPEN_SLOT_SHARES_TTL_S)
_open_slots_span = ProcessValue(
    # Two probes of the open_slots_at index.
    lambda: tuple(Place.objects.aggregate(oldest=Min("open_slots_at"), newest=Max("open_slots_at")).values()),
    ttl_s=OPEN_SLOTS_SPAN_TTL_S,
)
_category_names = ProcessValue(
    lambda: {pk: CategoryNames(slug, label) for pk, slug, label in Category.objects.values_list("id", "slug", "label")},
    ttl_s=CATEGORY_NAMES_TTL_S,
)


def open_slot_shares() -> dict[int, float]:
    """The share of the places whose open_slots hold each value (a half-hour of the week, or
    the "any time" marker), from PostgreSQL's statistics (ANALYZE, by autovacuum or after
    refresh_opening_slots), as this process read them at most OPEN_SLOT_SHARES_TTL_S ago;
    empty before any statistics. An estimate, from a sample: to choose a plan, never to answer."""
    return _open_slot_shares.get()


def open_slots_span() -> tuple[datetime | None, datetime | None]:
    """When the oldest and the newest open slots of any place were computed (None, None: none
    are), as this process read them at most OPEN_SLOTS_SPAN_TTL_S ago. Computations only move
    them later: an oldest read earlier errs on the safe side (the slots hold for a year from
    it), a newest may be too early (the search also bounds it by the instant it runs at)."""
    return _open_slots_span.get()


def category_names_of(category_id: int) -> CategoryNames | None:
    """The slug and label of a category, from a table this process keeps (a hundred rows, read
    again after CATEGORY_NAMES_TTL_S, or at once for a category it does not know): the search
    names the category of each of its places without a join. None for an unknown category."""
    names = _category_names.get().get(category_id)
    if names is None:
        names = _category_names.get(fresh=True).get(category_id)
    return names


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


# The distinct category ids of a table, each found by one probe of its btree on category_id (a
# loose index scan: min() above the last one), whatever the table's size: microseconds per
# category, where DISTINCT would read every row and a probe per category of the taxonomy may
# be planned as a scan of the table on a small one.
_CATEGORY_IDS_OF_SQL = """
WITH RECURSIVE found(id) AS (
    SELECT min(category_id) FROM {table}
    UNION ALL
    SELECT (SELECT min(category_id) FROM {table} WHERE category_id > found.id) FROM found WHERE found.id IS NOT NULL
)
SELECT id FROM found WHERE id IS NOT NULL
"""


def category_ids_with_places() -> set[int]:
    """The ids of the categories some place has, as its primary or a secondary category."""
    return _category_ids_of("places_place") | _category_ids_of("places_secondarylocation")


def _category_ids_of(table: str) -> set[int]:
    with read_connection().cursor() as cursor:
        cursor.execute(_CATEGORY_IDS_OF_SQL.format(table=table))  # a constant table name
        return {row[0] for row in cursor.fetchall()}


# How long a process trusts its set of the categories that are some place's secondary one.
SECONDARY_CATEGORIES_TTL_S = 60.0
_secondary_category_ids = ProcessValue(lambda: _category_ids_of("places_secondarylocation"),
                                       ttl_s=SECONDARY_CATEGORIES_TTL_S)


def secondary_category_ids() -> set[int]:
    """The categories some place has as a secondary one, as this process last read them (at most
    SECONDARY_CATEGORIES_TTL_S ago): the search scans the secondary places of those only (a
    scan per category asked cost a sixth of the dense search load's throughput)."""
    return _secondary_category_ids.get()


class MerchantFacts(NamedTuple):
    """What a place's merchant confirmed and announces, as answers show it."""

    verified_at: datetime | None
    confirmed: tuple[str, ...]  # the fields a merchant confirmed (provenance.PROVENANCE_FIELDS order)
    announcements: tuple[dict, ...]  # those shown on the given day: kind, title, text, start, end


NO_MERCHANT_FACTS = MerchantFacts(None, (), ())


# One statement prepared once per connection (the API runs it after every search): the places
# a merchant confirmed or whose announcements run on %(on)s, among %(ids)s.
_MERCHANT_FACTS_SQL = """
SELECT p.id, p.verified_at, CASE WHEN p.verified_at IS NULL THEN NULL ELSE p.provenance END, a.items
FROM places_place p
LEFT JOIN (SELECT a.place_id, json_agg(json_build_object('kind', a.kind, 'title', a.title, 'text', a.text,
                                                         'start', a.start, 'end', a."end") ORDER BY a.start, a.id) AS items
             FROM places_announcement a
            WHERE a.place_id = ANY(%(ids)s::bigint[]) AND a.start <= %(on)s AND a."end" >= %(on)s
            GROUP BY a.place_id) a ON a.place_id = p.id
WHERE p.id = ANY(%(ids)s::bigint[]) AND (p.verified_at IS NOT NULL OR a.items IS NOT NULL)
"""


def merchant_facts(*, place_ids: list[int], on: date) -> dict[int, MerchantFacts]:
    """The MerchantFacts of those of these places that have some (a merchant confirmed a field,
    or an announcement is shown on day `on`, inclusive at both ends); one prepared statement
    (0.3 to 0.6 ms for a page of 20 places, measured beside a 6 ms search)."""
    if not place_ids:
        return {}
    with prepared_cursor() as cursor:
        cursor.execute(_MERCHANT_FACTS_SQL, {"ids": list(place_ids), "on": on})
        rows = cursor.fetchall()
    # Django's connections may read json and jsonb as text (its JSONField decodes them).
    return {
        place_id: MerchantFacts(
            verified_at, tuple(merchant_fields(_json(provenance) or {})), tuple(_json(announcements) or ())
        )
        for place_id, verified_at, provenance, announcements in rows
    }


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def announcements_shown(*, on: date) -> dict[int, list[dict]]:
    """Every announcement shown on day `on` (inclusive at both ends), by place id, by start:
    few at any time, read at once by renderers of many places (static maps)."""
    shown: dict[int, list[dict]] = {}
    rows = Announcement.objects.filter(start__lte=on, end__gte=on).order_by("start", "id").values(
        "place_id", "kind", "title", "text", "start", "end"
    )
    for row in rows:
        shown.setdefault(row.pop("place_id"), []).append(row)
    return shown


def place_sources(*, place_id: int) -> list[dict]:
    """Every source of a place, its own first, then those merged into it (PlaceSource, see
    geofinder/places/merging.py), with their ids, licences and how they were matched."""
    place = Place.objects.filter(pk=place_id).values("source", "source_id").first()
    if place is None:
        return []
    rows = list(PlaceSource.objects.filter(place_id=place_id).values(
        "source", "source_id", "licence", "matched_by", "confidence"))
    own = [row for row in rows if (row["source"], row["source_id"]) == (place["source"], place["source_id"])]
    if not own:  # a place written before its sources were kept
        own = [{**place, "licence": licence_for(place["source"]).licence, "matched_by": "", "confidence": None}]
    return own + [row for row in rows if row not in own]
