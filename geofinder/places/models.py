"""Shops and artisans, and the French category taxonomy they are filed under.

`Place.location` is `geography(Point, 4326)`: distances and radii are geodesic metres.
"""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex, OpClass
from django.db.models import F, Func, Q, TextField
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geofinder.opening.slots import ANY_TIME


def any_time_slots() -> list[int]:
    """The "any time" marker (geofinder.opening.slots.ANY_TIME): a place whose slots are not
    computed may be open at any half-hour of the week."""
    return list(ANY_TIME)


class CategoryFamily(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    label_en = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "category families"

    def __str__(self) -> str:
        return self.label


class Category(models.Model):
    """A kind of shop or craft, loaded from `data/categories.toml` by `load_categories`."""

    slug = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120)
    family = models.ForeignKey(CategoryFamily, on_delete=models.PROTECT, related_name="categories")
    synonyms = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    # OpenStreetMap tags as "key=value" (shop=bakery, craft=plumber, amenity=restaurant…).
    osm_tags = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    # Activity labels of the Alim'confiance list that mean this category.
    alimconfiance_labels = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.label


# The services a place may offer, each a boolean field of Place, in the order every reader shows
# them (the search's filter, the API, the exports and their re-import).
SERVICES = ("click_and_collect", "delivery", "takeaway", "appointment")


