"""The schemas of a rebuild: a fresh one created with its secondary indexes and event-keyed
primary keys deferred (restored after the bulk load, with planner statistics), swapped in for the
live one under the schema lock every live consumer transaction takes shared, and compared with
another row by row."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg

from services.reporting.adapters.projections import EVENT_KEYED_TABLES
from services.reporting.adapters.readmodels import SCHEMA_SQL, TABLES
from shared.messaging.tracking import SCHEMA_LOCK

FINISHING = 3  # connections restoring indexes and analysing tables after the bulk load


async def create_schema(conn: asyncpg.Connection, schema: str) -> None:
    await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')
    await conn.execute(SCHEMA_SQL.format(s=schema))


async def deferred_indexes(conn: asyncpg.Connection, schema: str) -> dict[str, list[str]]:
    """Drops what the bulk load does not need and returns, per table, the statements that restore
    it: the fresh schema's secondary indexes (those that back no constraint), and the primary keys
    of the tables keyed by the event's id (tracking rows, history), which the load keeps unique
    by itself (below). Building them once afterwards is faster than keeping them up to date row
    by row; a repeated event would make restoring a key fail, and the rebuild with it."""
    rows = await conn.fetch(
        "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = $1 AND "
        "NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = $1 AND c.conname = i.indexname)",
        schema,
    )
    restore: dict[str, list[str]] = {}
    for r in rows:
        await conn.execute(f'DROP INDEX "{schema}"."{r["indexname"]}"')
        restore.setdefault(r["tablename"], []).append(r["indexdef"])
    for table in ("processed_events", *EVENT_KEYED_TABLES):
        key = await conn.fetchrow(
            "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint "
            "WHERE conrelid = $1::regclass AND contype = 'p'",
            f'"{schema}".{table}',
        )
        if key is not None:
            await conn.execute(f'ALTER TABLE "{schema}".{table} DROP CONSTRAINT "{key["conname"]}"')
            restore.setdefault(table, []).insert(
                0, f'ALTER TABLE "{schema}".{table} ADD CONSTRAINT "{key["conname"]}" {key["definition"]}'
            )
    return restore


async def finish_tables(database_url: str, schema: str, restore: dict[str, list[str]]) -> None:
    """Restores the deferred indexes and gathers planner statistics (autovacuum may be off or
    late), table by table on a few connections at once: each is PostgreSQL's work alone."""
    pending = [
        (table, restore.get(table, []))
        for table in (*TABLES, "processed_events", "consumer_positions", "problems")
    ]
    pending.sort(key=lambda item: -len(item[1]))

    async def worker() -> None:
        conn = await asyncpg.connect(database_url)
        try:
            while pending:
                table, statements = pending.pop(0)
                for statement in statements:
                    await conn.execute(statement)
                await conn.execute(f'ANALYZE "{schema}".{table}')
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(FINISHING)))


@contextlib.asynccontextmanager
async def swapped_in(conn: asyncpg.Connection, live: str, target: str) -> AsyncIterator[None]:
    """One transaction holding the schema lock (live consumption waits): what the body does in
    it (the catch-up) commits with `target` renamed to `live` and the old live schema retired,
    which is dropped afterwards. If the body fails, nothing is swapped."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
        yield
        retired = f"{live}_retired"
        await conn.execute(f'DROP SCHEMA IF EXISTS "{retired}" CASCADE')
        await conn.execute(f'ALTER SCHEMA "{live}" RENAME TO "{retired}"')
        await conn.execute(f'ALTER SCHEMA "{target}" RENAME TO "{live}"')
    await conn.execute(f'DROP SCHEMA IF EXISTS "{live}_retired" CASCADE')


async def compare(database_url: str, live: str, other: str) -> dict[str, dict[str, int]]:
    """Rows of each read model present in one schema and not the other (counted with multiplicity)."""
    conn = await asyncpg.connect(database_url)
    try:
        out = {}
        for table in TABLES:
            missing = await conn.fetchval(
                f'SELECT count(*) FROM (SELECT * FROM "{other}".{table} EXCEPT ALL '
                f'SELECT * FROM "{live}".{table}) d'
            )
            extra = await conn.fetchval(
                f'SELECT count(*) FROM (SELECT * FROM "{live}".{table} EXCEPT ALL '
                f'SELECT * FROM "{other}".{table}) d'
            )
            out[table] = {"missing_in_live": int(missing), "extra_in_live": int(extra)}
        return out
    finally:
        await conn.close()
