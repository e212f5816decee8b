"""French administrative territories: régions, départements, communes and postcodes.

The boundaries are those of 2018 (IGN ADMIN EXPRESS, COG 2018: `Region`, `Department`,
`Commune`, which places belong to). The communes of today (INSEE's COG 2026: `CurrentCommune`)
are drawn as unions of those 2018 communes, which is exact but for the few communes split since
2018 (`approximate`); `CommuneName` holds every name the gazetteer reads and `CommuneCode` every
INSEE code data may carry, each pointing to the commune of today.

Polygons are `geometry(MultiPolygon, 4326)`, validity enforced by the database; points are
`geography(Point, 4326)`.
"""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import BooleanField, F, Func

from geofinder.core.db import is_valid_geometry


def point_covered_by(point_field: str, geom_field: str) -> Func:
    """`ST_Covers(geom, point::geometry)`, for a CheckConstraint that keeps a point inside its polygon."""
    return Func(
        F(geom_field), Func(F(point_field), template="(%(expressions)s)::geometry"),
        function="ST_Covers", output_field=BooleanField(),
    )


class Territory(models.Model):
    """What régions, départements and communes share: an INSEE code, a name and a boundary."""

    code = models.CharField(max_length=5, unique=True, help_text="INSEE code")
    name = models.CharField(max_length=120)
    geom = models.MultiPolygonField(srid=4326)
    # MD5 of the source feature, so that a reload tells unchanged rows from updated ones.
    source_hash = models.CharField(max_length=32, editable=False)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SeatedTerritory(Territory):
    """A région or département: its chef-lieu and the article of its name (INSEE's COG), so
    that pages search from its main town and say "en Haute-Garonne", "dans le Rhône"."""

    # INSEE code of the chef-lieu, a commune of today ("31555" Toulouse); "" when not loaded.
    seat_code = models.CharField(max_length=5, blank=True, default="")
    # INSEE's TNCC: the article of the name (0/1 none, 2 le, 3 la, 4 les, 5 l', …); None: unknown.
    article = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta(Territory.Meta):
        abstract = True


class Region(SeatedTerritory):
    class Meta(Territory.Meta):
        constraints = [
            models.CheckConstraint(condition=is_valid_geometry("geom"), name="region_geom_valid"),
        ]


class Department(SeatedTerritory):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    class Meta(Territory.Meta):
        constraints = [
            models.CheckConstraint(condition=is_valid_geometry("geom"), name="department_geom_valid"),
        ]


class Commune(Territory):
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    # Name folded by geofinder.core.text (lower case, no accents, "st" expanded) for the gazetteer.
    search_name = models.CharField(max_length=120, editable=False)

    class Meta(Territory.Meta):
        constraints = [
            models.CheckConstraint(condition=is_valid_geometry("geom"), name="commune_geom_valid"),
        ]
        indexes = [
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="commune_search_name_trgm"),
        ]


class CurrentCommune(models.Model):
    """A commune of today (INSEE COG 2026), drawn as the union of the 2018 communes it covers.

    `point` is where the gazetteer puts the commune: geo.api.gouv.fr's centre of the commune
    when it lies inside, else a point on the surface; the database refuses a point outside.
    A commune restored since 2018 from a larger one (three communes nouvelles split again) has
    no polygon of its own in 2018: it gets the polygon it was restored from, `approximate`.
    """

    code = models.CharField(max_length=5, unique=True, help_text="INSEE code (COG 2026)")
    name = models.CharField(max_length=120, help_text="With its article: L'Abergement-Clémenciat")
    # Name folded by geofinder.core.text.place_name_key (the gazetteer's key).
    search_name = models.CharField(max_length=120, editable=False)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="current_communes")
    # Population municipale (INSEE, populations légales); None where none is published (Mayotte).
    population = models.PositiveIntegerField(null=True, blank=True)
    geom = models.MultiPolygonField(srid=4326)
    point = models.PointField(geography=True, srid=4326)
    approximate = models.BooleanField(default=False, help_text="geom is that of a larger 2018 commune")
    parts = models.ManyToManyField(Commune, related_name="current_communes", help_text="2018 communes covered")
    source_hash = models.CharField(max_length=32, editable=False)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=is_valid_geometry("geom"), name="currentcommune_geom_valid"),
            models.CheckConstraint(condition=point_covered_by("point", "geom"), name="currentcommune_point_inside"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CommuneName(models.Model):
    """A name the gazetteer reads, and the commune of today it leads to.

    Besides each commune's own name: the former name of a renamed commune ("Saint-Ouen" for
    Saint-Ouen-sur-Seine), and the name of each former commune now part of another (merged
    since 2018 — "Courcouronnes" in Évry-Courcouronnes — or a commune déléguée or associée).
    """

    class Kind(models.TextChoices):
        CURRENT = "current", "name of the commune"
        FORMER = "former", "former name of the whole commune"
        PART = "part", "name of a former commune now part of it"

    commune = models.ForeignKey(CurrentCommune, on_delete=models.CASCADE, related_name="names")
    code = models.CharField(max_length=5, help_text="INSEE code the name went with")
    name = models.CharField(max_length=120)
    search_name = models.CharField(max_length=120, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Where a part lies, inside its own 2018 polygon when it had one; None: the commune's point.
    point = models.PointField(geography=True, srid=4326, null=True, blank=True)
    source_hash = models.CharField(max_length=32, editable=False)

    class Meta:
        ordering = ["search_name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "code", "search_name"], name="communename_unique"),
        ]
        indexes = [
            GinIndex(OpClass("search_name", name="gin_trgm_ops"), name="communename_search_name_trgm"),
            models.Index(fields=["search_name"], name="communename_search_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.commune_id}"


class CommuneCode(models.Model):
    """An INSEE code as data may carry it (today's, a merged commune's, a commune déléguée's, an
    arrondissement's) and the commune of today that continues it."""

    code = models.CharField(max_length=5, unique=True)
    commune = models.ForeignKey(CurrentCommune, on_delete=models.CASCADE, related_name="codes")
    source_hash = models.CharField(max_length=32, editable=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} → {self.commune_id}"


class PostalCode(models.Model):
    """One row of La Poste's postcode base: commune, postcode, optional locality, delivery label."""

    code = models.CharField(max_length=5, db_index=True)
    insee_code = models.CharField(max_length=5, help_text="INSEE code as given by La Poste")
    # The 2018 commune containing the row; null for collectivités d'outre-mer without boundary.
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="postal_codes"
    )
    # The commune of today its INSEE code stands for (or containing its point); null likewise.
    current_commune = models.ForeignKey(
        CurrentCommune, null=True, blank=True, on_delete=models.SET_NULL, related_name="postal_codes"
    )
    name = models.CharField(max_length=120, help_text="Commune name as written by La Poste")
    locality = models.CharField(max_length=120, blank=True, help_text="Ligne 5: hamlet or locality")
    delivery_label = models.CharField(max_length=120, blank=True)
    point = models.PointField(geography=True, srid=4326)
    source_hash = models.CharField(max_length=32, editable=False)

    class Meta:
        ordering = ["code", "insee_code", "locality"]
        constraints = [
            models.UniqueConstraint(
                fields=["insee_code", "code", "locality", "delivery_label"], name="postalcode_unique_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
