"""A commune moved to another département, or a département given another code, makes the open
slots of its places stale (they are computed by département: Alsace-Moselle's holidays, school
holiday zones, overseas time zones): they become "any time" until computed again, like those of
a place whose opening hours or commune change (migration 0003)."""

from django.db import migrations

ANY_TIME = "'{336}'::integer[]"  # geofinder.opening.slots.ANY_TIME

TRIGGERS_SQL = f"""
CREATE FUNCTION geofinder_territory_places_open_slots_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- NEW is the commune moved, or the département whose code changed.
    UPDATE places_place SET open_slots = {ANY_TIME}, open_slots_at = NULL
    WHERE commune_id IN (
        SELECT c.id FROM territories_commune c
        WHERE (TG_TABLE_NAME = 'territories_commune' AND c.id = NEW.id)
           OR (TG_TABLE_NAME = 'territories_department' AND c.department_id = NEW.id)
    );
    RETURN NULL;
END
$$;
CREATE TRIGGER commune_places_open_slots_forget AFTER UPDATE OF department_id ON territories_commune
    FOR EACH ROW WHEN (NEW.department_id IS DISTINCT FROM OLD.department_id)
    EXECUTE FUNCTION geofinder_territory_places_open_slots_forget();
CREATE TRIGGER department_places_open_slots_forget AFTER UPDATE OF code ON territories_department
    FOR EACH ROW WHEN (NEW.code IS DISTINCT FROM OLD.code)
    EXECUTE FUNCTION geofinder_territory_places_open_slots_forget();
"""
REVERSE_TRIGGERS_SQL = """
DROP TRIGGER department_places_open_slots_forget ON territories_department;
DROP TRIGGER commune_places_open_slots_forget ON territories_commune;
DROP FUNCTION geofinder_territory_places_open_slots_forget();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0004_open_slots_statistics"),
        ("territories", "0001_initial"),
    ]

    operations = [migrations.RunSQL(TRIGGERS_SQL, REVERSE_TRIGGERS_SQL)]
