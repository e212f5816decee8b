"""SYNTHETIC merchant accounts for benchmarks only — never real data, never loaded by `make demo`.

`bench/run.py --managers 10000 --history 100000` adds to the bench database, beside its synthetic
places, `managers` user accounts (username and email `bench-manager-<n>@example.invalid`, no
usable password), each a verified manager of one synthetic place (one in ten of a second one as
well), and `history` rows of django-simple-history for those places (changes by their managers,
`history_change_reason` = "bench"): the search must not slow down when merchants and their
history are there.

Set-based (INSERT … SELECT over generate_series, no ORM save per row) and idempotent: a second
run with the same figures changes nothing; other figures bring the bench rows to them.
"""

from __future__ import annotations

from django.db import connection, transaction

PREFIX = "bench-manager-"
DOMAIN = "@example.invalid"
REASON = "bench"
SOURCE = "synthetic"
SECOND_PLACE_EVERY = 10  # one manager in ten manages a second place


def _bench_users(cursor) -> int:
    cursor.execute("SELECT count(*) FROM auth_user WHERE username LIKE %s", [PREFIX + "%"])
    return cursor.fetchone()[0]


def merchant_rows_remove(cursor) -> None:
    """The bench's managers and history rows, and its accounts (before synthetic places are
    replaced: a manager link holds its place)."""
    cursor.execute("DELETE FROM places_historicalplace WHERE history_change_reason = %s", [REASON])
    cursor.execute(
        "DELETE FROM merchants_manager WHERE user_id IN (SELECT id FROM auth_user WHERE username LIKE %s)",
        [PREFIX + "%"],
    )
    cursor.execute("DELETE FROM auth_user WHERE username LIKE %s", [PREFIX + "%"])


def merchant_rows_generate(*, managers: int, history: int) -> dict[str, int]:
    """Bring the bench's manager accounts to `managers` and their places' history rows to
    `history`; returns the counts found afterwards."""
    from geofinder.places.models import Place

    historical = Place.history.model
    place_columns = {field.column for field in Place._meta.concrete_fields}
    # The historical model's copies of the place's columns (its own: history_*), in its order.
    copied = [field.column for field in historical._meta.concrete_fields
              if field.column in place_columns and not field.column.startswith("history_")]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM places_place WHERE source = %s", [SOURCE])
        places = cursor.fetchone()[0]
        links_wanted = managers + managers // SECOND_PLACE_EVERY
        if managers and places < links_wanted:
            raise ValueError(f"{places} synthetic places for {links_wanted} manager links: generate the places first")
        cursor.execute(
            "SELECT count(*) FROM merchants_manager m JOIN auth_user u ON u.id = m.user_id WHERE u.username LIKE %s",
            [PREFIX + "%"],
        )
        links = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM places_historicalplace WHERE history_change_reason = %s", [REASON])
        rows = cursor.fetchone()[0]
        if _bench_users(cursor) == managers and links == links_wanted and rows == history:
            return {"managers": managers, "manager_links": links, "history_rows": rows}

        merchant_rows_remove(cursor)
        if managers:
            cursor.execute(
                """
                INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                                       is_staff, is_active, date_joined)
                SELECT '!bench', false, %(prefix)s || g || %(domain)s, '', '', %(prefix)s || g || %(domain)s,
                       false, true, now()
                FROM generate_series(1, %(n)s) AS g
                """,
                {"prefix": PREFIX, "domain": DOMAIN, "n": managers},
            )
            # Manager n: the synthetic place of rank n × step (spread over the whole table), and
            # every SECOND_PLACE_EVERY-th manager the next one too.
            cursor.execute(
                """
                WITH ranked AS (
                    SELECT id, row_number() OVER (ORDER BY id) AS rank FROM places_place WHERE source = %(source)s
                ), users AS (
                    SELECT id, substring(username FROM length(%(prefix)s) + 1 FOR position('@' IN username)
                                         - length(%(prefix)s) - 1)::int AS n
                    FROM auth_user WHERE username LIKE %(like)s
                ), wanted AS (
                    SELECT id AS user_id, n * %(step)s AS rank FROM users
                    UNION ALL
                    SELECT id, n * %(step)s + 1 FROM users WHERE n %% %(every)s = 0
                )
                INSERT INTO merchants_manager (user_id, place_id, method, verified_at)
                SELECT w.user_id, r.id, 'email', now() FROM wanted w JOIN ranked r USING (rank)
                ON CONFLICT DO NOTHING
                """,
                {"source": SOURCE, "prefix": PREFIX, "like": PREFIX + "%", "step": max(1, places // links_wanted - 1),
                 "every": SECOND_PLACE_EVERY},
            )
        if history and managers:
            columns = ", ".join(copied)
            selected = ", ".join(f"p.{column}" for column in copied)
            # `history` rows, spread evenly over the manager links: each a change ("~") of the
            # place by its manager, dated one day apart going back from now.
            cursor.execute(
                f"""
                WITH links AS (
                    SELECT m.user_id, m.place_id, row_number() OVER (ORDER BY m.id) AS rn, count(*) OVER () AS total
                    FROM merchants_manager m JOIN auth_user u ON u.id = m.user_id WHERE u.username LIKE %(like)s
                ), numbered AS (
                    SELECT g AS k, (g - 1) %% l.total + 1 AS rn FROM generate_series(1, %(n)s) AS g,
                    (SELECT total FROM links LIMIT 1) AS l
                )
                INSERT INTO places_historicalplace ({columns}, history_date, history_change_reason, history_type,
                                                    history_user_id)
                SELECT {selected}, now() - (n.k || ' hours')::interval, %(reason)s, '~', links.user_id
                FROM numbered n JOIN links USING (rn) JOIN places_place p ON p.id = links.place_id
                """,
                {"like": PREFIX + "%", "n": history, "reason": REASON},
            )
        elif history:
            raise ValueError("history rows are written for managed places: give --managers too")
        cursor.execute(
            "SELECT count(*) FROM merchants_manager m JOIN auth_user u ON u.id = m.user_id WHERE u.username LIKE %s",
            [PREFIX + "%"],
        )
        links = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM places_historicalplace WHERE history_change_reason = %s", [REASON])
        rows = cursor.fetchone()[0]
        return {"managers": _bench_users(cursor), "manager_links": links, "history_rows": rows}
