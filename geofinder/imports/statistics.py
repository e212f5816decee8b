"""Planner statistics of what an import wrote: the tables it changed are analysed at its end.

Autovacuum analyses a table once enough of it changed, some time later; on a server where it
is off or slow, the searches and exports after an import were planned with the statistics of
the data before it (a CSV export right after an import ran 15 times slower). The tables an
import changed are those whose rows it inserted, updated or deleted, as PostgreSQL counts them
for the transaction (pg_stat_xact_user_tables: the writes of triggers included, temporary
tables left out). These counts also hold the writes of earlier transactions of the session
not yet reported to the statistics system, so an import compares them before and after.
"""

from __future__ import annotations

from django.db import connection
from psycopg import sql

Table = tuple[str, str]  # (schema, name)


def rows_written() -> dict[Table, int]:
    """Rows inserted, updated or deleted so far in this transaction, by permanent table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.schemaname, s.relname, s.n_tup_ins + s.n_tup_upd + s.n_tup_del"
            " FROM pg_stat_xact_user_tables s JOIN pg_class c ON c.oid = s.relid"
            " WHERE c.relpersistence = 'p' AND s.n_tup_ins + s.n_tup_upd + s.n_tup_del > 0"
        )
        return {(schema, name): count for schema, name, count in cursor.fetchall()}


def tables_written_since(before: dict[Table, int]) -> list[Table]:
    """The permanent tables this transaction wrote rows of since `before` (rows_written())."""
    return sorted(table for table, count in rows_written().items() if count > before.get(table, 0))


def statistics_flush_at_commit() -> None:
    """Have this transaction's counts of changed rows reported as soon as it commits (else up to
    a second later, after the ANALYZE that follows: autovacuum would count those rows as changed
    since it and analyse the tables again for nothing)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")


def tables_analyze(tables: list[Table]) -> list[str]:
    """ANALYZE `tables` (one statement; nothing when empty); their names as written.

    Call it once the import's transaction is committed, so that the statistics describe the
    committed rows. Inside a caller's transaction (tests, a command called from an atomic
    block) it runs there: ANALYZE, unlike VACUUM, may, and counts that transaction's rows."""
    if not tables:
        return []
    statement = sql.SQL("ANALYZE {}").format(sql.SQL(", ").join(sql.Identifier(*table) for table in tables))
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(statement)
    return [name if schema == "public" else f"{schema}.{name}" for schema, name in tables]
