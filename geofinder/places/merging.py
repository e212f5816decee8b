"""One establishment, one place: records of several sources joined into one place, and split again.

A record that no place of its source holds (by source and source id, its own or joined) looks
for the place of another source it describes (`matches`, one statement per batch of records):
- the same SIRET (PlaceSource.siret: SIRENE's establishment, Alim'confiance's SIRET column,
  OpenStreetMap's ref:FR:SIRET), confidence 1;
- otherwise a place of the record's category (as its category or a secondary one; among the
  NEAREST_CANDIDATES nearest) within settings.GEOFINDER_MERGE_DISTANCE_M (or at the same street
  and postcode, within MATCH_REACH_M), scored `0.7 × name similarity + 0.3 × closeness`, where
  the name similarity is pg_trgm's over the unaccented lower-case names and closeness is 1 at
  the same address, else from 1 at 0 m to 0.7 at the distance limit; joined from
  settings.GEOFINDER_MERGE_THRESHOLD on.

The joined source becomes a PlaceSource of the place with its record (`snapshot`) and content
hash; each field shows the value of the source that comes first for it
(settings.GEOFINDER_FIELD_PRECEDENCE, then the one that set it first), and what a merchant
confirmed before any source. `split_off` undoes a join: the source gets its own place back, made
from its record, and the fields it set on the place come back from the other sources' records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone

from geofinder.places.models import Category, Place, PlaceSource
from geofinder.places.provenance import MERCHANT, PROVENANCE_FIELDS, entry

# Where the name-and-distance candidates are looked for around a record (the same address may
# be geocoded a little apart by two sources); beyond GEOFINDER_MERGE_DISTANCE_M, only at the
# same address.
MATCH_REACH_M = 150.0
SIRET_KEYS = ("siret", "ref:FR:SIRET")
_SIRET = re.compile(r"[0-9]{14}")


def record_siret(extra: dict) -> str:
    """The SIRET a record's extra tags give (14 digits, spaces removed), or ""."""
    for key in SIRET_KEYS:
        value = re.sub(r"\s", "", str(extra.get(key) or ""))
        if _SIRET.fullmatch(value):
            return value
    return ""


def rank(field: str, source: str) -> int:
    """The place of `source` in the precedence of `field` (lower first; unlisted sources last)."""
    order = settings.GEOFINDER_FIELD_PRECEDENCE.get(field, [])
    return order.index(source) if source in order else len(order)


def outranks(field: str, challenger: str, holder: str) -> bool:
    """Whether `challenger`'s value of `field` replaces `holder`'s (a merchant's never is)."""
    if holder == MERCHANT:
        return False
    if challenger == MERCHANT:
        return True
    return rank(field, challenger) < rank(field, holder)


def snapshot(place: Place, secondary_slugs: list[str]) -> dict:
    """A place's values of the provenance fields (and its extra tags), as JSON: what a source
    said, kept on its PlaceSource to rebuild the place's fields or a place of its own."""
    values: dict = {}
    for name, columns in PROVENANCE_FIELDS.items():
        for column in columns:
            if column == "location":
                values["location"] = list(place._lon_lat) if hasattr(place, "_lon_lat") else [place.location.x, place.location.y]
            else:
                values[column] = getattr(place, column)
    values["secondary_categories"] = list(secondary_slugs)
    values["extra"] = place.extra
    return values


def _empty(value) -> bool:
    return value in ("", None, False, [])


@dataclass(frozen=True)
class Match:
    place_id: int
    matched_by: str  # "siret" or "name_distance"
    confidence: float


