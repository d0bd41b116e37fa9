"""The chunked load of a rebuild: every event of every feed applied set-wise to a fresh schema, one
transaction per chunk of a few pages, while the chunks after it are fetched and planned; and the
catch-up (`drain`) that applies what the feeds hold after their positions, page by page, as the
live consumer does.

A chunk (or a page of the catch-up) that fails on a value the database cannot store (a NUL an old
deployment stored) is loaded again event by event: that event with U+FFFD in place of what cannot
be stored, recorded in `problems`, as the live consumer does (shared.messaging.problems)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from services.reporting.adapters.feeds import PAGE, Feed
from services.reporting.adapters.projections import EVENT_KEYED_TABLES, Projector
from services.reporting.adapters.projections.batch import Plan
from shared.messaging.problems import envelope_problem, record_problem
from shared.messaging.storable import UNSTORABLE, storable
from shared.messaging.tracking import advance_positions, apply_batch_recovering

CONSUMER = "reporting"
TRACKING_COLUMNS = ("consumer", "event_id", "source", "sequence")
CHUNK = 5 * PAGE  # events per transaction of the bulk load
AHEAD = 2  # chunks fetched and planned ahead of the one being loaded


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


async def bulk(
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


async def drain(
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
