"""French administrative territories: régions, départements, communes and postcodes (COG 2018).

Polygons are `geometry(MultiPolygon, 4326)`, validity enforced by the database; postcode points
are `geography(Point, 4326)`.
"""

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, OpClass

from geofinder.core.db import is_valid_geometry


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


class Region(Territory):
    class Meta(Territory.Meta):
        constraints = [
            models.CheckConstraint(condition=is_valid_geometry("geom"), name="region_geom_valid"),
        ]


class Department(Territory):
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


class PostalCode(models.Model):
    """One row of La Poste's postcode base: commune, postcode, optional locality, delivery label."""

    code = models.CharField(max_length=5, db_index=True)
    insee_code = models.CharField(max_length=5, help_text="INSEE code as given by La Poste")
    # The 2018 commune containing the row; null for collectivités d'outre-mer without boundary.
    commune = models.ForeignKey(
        Commune, null=True, blank=True, on_delete=models.SET_NULL, related_name="postal_codes"
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