_MATCH_SQL = """
WITH r AS (
    SELECT r.*, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography AS geog
      FROM unnest(%(n)s::int[], %(lon)s::float8[], %(lat)s::float8[], %(name)s::text[], %(category)s::bigint[],
                  %(street)s::text[], %(postcode)s::text[], %(siret)s::text[], %(placed)s::bool[])
           AS r(n, lon, lat, name, category_id, street, postcode, siret, placed)
)
SELECT DISTINCT ON (r.n) r.n, m.place_id, m.matched_by, m.confidence
  FROM r
  CROSS JOIN LATERAL (
    SELECT ps.place_id, 'siret' AS matched_by, 1.0::float8 AS confidence
      FROM places_placesource ps
     WHERE r.siret <> '' AND ps.siret > '' AND ps.siret = r.siret AND ps.source <> %(source)s
    UNION ALL
    SELECT near.id, 'name_distance',
           0.7 * similarity(geofinder_unaccent(lower(near.name)), geofinder_unaccent(lower(r.name)))
           + 0.3 * CASE WHEN near.same_address THEN 1.0 ELSE 1 - 0.3 * near.metres / %(distance)s END
      FROM (
        -- The nearest places of the record's category within reach, as their category or a
        -- secondary one: a few of each, however dense the neighbourhood (a box of the
        -- (category, location) geography indexes: a KNN walk of a large category costs more).
        (SELECT p.id, p.name, p.street, p.postcode, p.source, ST_Distance(p.location, r.geog) AS metres
           FROM places_place p
          WHERE r.placed AND p.category_id = r.category_id AND ST_DWithin(p.location, r.geog, %(reach)s)
          ORDER BY ST_Distance(p.location, r.geog), p.id LIMIT %(nearest)s)
        UNION ALL
        (SELECT p.id, p.name, p.street, p.postcode, p.source, ST_Distance(s.location, r.geog)
           FROM places_secondarylocation s JOIN places_place p ON p.id = s.place_id
          WHERE r.placed AND s.category_id = r.category_id AND ST_DWithin(s.location, r.geog, %(reach)s)
          ORDER BY s.location <-> r.geog LIMIT %(nearest_secondary)s)
      ) candidate
      CROSS JOIN LATERAL (
        SELECT candidate.*, r.street <> '' AND r.postcode <> '' AND candidate.postcode = r.postcode
               AND geofinder_unaccent(lower(candidate.street)) = geofinder_unaccent(lower(r.street)) AS same_address
      ) near
     WHERE near.source <> %(source)s
       AND (near.metres <= %(distance)s OR (near.same_address AND near.metres <= %(reach)s))
  ) m
 WHERE m.confidence >= %(threshold)s
   AND NOT EXISTS (SELECT 1 FROM places_placesource o WHERE o.place_id = m.place_id AND o.source = %(source)s)
 ORDER BY r.n, m.confidence DESC, m.place_id
"""
# Candidates read around each record: its category's nearest places, and the nearest of the
# places that have it as a secondary category (the places of the record's own source among
# them are left aside: in a city centre, a register's establishments crowd the same building).
NEAREST_CANDIDATES = 16
NEAREST_SECONDARY_CANDIDATES = 4


