"""Secondary categories searchable by the nearest search (issue 13, item 4): a jeweller who is
also a watchmaker is found by `category=horloger`; and a (category, geography) index for the
nearest search's passes on the sphere (issue 13, item 2).

The nearest search walks a GiST index of (category, location) in distance order; a place's
secondary categories live in the many-to-many table, which has no location. SecondaryLocation holds,
for each (secondary category, place), the place's location, with its own (category, location)
GiST index; triggers keep it equal to the many-to-many table and to the places' locations, so
that every write path (imports, merchants' forms, the admin) keeps it without knowing it.
"""

import django.contrib.gis.db.models.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.db import migrations, models

FORWARD_SQL = """
INSERT INTO places_secondarylocation (category_id, place_id, location)
    SELECT ps.category_id, ps.place_id, p.location
    FROM places_place_secondary_categories ps JOIN places_place p ON p.id = ps.place_id
    ON CONFLICT DO NOTHING;

CREATE FUNCTION geofinder_secondary_location_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'places_place' THEN
        UPDATE places_secondarylocation SET location = NEW.location WHERE place_id = NEW.id;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO places_secondarylocation (category_id, place_id, location)
            SELECT NEW.category_id, NEW.place_id, p.location FROM places_place p WHERE p.id = NEW.place_id
            ON CONFLICT (category_id, place_id) DO UPDATE SET location = EXCLUDED.location;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM places_secondarylocation WHERE category_id = OLD.category_id AND place_id = OLD.place_id;
    ELSE  -- UPDATE of the many-to-many row
        DELETE FROM places_secondarylocation WHERE category_id = OLD.category_id AND place_id = OLD.place_id;
        INSERT INTO places_secondarylocation (category_id, place_id, location)
            SELECT NEW.category_id, NEW.place_id, p.location FROM places_place p WHERE p.id = NEW.place_id
            ON CONFLICT (category_id, place_id) DO UPDATE SET location = EXCLUDED.location;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER secondary_categories_location AFTER INSERT OR UPDATE OR DELETE ON places_place_secondary_categories
    FOR EACH ROW EXECUTE FUNCTION geofinder_secondary_location_follow();
CREATE TRIGGER place_secondary_location AFTER UPDATE OF location ON places_place
    FOR EACH ROW WHEN (NEW.location IS DISTINCT FROM OLD.location)
    EXECUTE FUNCTION geofinder_secondary_location_follow();
"""

REVERSE_SQL = """
DROP TRIGGER place_secondary_location ON places_place;
DROP TRIGGER secondary_categories_location ON places_place_secondary_categories;
DROP FUNCTION geofinder_secondary_location_follow();
"""


class Migration(migrations.Migration):
    dependencies = [("places", "0005_territory_changes_forget_slots")]

    operations = [
        migrations.CreateModel(
            name="SecondaryLocation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("location", django.contrib.gis.db.models.fields.PointField(geography=True, spatial_index=False, srid=4326)),
                ("category", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="places.category")),
                ("place", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="places.place")),
            ],
            options={
                "indexes": [django.contrib.postgres.indexes.GistIndex(models.F("category"), models.F("location"), name="secondary_location_gist")],
                "constraints": [models.UniqueConstraint(fields=("category", "place"), name="secondary_location_unique")],
            },
        ),
        migrations.RunSQL(FORWARD_SQL, REVERSE_SQL),
        migrations.AddIndex(
            model_name="place",
            index=django.contrib.postgres.indexes.GistIndex(models.F("category"), models.F("location"), name="place_category_geog_gist"),
        ),
    ]
