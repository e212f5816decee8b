"""geofinder's own export files, as the exports write them and the imports read them back.

One declaration of the file format shared by its writer (geofinder.exports) and its reader
(geofinder.imports.geofinder_export: a re-import gives back the places): the `generator` member
of a GeoJSON export, and the columns of a CSV export with the kind of each (which says how it
is quoted, and whether its cells are neutralised against spreadsheet formulas, see
geofinder.core.spreadsheet). The SQL of each column is over the aliases the exports read
places with (p, c, co, d, r of geofinder.search.selectors.PLACE_JOINS; cl, sc of
geofinder.search.stream.STREAM_JOINS).
"""

from __future__ import annotations

import orjson

from geofinder.core.spreadsheet import neutralised
from geofinder.places.licences import licence_for
from geofinder.places.provenance import PROVENANCE_FIELDS

# The `generator` member of a geofinder GeoJSON export (what tells a re-import it is one).
GENERATOR = "geofinder"

# Kinds of CSV column: free text from the data (always quoted, RFC 4180 allows it, a quote
# doubled; neutralised against spreadsheet formulas, see geofinder.core.spreadsheet), JSON
# text (always quoted; it starts with [ or {, never like a formula) and plain values
# (identifiers, codes, numbers, booleans, dates: never hold a comma, a quote or a line break,
# and are written as they are; a negative longitude stays a number).
TEXT, JSON, PLAIN = "text", "json", "plain"
# CSV: the search properties flattened, as (column, SQL, kind). The opening columns come after
# What a merchant confirmed and announces (as place_properties): the confirmed fields in
# PROVENANCE_FIELDS order (constants: identifiers only); the announcements of the day
# (`an.items`, geofinder.search.stream.STREAM_JOINS: the API's are those of the day of its
# evaluation instant).
assert all(name.isidentifier() for name in PROVENANCE_FIELDS)
MERCHANT_CONFIRMED_SQL = (
    "CASE WHEN p.verified_at IS NULL THEN '[]' ELSE (SELECT coalesce(json_agg(f.name ORDER BY f.n), '[]')::text"
    f" FROM unnest(ARRAY[{', '.join(repr(name) for name in PROVENANCE_FIELDS)}]::text[]) WITH ORDINALITY AS f(name, n)"
    " WHERE p.provenance -> f.name ->> 'source' = 'merchant') END"
)
ANNOUNCEMENTS_SQL = "coalesce(an.items, '[]')"


# The sources merged into a place besides its own (its own is `source` and `source_id`; their
# licences are the rows' and the file's) as JSON [{source, source_id, licence}, …] in the order
# they joined: from PlaceSource for the places other sources joined (Place.joined, few), else an
# empty list without a statement (geofinder/places/merging.py).
MERGED_SOURCES_SQL = (
    "CASE WHEN p.joined THEN coalesce((SELECT json_agg(json_build_object('source', ps.source,"
    " 'source_id', ps.source_id, 'licence', ps.licence) ORDER BY ps.id) FROM places_placesource ps"
    " WHERE ps.place_id = p.id AND (ps.source, ps.source_id) <> (p.source, p.source_id))::text, '[]')"
    " ELSE '[]' END"
)