def _other_sources_exist(source: str) -> bool:
    """Whether any place has another source than `source` (two probes of PlaceSource's unique
    (source, source_id) index): a register imported alone has nothing to join."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM places_placesource WHERE source < %(s)s)"
            " OR EXISTS (SELECT 1 FROM places_placesource WHERE source > %(s)s)",
            {"s": source},
        )
        return cursor.fetchone()[0]


def matches(source: str, places: list[Place]) -> dict[str, Match]:
    """The place of another source each of these (new, unsaved) places of `source` describes,
    by source id; at most one record per place (the most confident)."""
    if not places or not _other_sources_exist(source):
        return {}
    params = {
        "n": list(range(len(places))),
        "lon": [place._lon_lat[0] for place in places],
        "lat": [place._lon_lat[1] for place in places],
        "name": [place.name for place in places],
        "category": [place.category_id for place in places],
        "street": [place.street for place in places],
        "postcode": [place.postcode for place in places],
        "siret": [record_siret(place.extra) for place in places],
        # Name and distance only for a position the source gives (not a commune's point).
        "placed": [place.location_precision == Place.LocationPrecision.SOURCE for place in places],
        "source": source,
        "distance": settings.GEOFINDER_MERGE_DISTANCE_M,
        "reach": max(MATCH_REACH_M, settings.GEOFINDER_MERGE_DISTANCE_M),
        "threshold": settings.GEOFINDER_MERGE_THRESHOLD,
        "nearest": NEAREST_CANDIDATES,
        "nearest_secondary": NEAREST_SECONDARY_CANDIDATES,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # JIT compiled the statement's expressions for 0.2 to 1.8 s: longer than it runs.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_MATCH_SQL, params)
        rows = cursor.fetchall()
    best: dict[int, tuple[int, Match]] = {}  # place id → (record number, match)
    for n, place_id, matched_by, confidence in sorted(rows, key=lambda row: (-row[3], row[0])):
        if place_id not in best:
            best[place_id] = (n, Match(place_id, matched_by, round(float(confidence), 4)))
    return {places[n].source_id: match for n, match in best.values()}


def apply(place: Place, *, source: str, values: dict, now: datetime) -> tuple[dict, list[str]]:
    """The columns of `place` that `source`'s `values` (a snapshot) change by precedence, with
    the provenance entries written into `place.provenance`; and the fields a merchant confirmed
    that the values contradict. `place` is left unchanged but for its provenance."""
    changes: dict = {}
    kept: list[str] = []
    provenance = place.provenance
    for name, columns in PROVENANCE_FIELDS.items():
        if not columns:
            continue
        new = {column: values.get(column) for column in columns}
        if all(_empty(value) for value in new.values()):
            continue
        current = {column: _current(place, column) for column in columns}
        if current == new:
            continue
        holder = (provenance.get(name) or {}).get("source") or place.source
        if name == "status" and new["status"] == Place.Status.ACTIVE and holder != source:
            continue  # "active" is what a source says by default: it reopens nothing another closed
        if holder == MERCHANT:
            kept.append(name)
            continue
        if holder == source or all(_empty(value) for value in current.values()) or outranks(name, source, holder):
            changes.update(new)
            provenance[name] = entry(source, now)
    return changes, kept


def _current(place: Place, column: str):
    if column == "location":
        return [place.location.x, place.location.y]
    return getattr(place, column)


def write(place_id: int, changes: dict, *, provenance: dict, now: datetime, joined: bool) -> None:
    """Write `changes` (columns as in a snapshot) to a place, with its provenance."""
    values = {column: value for column, value in changes.items() if column != "location"}
    if "location" in changes:
        values["location"] = Point(*changes["location"], srid=4326)
    Place.objects.filter(pk=place_id).update(**values, provenance=provenance, joined=joined, updated_at=now)


def own_snapshot(place: Place) -> dict:
    """The values of `place` its own source gave (those no other source set), as a snapshot."""
    slugs = list(place.secondary_categories.values_list("slug", flat=True))
    values = snapshot(place, slugs)
    for name, columns in PROVENANCE_FIELDS.items():
        holder = (place.provenance.get(name) or {}).get("source")
        if holder and holder != place.source:
            for column in columns or ("secondary_categories",):
                values.pop(column, None)
    return values


@transaction.atomic
def split_off(place: Place, source: PlaceSource, *, now: datetime | None = None) -> Place | None:
    """Take `source` (joined, not the place's own) off `place`: the fields it set come back
    from the other sources' records (or are emptied), and it gets its own place again, made from
    its record. Returns the new place (None when its record is unknown: it is only taken off)."""
    now = now or timezone.now()
    new_place = _place_from_snapshot(source, now) if source.record else None
    _forget(place, source, now)
    if new_place is None:
        source.delete()
    else:
        PlaceSource.objects.filter(pk=source.pk).update(place=new_place, matched_by="", confidence=None)
    return new_place


@transaction.atomic
def detach(place: Place, source: PlaceSource, *, now: datetime | None = None) -> None:
    """Take `source` off `place` for good (the source may no longer show it): the fields it set
    come back from the other sources' records, and no place is made of it."""
    _forget(place, source, now or timezone.now())
    source.delete()


def _forget(place: Place, gone: PlaceSource, now: datetime) -> None:
    """Rebuild the fields of `place` that `gone` set, from the records of its other sources."""
    others = [ps for ps in place.sources.exclude(pk=gone.pk).order_by("id")]
    provenance = dict(place.provenance)
    changes: dict = {}
    for name, columns in PROVENANCE_FIELDS.items():
        holder = (provenance.get(name) or {}).get("source")
        if holder != gone.source or not columns:
            continue
        candidates = [ps for ps in others if not all(_empty(ps.record.get(column)) for column in columns)]
        candidates.sort(key=lambda ps: (rank(name, ps.source), ps.source != place.source, ps.id))
        if candidates:
            chosen = candidates[0]
            changes.update({column: chosen.record.get(column) for column in columns})
            if chosen.source == place.source:
                provenance.pop(name, None)
            else:
                provenance[name] = entry(chosen.source, now)
        else:
            changes.update({column: _blank(column) for column in columns})
            provenance.pop(name, None)
    if "category_id" in changes and changes["category_id"] is None:
        changes.pop("category_id")
    if "location" in changes and not changes["location"]:
        changes.pop("location")
    write(place.pk, changes, provenance=provenance, now=now, joined=len(others) > 1)
    if "opening_hours" in changes:
        from geofinder.places.services import opening_slots_refresh

        opening_slots_refresh(place_ids=[place.pk], now=now)


def _blank(column: str):
    """A column's value when no source gives one: its default (active, false, empty)."""
    return Place._meta.get_field(column).get_default()


def _place_from_snapshot(source: PlaceSource, now: datetime) -> Place:
    """A place of `source` alone, from its record."""
    from geofinder.places.services import opening_slots_refresh

    record = dict(source.record)
    lon, lat = record.pop("location")
    secondary = record.pop("secondary_categories", [])
    place = Place(
        source=source.source, source_id=source.source_id, location=Point(lon, lat, srid=4326),
        content_hash=source.content_hash,
        **{column: value for column, value in record.items() if column in _PLACE_COLUMNS},
    )
    place.save()
    place.secondary_categories.set(Category.objects.filter(slug__in=secondary))
    opening_slots_refresh(place_ids=[place.pk], now=now)
    return place


_PLACE_COLUMNS = {field.attname for field in Place._meta.concrete_fields} - {"id", "location"}


def place_split(*, place_id: int, source: str | None = None, now: datetime | None = None) -> list[tuple[PlaceSource, Place | None]]:
    """Split every source joined to a place (or only `source`, as "source" or "source:id") off
    it: [(the source, its new place or None)], in the order they joined. A place's own source
    cannot be split off it."""
    place = Place.objects.get(pk=place_id)
    joined = place.sources.exclude(source=place.source, source_id=place.source_id).order_by("id")
    if source:
        name, _, source_id = source.partition(":")
        joined = joined.filter(source=name, **({"source_id": source_id} if source_id else {}))
    done = []
    for ps in list(joined):
        place.refresh_from_db()
        done.append((ps, split_off(place, ps, now=now)))
    return done
