"""Statistics of every value of `open_slots` (the 336 half-hours of the week and the "any time"
marker): the search reads from them which share of the places may be open in a half-hour (see
geofinder/places/selectors.py, open_slot_shares), to choose how it applies its opening prefilter."""

from django.db import migrations

SQL = "ALTER TABLE places_place ALTER COLUMN open_slots SET STATISTICS {}"


class Migration(migrations.Migration):
    dependencies = [("places", "0003_opening_slots")]

    operations = [migrations.RunSQL(SQL.format(1000), SQL.format(-1))]
