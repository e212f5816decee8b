"""SYNTHETIC places for benchmarks only — never real data, never loaded by `make demo`.

Generates up to millions of places over France in PostGIS itself (ST_GeneratePoints inside
random communes, weighted by commune area so density follows territory), with a realistic skew
of categories (restaurants and bakeries common, cordonniers rare) and of opening_hours strings
(common French patterns, some empty, a few invalid). Every row has source = "synthetic".
"""

from __future__ import annotations

import random
from datetime import datetime

from django.db import connection, transaction

SOURCE = "synthetic"

# (category slug, weight): rough shares of French local commerce.
CATEGORY_WEIGHTS = [
    ("restaurant", 22), ("boulangerie", 9), ("coiffeur", 8), ("cafe-bar", 7), ("restauration-rapide", 6),
    ("epicerie", 5), ("boucherie-charcuterie", 4), ("pharmacie", 4), ("garagiste", 4), ("plombier", 3),
    ("electricien", 3), ("fleuriste", 2), ("vetements", 3), ("estheticienne", 3), ("supermarche", 2),
    ("macon", 2), ("peintre", 2), ("menuisier", 2), ("opticien", 1), ("librairie", 1), ("primeur", 1),
    ("fromagerie", 1), ("poissonnerie", 1), ("caviste", 1), ("traiteur", 1), ("serrurier", 1),
    ("cordonnier", 1), ("chocolatier", 1), ("producteur-fermier", 1),
]

# (opening_hours, weight); "" is unknown hours, the last one is invalid on purpose.
OPENING_HOURS_WEIGHTS = [
    ("Mo-Sa 08:00-19:00", 12), ("Tu-Sa 07:00-13:00,15:30-19:30; Su 07:00-12:30", 10),
    ("Mo-Fr 09:00-12:00,14:00-18:00", 12), ("Mo-Sa 09:00-19:00; PH off", 8),
    ("Tu-Sa 09:00-12:00,14:00-19:00", 8), ("Mo-Su 11:30-14:30,18:30-22:30", 10),
    ("Tu-Su 12:00-14:00,19:00-22:00; Mo off", 6), ("Mo-Fr 08:00-18:00; Sa 09:00-12:00", 6),
    ("24/7", 2), ("Fr-Sa 18:00-02:00", 2), ("Mo-Fr 08:30-12:30,13:30-17:30; PH off; SH off", 2),
    ("", 20), ("lundi au vendredi 9h-18h", 2),
]


def _expand(weights: list[tuple[str, int]]) -> list[str]:
    return [value for value, weight in weights for _ in range(weight)]


# The largest cities get places in proportion to their population (the commune count is a
# fair proxy of population elsewhere: one commune weighs 1, about 2,000 residents).
CITY_WEIGHTS = {
    "75056": 1100, "13055": 430, "69123": 260, "31555": 240, "06088": 170, "44109": 160,
    "34172": 150, "67482": 140, "33063": 130, "59350": 117,
}


