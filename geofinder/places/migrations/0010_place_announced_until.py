"""Place.announced_until: the last day one of a place's announcements is shown, kept by a trigger
on places_announcement (any insert, update or delete recomputes it for the places concerned), so
that answers read announcements only for the places that may show some."""

from django.db import migrations, models

FORWARD_SQL = """
CREATE FUNCTION places_announced_until_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE places_place p
       SET announced_until = (SELECT max(a."end") FROM places_announcement a WHERE a.place_id = p.id)
     WHERE p.id IN (SELECT place_id FROM changed_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER places_announcement_inserted AFTER INSERT ON places_announcement
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION places_announced_until_refresh();
CREATE TRIGGER places_announcement_deleted AFTER DELETE ON places_announcement
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION places_announced_until_refresh();
-- An update may move an announcement to another place: both the old and the new place.
CREATE FUNCTION places_announced_until_refresh_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE places_place p
       SET announced_until = (SELECT max(a."end") FROM places_announcement a WHERE a.place_id = p.id)
     WHERE p.id IN (SELECT place_id FROM old_rows UNION SELECT place_id FROM new_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER places_announcement_updated AFTER UPDATE ON places_announcement
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION places_announced_until_refresh_update();
UPDATE places_place p SET announced_until = a.until
  FROM (SELECT place_id, max("end") AS until FROM places_announcement GROUP BY place_id) a
 WHERE a.place_id = p.id;
"""
REVERSE_SQL = """
DROP TRIGGER places_announcement_inserted ON places_announcement;
DROP TRIGGER places_announcement_deleted ON places_announcement;
DROP TRIGGER places_announcement_updated ON places_announcement;
DROP FUNCTION places_announced_until_refresh();
DROP FUNCTION places_announced_until_refresh_update();
"""


class Migration(migrations.Migration):

    dependencies = [
        ("places", "0009_historical_place_artisan"),
    ]

    operations = [
        migrations.AddField(
            model_name="place",
            name="announced_until",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(FORWARD_SQL, REVERSE_SQL),
    ]
