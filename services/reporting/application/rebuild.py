"""Rebuilding the read models from the services' event feeds, and checking them.

A rebuild fills a fresh schema chunk by chunk (one transaction per few pages of a feed, planned
while the chunk before is stored: adapters/bulk_load.py), then, holding the schema lock every
live consumer transaction takes shared, catches up to the feeds' heads and renames the fresh
schema into place (adapters/rebuild_schema.py). Live consumption pauses only for that last step;
what it delivers afterwards that the rebuild already applied is deduplicated by event id."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import asyncpg
import httpx

from services.reporting.adapters.bulk_load import bulk, drain
from services.reporting.adapters.feeds import PAGE, Feed
from services.reporting.adapters.projections import projector
from services.reporting.adapters.rebuild_schema import (
    compare,
    create_schema,
    deferred_indexes,
    finish_tables,
    swapped_in,
)
from shared.messaging.tracking import ensure_tracking_tables
from shared.ops.gc_pause import collector_paused

# The feeds a rebuild reads and the check that compares two schemas, named here for its callers.
__all__ = ["PAGE", "Feed", "Outcome", "compare", "rebuild"]


@dataclass
class Outcome:
    schema: str
    applied: int = 0
    seconds: float = 0.0
    positions: dict[str, int] = field(default_factory=dict)


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
                outcome.applied = await bulk(conn, client, target, feeds, project)
            await conn.execute("RESET synchronous_commit")
            await finish_tables(database_url, target, restore)
            if swap:
                async with swapped_in(conn, live_schema, target):
                    outcome.applied += await drain(conn, client, target, feeds, project)
                outcome.schema = live_schema
        outcome.positions = {f.name: f.position for f in feeds}
    finally:
        await conn.close()
    outcome.seconds = time.perf_counter() - started
    return outcome