def synthetic_places_generate(
    *, count: int, seed: int = 1, batch: int = 100_000, progress=None, now: datetime | None = None,
    department: str | None = None,
) -> int:
    """Replace the synthetic places by `count` new ones; returns how many were written. Their
    open slots hold from the hour of `now` (default: this instant). With `department` (an INSEE
    code, "31"), all of them in that département's communes (bench/map_scale.py)."""
    # Here, not at the top: bench/run.py reads this module's weights without Django.
    from django.utils import timezone

    from geofinder.opening.batch import OpeningBatch
    from geofinder.places.opening import opening_table
    from geofinder.places.services import slots_since
    from merchants import merchant_rows_remove  # bench/, first on sys.path

    rng = random.Random(seed)
    categories = _expand(CATEGORY_WEIGHTS)
    hours = _expand(OPENING_HOURS_WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT slug, id FROM places_category")
        category_ids = dict(cursor.fetchall())
        missing = {slug for slug, _ in CATEGORY_WEIGHTS} - category_ids.keys()
        if missing:
            raise ValueError(f"categories missing from the taxonomy: {sorted(missing)} (run load_categories)")
        cursor.execute(
            "SELECT c.id, c.code FROM territories_commune c JOIN territories_department d ON d.id = c.department_id"
            " WHERE %(department)s::text IS NULL OR d.code = %(department)s",
            {"department": department},
        )
        communes = cursor.fetchall()
        # The bench's merchant accounts (bench/merchants.py) hold synthetic places: gone with them.
        merchant_rows_remove(cursor)
        cursor.execute(
            "DELETE FROM places_place_secondary_categories WHERE place_id IN "
            "(SELECT id FROM places_place WHERE source = %s)",
            [SOURCE],
        )
        cursor.execute("DELETE FROM places_place WHERE source = %s", [SOURCE])
        # The open half-hours of each (opening_hours, département), written with the places
        # (as the imports do), so that no update rewrites 2,000,000 rows afterwards: the opening
        # batch's table, kept for the session (the places are inserted in several transactions).
        cursor.execute("SELECT id FROM territories_department")
        departments = [department_id for (department_id,) in cursor.fetchall()]
        since = slots_since(now or timezone.now())
        opening_table(
            table="synthetic_slots", keys=[[(raw, department_id, "") for raw in dict.fromkeys(hours)
                                            for department_id in departments]],
            batch=OpeningBatch(since=since), slots=True, until_commit=False,
        )
    commune_ids = [cid for cid, _ in communes]
    weights = [CITY_WEIGHTS.get(code, 1) for _, code in communes]
    written = 0
    while written < count:
        n = min(batch, count - written)
        drawn: dict[int, int] = {}
        for cid in rng.choices(commune_ids, weights=weights, k=n):
            drawn[cid] = drawn.get(cid, 0) + 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """
                WITH counts AS (
                    SELECT * FROM unnest(%(ids)s::bigint[], %(ks)s::int[]) AS t(commune_id, k)
                ), pts AS (
                    SELECT c.id AS commune_id, (ST_Dump(ST_GeneratePoints(c.geom, counts.k, %(seed)s))).geom AS geom
                    FROM counts JOIN territories_commune c ON c.id = counts.commune_id
                ), numbered AS (
                    SELECT row_number() OVER () AS rn, commune_id, geom FROM pts
                ), attrs AS (
                    SELECT ordinality AS rn, cat, oh
                    FROM unnest(%(cats)s::bigint[], %(hours)s::text[]) WITH ORDINALITY AS t(cat, oh)
                )
                INSERT INTO places_place (
                    name, category_id, location, location_precision, street, postcode, city, commune_id,
                    phone, email, website, shop_url, click_and_collect, delivery, takeaway, appointment,
                    opening_hours, opening_hours_warning, status, source, source_id, content_hash, extra,
                    created_at, updated_at, open_slots, open_slots_at)
                SELECT 'Commerce synthétique ' || (%(offset)s + p.rn), a.cat, p.geom::geography,
                       'source', '', '', '', p.commune_id, '', '', '', '',
                       random() < 0.1, random() < 0.15, random() < 0.2, random() < 0.05,
                       a.oh, '', 'active', %(source)s, 'synthetic-' || (%(offset)s + p.rn), '', '{}'::jsonb,
                       now(), now(), s.slots, %(since)s
                FROM numbered p JOIN attrs a USING (rn)
                JOIN territories_commune c ON c.id = p.commune_id
                JOIN synthetic_slots s ON s.opening_hours = a.oh AND s.department_id = c.department_id
                """,
                {
                    "ids": list(drawn), "ks": list(drawn.values()), "seed": seed + written,
                    "cats": [category_ids[rng.choice(categories)] for _ in range(n)],
                    "hours": [rng.choice(hours) for _ in range(n)],
                    "offset": written, "source": SOURCE, "since": since,
                },
            )
            # ST_GeneratePoints may give fewer points than asked in a sliver of a commune:
            # count what was written, and draw again until `count` is reached.
            inserted = cursor.rowcount
        if inserted == 0:
            raise RuntimeError("no synthetic place could be generated (are the communes loaded?)")
        written += inserted
        if progress:
            progress(inserted)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE places_place")
    return written