# `opening_hours` (position OPENING_AT), the licence columns last (see csv_chunks).
CSV_COLUMNS = [
    ("id", "p.id", PLAIN),
    ("lon", "ST_X(p.location::geometry)", PLAIN),
    ("lat", "ST_Y(p.location::geometry)", PLAIN),
    ("name", "p.name", TEXT),
    ("category_slug", "c.slug", PLAIN),
    ("category_label", "c.label", TEXT),
    ("address", "p.street", TEXT),
    ("postcode", "p.postcode", TEXT),
    ("city", "p.city", TEXT),
    ("commune_code", "co.code", PLAIN),
    ("commune_name", "co.name", TEXT),
    ("department_code", "d.code", PLAIN),
    ("department_name", "d.name", TEXT),
    ("region_code", "r.code", PLAIN),
    ("region_name", "r.name", TEXT),
    ("distance_m", "{distance}", PLAIN),
    ("opening_hours", "p.opening_hours", TEXT),
    ("closures", "coalesce(cl.objects, '[]')", JSON),
    ("click_and_collect", "p.click_and_collect::text", PLAIN),
    ("delivery", "p.delivery::text", PLAIN),
    ("takeaway", "p.takeaway::text", PLAIN),
    ("appointment", "p.appointment::text", PLAIN),
    ("artisan", "p.artisan::text", PLAIN),
    ("phone", "p.phone", TEXT),
    ("email", "p.email", TEXT),
    ("website", "p.website", TEXT),
    ("shop_url", "p.shop_url", TEXT),
    ("status", "p.status", PLAIN),
    ("source", "p.source", TEXT),
    ("verified_at", "to_json(p.verified_at) #>> '{}'", PLAIN),
    ("merchant_confirmed", MERCHANT_CONFIRMED_SQL, JSON),
    ("announcements", ANNOUNCEMENTS_SQL, JSON),
    ("updated_at", "to_json(p.updated_at) #>> '{}'", PLAIN),
    ("source_id", "p.source_id", TEXT),
    ("secondary_categories", "coalesce(sc.slugs, '[]')", JSON),
    ("location_precision", "p.location_precision", PLAIN),
    ("extra", "p.extra::text", JSON),
    ("merged_sources", MERGED_SOURCES_SQL, JSON),
]
OPENING_AT = 17
# The opening columns of a CSV row, rendered (and neutralised: free text) once per distinct
# status (see places_copy).
CSV_OPENING = {
    "opening_state": lambda status: neutralised(status.state),
    "opening_next_change": lambda status: status.next_change.isoformat() if status.next_change else "",
    "opening_label": lambda status: neutralised(status.label),
}
CSV_LICENCE_COLUMNS = ["licence", "attribution"]  # free text
CSV_HEADER = [
    *[name for name, _, _ in CSV_COLUMNS[:OPENING_AT]],
    *CSV_OPENING,
    *[name for name, _, _ in CSV_COLUMNS[OPENING_AT:]],
    *CSV_LICENCE_COLUMNS,
]
# The columns whose cells are neutralised: what geofinder's CSV reader restores.
CSV_NEUTRALISED = frozenset(
    [name for name, _, kind in CSV_COLUMNS if kind == TEXT] + [*CSV_OPENING, *CSV_LICENCE_COLUMNS]
)


# The members of a GeoJSON feature's properties that are objects, written flat as
# <member>_<key> (category_slug, commune_code, opening_state…); `services` as its keys alone.
_FLATTENED_OBJECTS = ("category", "commune", "department", "region", "opening")


def flat_properties(feature: dict) -> dict:
    """A feature of a GeoJSON export (nested properties, as place_properties) with its
    properties as the columns of a CSV export, in CSV_HEADER order: plain values (lists and
    objects as JSON text, as in the CSV), unneutralised (no spreadsheet reads GeoJSON), with the
    licence and attribution of its source. The geometry and id stay as they are."""
    properties = feature["properties"]
    flat = {"id": feature["id"], "lon": feature["geometry"]["coordinates"][0], "lat": feature["geometry"]["coordinates"][1]}
    for name, value in properties.items():
        if name in _FLATTENED_OBJECTS:
            flat.update((f"{name}_{key}", item) for key, item in value.items())
        elif name == "services":
            flat.update(value)
        elif isinstance(value, (list, dict)):
            flat[name] = orjson.dumps(value).decode()
        else:
            flat[name] = value
    licence = licence_for(properties["source"])
    flat.update(licence=licence.licence, attribution=licence.attribution)
    return {**feature, "properties": {name: flat.get(name) for name in CSV_HEADER}}
