"""Rebuilding the read models from the services' event feeds, and checking them.

A rebuild fills a fresh schema chunk by chunk (one transaction per few pages of a feed, planned
while the chunk before is stored), then, holding the schema lock every live consumer transaction
takes shared, catches up to the feeds' heads and renames the fresh schema into place. Live
consumption pauses only for that last step; what it delivers afterwards that the rebuild already
applied is deduplicated by event id.

A chunk (or a page of the catch-up) that fails on a value the database cannot store (a NUL an old
deployment stored) is loaded again event by event: that event with U+FFFD in place of what cannot
be stored, recorded in `problems`, as the live consumer does (shared.tracking)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import orjson

from services.reporting.adapters.projections import EVENT_KEYED_TABLES, Projector, projector
from services.reporting.adapters.projections.batch import Plan
from services.reporting.adapters.readmodels import SCHEMA_SQL, TABLES
from shared.collector import collector_paused
from shared.tracking import (
    SCHEMA_LOCK,
    UNSTORABLE,
    advance_positions,
    apply_batch_recovering,
    ensure_tracking_tables,
    envelope_problem,
    record_problem,
    storable,
)

CONSUMER = "reporting"
PAGE = 1000
TRACKING_COLUMNS = ("consumer", "event_id", "source", "sequence")
CHUNK = 5 * PAGE  # events per transaction of the bulk load
AHEAD = 2  # chunks fetched and planned ahead of the one being loaded
FINISHING = 3  # connections restoring indexes and analysing tables after the bulk load


@dataclass
class Feed:
    """One service's national event feed, read with a national token."""

    name: str
    url: str
    token: str
    position: int = 0
    loaded: int = 0  # the highest sequence a rebuild's bulk load took from this feed

    async def page(self, client: httpx.AsyncClient) -> list[dict[str, Any]]:
        r = await client.get(
            f"{self.url}/v1/events",
            params={"after": self.position, "limit": PAGE},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        r.raise_for_status()
        body = orjson.loads(r.content)
        self.position = int(body["next_after"])
        return list(body["events"])


@dataclass
class Outcome:
    schema: str
    applied: int = 0
    seconds: float = 0.0
    positions: dict[str, int] = field(default_factory=dict)


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


async def _finish_tables(database_url: str, schema: str, restore: dict[str, list[str]]) -> None:
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


@dataclass
class Chunk:
    """Fresh events of one feed, planned ahead of their turn to be loaded."""

    fresh: list[dict[str, Any]]
    plan: Plan


async def _fresh(client: httpx.AsyncClient, feed: Feed) -> tuple[int, list[dict[str, Any]]]:
    """A page of the feed: how many events it served, and those that are fresh. The schema is
    fresh and a feed serves each event once, in the order of its sequence, so what a page holds
    after the highest sequence taken from the feed so far is fresh."""
    events = await feed.page(client)
    fresh = [e for e in events if int(e["sequence"]) > feed.loaded]
    sequences = [int(e["sequence"]) for e in fresh]
    if any(b <= a for a, b in itertools.pairwise(sequences)):
        raise RuntimeError(f"the {feed.name} feed served sequences out of order")
    if fresh:
        feed.loaded = sequences[-1]
    return len(events), fresh


async def _chunks(
    client: httpx.AsyncClient,
    feeds: list[Feed],
    project: Projector,
    ahead: asyncio.Queue[Chunk | Exception | None],
) -> None:
    """Fills `ahead` with the feeds' events, feed after feed, in chunks of about CHUNK, then
    None; or with what went wrong."""
    try:
        for feed in feeds:
            fresh: list[dict[str, Any]] = []
            while True:
                served, more = await _fresh(client, feed)
                fresh += more
                if fresh and (len(fresh) >= CHUNK or not served):
                    await ahead.put(Chunk(fresh, await project.plan(fresh)))
                    fresh = []
                if not served:
                    break
        await ahead.put(None)
    except asyncio.CancelledError:
        raise  # by the loading side, which stopped reading `ahead`: putting could wait forever
    except Exception as exc:
        await ahead.put(exc)
        raise


async def _load(conn: asyncpg.Connection, schema: str, chunk: Chunk) -> int:
    """The bulk load's `apply_batch`: its tracking rows, like the rows of the tables keyed by the
    event's id, are copied in without looking for earlier ones (they have no key to look in)."""
    fresh = chunk.fresh
    await conn.copy_records_to_table(
        "processed_events",
        schema_name=schema,
        columns=TRACKING_COLUMNS,
        records=[(CONSUMER, str(e["id"]), e["source"], int(e["sequence"])) for e in fresh],
    )
    await chunk.plan.run(conn, copy=EVENT_KEYED_TABLES)
    # Sequences rise within a chunk (checked as it was fetched): each source's last event is its head.
    await advance_positions(conn, schema, CONSUMER, list({e["source"]: e for e in fresh}.values()))
    return len(fresh)


async def _load_recovering(conn: asyncpg.Connection, schema: str, chunk: Chunk, project: Projector) -> int:
    """`_load` for a chunk that failed on a value the database cannot store: event by event, each
    in a savepoint, the one that fails again with those characters replaced, and recorded."""
    fresh = chunk.fresh
    await conn.copy_records_to_table(
        "processed_events",
        schema_name=schema,
        columns=TRACKING_COLUMNS,
        records=[(CONSUMER, str(e["id"]), e["source"], int(e["sequence"])) for e in fresh],
    )
    for envelope in fresh:
        try:
            async with conn.transaction():
                await (await project.plan([envelope])).run(conn, copy=EVENT_KEYED_TABLES)
            continue
        except UNSTORABLE as exc:
            cleaned = storable(envelope)
            if cleaned is envelope:
                raise
            failure = exc
        await (await project.plan([cleaned])).run(conn, copy=EVENT_KEYED_TABLES)
        await record_problem(conn, schema, CONSUMER, envelope_problem(envelope, failure, "replaced"))
    await advance_positions(conn, schema, CONSUMER, list({e["source"]: e for e in fresh}.values()))
    return len(fresh)


async def _bulk(
    conn: asyncpg.Connection, client: httpx.AsyncClient, schema: str, feeds: list[Feed], project: Projector
) -> int:
    """The bulk load: every event of every feed set-wise, one transaction per chunk, while the
    chunks after it are fetched and planned."""
    applied = 0
    ahead: asyncio.Queue[Chunk | Exception | None] = asyncio.Queue(AHEAD)
    producer = asyncio.ensure_future(_chunks(client, feeds, project, ahead))
    try:
        while (chunk := await ahead.get()) is not None:
            if isinstance(chunk, Exception):
                raise chunk
            try:
                async with conn.transaction():
                    applied += await _load(conn, schema, chunk)
            except UNSTORABLE:
                async with conn.transaction():
                    applied += await _load_recovering(conn, schema, chunk, project)
    finally:
        if not producer.done():
            producer.cancel()
        with contextlib.suppress(BaseException):
            await producer
    return applied


async def _drain(
    conn: asyncpg.Connection,
    client: httpx.AsyncClient,
    schema: str,
    feeds: list[Feed],
    project: Projector,
) -> int:
    """Applies what the feeds hold after their positions, one transaction per page."""
    applied = 0
    for feed in feeds:
        while events := await feed.page(client):
            async with conn.transaction():
                fresh = await apply_batch_recovering(conn, schema, CONSUMER, events, project, project.batch)
            applied += sum(fresh)
    return applied


async def rebuild(
    database_url: str, live_schema: str, feeds: list[Feed], *, swap: bool, target: str | None = None
) -> Outcome:
    target = target or f"{live_schema}_rebuild"
    started = time.perf_counter()
    outcome = Outcome(target)
    project = projector(target)
    conn = await asyncpg.connect(database_url)
    try:
        await create_schema(conn, target)
        await ensure_tracking_tables(conn, target)
        restore = await deferred_indexes(conn, target)
        async with httpx.AsyncClient(timeout=60) as client:
            # The bulk load's commits need not wait for the WAL flush: a crash loses the rebuild,
            # never the live schema, and the first synchronous commit after it (restoring the
            # indexes) flushes everything the load wrote before the schema can be swapped in.
            await conn.execute("SET synchronous_commit = off")
            with collector_paused():
                outcome.applied = await _bulk(conn, client, target, feeds, project)
            await conn.execute("RESET synchronous_commit")
            await _finish_tables(database_url, target, restore)
            if swap:
                async with conn.transaction():
                    await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
                    outcome.applied += await _drain(conn, client, target, feeds, project)
                    retired = f"{live_schema}_retired"
                    await conn.execute(f'DROP SCHEMA IF EXISTS "{retired}" CASCADE')
                    await conn.execute(f'ALTER SCHEMA "{live_schema}" RENAME TO "{retired}"')
                    await conn.execute(f'ALTER SCHEMA "{target}" RENAME TO "{live_schema}"')
                await conn.execute(f'DROP SCHEMA IF EXISTS "{live_schema}_retired" CASCADE')
                outcome.schema = live_schema
        outcome.positions = {f.name: f.position for f in feeds}
    finally:
        await conn.close()
    outcome.seconds = time.perf_counter() - started
    return outcome


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