class Place(models.Model):
    """A shop or an artisan. One row per (source, source_id): re-imports update in place."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Ouvert")
        TEMPORARILY_CLOSED = "temporarily_closed", _("Fermé temporairement")
        PERMANENTLY_CLOSED = "permanently_closed", _("Fermé définitivement")

    class LocationPrecision(models.TextChoices):
        SOURCE = "source", "Coordinates given by the source"
        ADDRESS = "address", "Geocoded from the address"
        POSTCODE = "postcode", "Geocoded to the postcode's locality"
        COMMUNE = "commune", "Geocoded to the commune"

    name = models.CharField(max_length=255)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="places")
    secondary_categories = models.ManyToManyField(Category, blank=True, related_name="secondary_places")
    location = models.PointField(geography=True, srid=4326)
    location_precision = models.CharField(
        max_length=10, choices=LocationPrecision.choices, default=LocationPrecision.SOURCE
    )
    street = models.CharField(max_length=255, blank=True, help_text="House number and street")
    postcode = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=120, blank=True, help_text="Locality as written by the source")
    # Resolved by point-in-polygon at import.
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="places")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    shop_url = models.URLField(max_length=500, blank=True, help_text="Online shop")
    click_and_collect = models.BooleanField(default=False)
    delivery = models.BooleanField(default=False)
    takeaway = models.BooleanField(default=False)
    appointment = models.BooleanField(default=False)
    # An artisan: the register of trades (répertoire des métiers) lists the establishment.
    artisan = models.BooleanField(default=False, db_default=False)  # a default in SQL too: rows inserted by SQL
    opening_hours = models.TextField(blank=True, help_text="Raw OpenStreetMap opening_hours")
    opening_hours_warning = models.CharField(max_length=255, blank=True)
    # The half-hours of the UTC week the place may be open in (geofinder/opening/slots.py), for
    # the index to skip closed places; any time until computed, and again (a trigger) when the
    # opening hours or the commune change without them. Computed at `open_slots_at`: they hold
    # for a year from then.
    open_slots = ArrayField(models.IntegerField(), default=any_time_slots, editable=False)
    open_slots_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=32)
    source_id = models.CharField(max_length=64)
    # MD5 of everything the source said about the place: equal hash, unchanged place.
    content_hash = models.CharField(max_length=32, editable=False)
    extra = models.JSONField(default=dict, blank=True, help_text="Remaining source tags")
    # Which source set each field and when, for the fields set after creation or by another
    # source than `source` (geofinder/places/provenance.py); empty for a place of one import.
    provenance = models.JSONField(default=dict, blank=True)
    # The last time a merchant confirmed one of its fields (None: never): `verified=true`.
    verified_at = models.DateTimeField(null=True, blank=True)
    # The last day one of its announcements is shown (None: it has none), kept by a trigger on
    # places_announcement (migration 0010): answers read announcements only for the places
    # that may show some, not one statement per page of results.
    announced_until = models.DateField(null=True, blank=True, editable=False)
    # Whether other sources joined the place (its PlaceSource rows beyond its own): readers list
    # its sources from PlaceSource only then.
    joined = models.BooleanField(default=False, db_default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Every change made by a person (merchant, moderator): who, when, the state before and
    # after (django-simple-history). Imports write with bulk_create/bulk_update, which record
    # nothing: their report says what they changed, and history stays out of their way.
    history = HistoricalRecords(
        excluded_fields=["open_slots", "open_slots_at", "content_hash", "extra", "updated_at", "announced_until", "joined"],
        cascade_delete_history=False,
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="place_unique_source_id"),
        ]
        indexes = [
            # Nearest-by-category: WHERE category_id = … ORDER BY location::geometry <-> point
            # (btree_gist). Planar lon/lat boxes: twice as fast to walk as geography's
            # geocentric ones; search/selectors.py turns planar degrees into metres.
            GistIndex(
                F("category"),
                Func(F("location"), function="geometry", output_field=models.GeometryField(srid=4326)),
                name="place_category_geom_gist",
            ),
            # The same, with the opening filter: only the places that may be open at the instant's
            # half-hour, or any time (intarray; a 344-bit signature holds each of the 337 values in
            # its own bit: exact).
            GistIndex(
                F("category"),
                OpClass(F("open_slots"), name="gist__intbig_ops(siglen=43)"),
                Func(F("location"), function="geometry", output_field=models.GeometryField(srid=4326)),
                name="place_category_slots_geom_gist",
            ),
            # Nearest-by-category on the sphere: WHERE category_id = … ORDER BY location <-> point
            # (geography), for the passes after the first (far from the places: a point at sea,
            # across a border, a rare category), whose planar order strays from the geodesic one.
            GistIndex(F("category"), F("location"), name="place_category_geog_gist"),
            models.Index(fields=["open_slots_at"], name="place_open_slots_at"),
            # Accent- and case-insensitive name search (geofinder_unaccent is an IMMUTABLE wrapper).
            GinIndex(
                OpClass(
                    Func(Lower("name"), function="geofinder_unaccent", output_field=TextField()),
                    name="gin_trgm_ops",
                ),
                name="place_name_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaceSource(models.Model):
    """One source's record of a place: a place made of several sources (merged) has several.
    `Place.source`/`source_id` is the one that created it; `licence` is the source's licence
    when the record was first read (geofinder/places/licences.py)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="sources")
    source = models.CharField(max_length=32)
    source_id = models.CharField(max_length=64)
    licence = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The establishment's SIRET when the source gives one (SIRENE, Alim'confiance, OSM's
    # ref:FR:SIRET): records of other sources with the same SIRET join this place.
    siret = models.CharField(max_length=14, blank=True)
    # What this source last said of the place (geofinder/places/merging.py): the content hash
    # of its record (unchanged: nothing written) and its values of the provenance fields (what
    # the place shows again when another source is split off).
    content_hash = models.CharField(max_length=32, blank=True)
    record = models.JSONField(default=dict, blank=True)
    # How a source other than the place's own joined it: "siret" or "name_distance", with the
    # confidence of the match (0 to 1); empty for the source that created the place.
    matched_by = models.CharField(max_length=16, blank=True)
    confidence = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="place_source_unique_source_id"),
        ]
        indexes = [
            models.Index(fields=["siret"], name="place_source_siret", condition=models.Q(siret__gt="")),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"


class Announcement(models.Model):
    """What a merchant announces (a promotion, an event, news), shown from `start` to `end`
    inclusive in the detail panel, the popups, the API and the exports, and gone after."""

    class Kind(models.TextChoices):
        PROMOTION = "promotion", _("Promotion")
        EVENT = "event", _("Événement")
        NEWS = "news", _("Actualité")

    TEXT_MAX_LENGTH = 500

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="announcements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=120)
    text = models.CharField(max_length=TEXT_MAX_LENGTH)
    start = models.DateField()
    end = models.DateField(help_text="Last day shown, inclusive")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["place", "end"], name="announcement_place_end")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="announcement_end_after_start"),
        ]


class PlaceClosure(models.Model):
    """An exceptional closure of a place over a range of days (e.g. an administrative closure)."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="closures")
    start = models.DateField()
    end = models.DateField(help_text="Last day of the closure, inclusive")
    reason = models.CharField(max_length=255, blank=True)
    history = HistoricalRecords(cascade_delete_history=False)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="closure_end_after_start"),
        ]


class SecondaryLocation(models.Model):
    """A place's location under one of its secondary categories, so that the nearest search
    walks a (category, location) index for them as for primary ones (`category=horloger` finds
    a jeweller who is also a watchmaker). Written by database triggers only (migration 0006):
    they follow `Place.secondary_categories` and `Place.location` whatever writes them."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+")
    location = models.PointField(geography=True, srid=4326, spatial_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "place"], name="secondary_location_unique"),
        ]
        indexes = [
            GistIndex(F("category"), F("location"), name="secondary_location_gist"),
        ]
