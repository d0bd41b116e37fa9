"""Tracking what a consumer has applied (I4): each event's id is recorded in the same transaction
as its effect, so a redelivered message has no second effect, and each source's position
advances with it. Shared by the live consumer and reporting's rebuild.

An event the database cannot store as it is (shared.messaging.storable) is applied again with
its unstorable characters replaced and recorded as a problem (shared.messaging.problems):
`apply_recovering`, `apply_batch_recovering`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg

from shared.messaging.problems import ensure_problems_table, envelope_problem, record_problem
from shared.messaging.storable import UNSTORABLE, storable

Handler = Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]
# Applies fresh events in the given (delivery) order, with the result of `Handler` on each in turn.
BatchHandler = Callable[[asyncpg.Connection, Sequence[dict[str, Any]]], Awaitable[None]]

TRANSIENT = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.AdminShutdownError,
)


class PoisonMessage(Exception):
    """The message can never be handled (malformed, unknown type): dead-letter it."""


async def ensure_tracking_tables(db: asyncpg.Pool | asyncpg.Connection, schema: str) -> None:
    """The tracking tables of a schema rebuilt as a whole (reporting's read models). Services whose
    tracking cannot be rebuilt get them from their migrations (shared.ops.migrations.baseline);
    a change of shape here needs a migration there too."""
    await db.execute(
        f"""
        CREATE TABLE IF NOT EXISTS "{schema}".processed_events (
            consumer text NOT NULL, event_id uuid NOT NULL, source text NOT NULL,
            sequence bigint NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id));
        CREATE TABLE IF NOT EXISTS "{schema}".consumer_positions (
            consumer text NOT NULL, source text NOT NULL, sequence bigint NOT NULL,
            PRIMARY KEY (consumer, source));
        CREATE TABLE IF NOT EXISTS "{schema}".dead_letters (
            consumer text NOT NULL, event_id text NOT NULL, attempts int NOT NULL,
            error text NOT NULL, envelope text NOT NULL,
            failed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id));
        """
    )
    await ensure_problems_table(db, schema)


# Consumers of one schema hold this lock shared in every transaction; a read-model rebuild
# takes it exclusively to swap its fresh schema in without losing a concurrent write.
SCHEMA_LOCK = 0x7D4B7


async def apply_once(
    conn: asyncpg.Connection, schema: str, consumer: str, envelope: dict[str, Any], handle: Handler
) -> bool:
    """Apply one event inside the caller's transaction unless it was applied before."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", SCHEMA_LOCK)
    fresh = await conn.fetchval(
        f'INSERT INTO "{schema}".processed_events (consumer, event_id, source, sequence) '
        "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING true",
        consumer,
        envelope["id"],
        envelope["source"],
        int(envelope["sequence"]),
    )
    if not fresh:
        return False
    await handle(conn, envelope)
    await advance_positions(conn, schema, consumer, [envelope])
    return True


async def apply_batch(
    conn: asyncpg.Connection,
    schema: str,
    consumer: str,
    envelopes: Sequence[dict[str, Any]],
    handle: Handler,
    handle_batch: BatchHandler | None = None,
) -> list[bool]:
    """`apply_once` for many events inside the caller's transaction, with one lock, one tracking
    INSERT (which tells the fresh ones), one handler call and one position update per source.
    Returns, per envelope, whether it was applied now (a repeat within the batch is not)."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", SCHEMA_LOCK)
    sequences = [int(e["sequence"]) for e in envelopes]
    # The ids go as text and are cast by PostgreSQL (any spelling of a UUID is the same id);
    # what comes back is the position of the first delivery of each id that was not processed.
    rows = await conn.fetch(
        "WITH batch AS (SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY "
        "AS b(event_id, source, sequence, i)), "
        f'fresh AS (INSERT INTO "{schema}".processed_events (consumer, event_id, source, sequence) '
        "SELECT $1, event_id::uuid, source, sequence FROM batch ORDER BY i "
        "ON CONFLICT DO NOTHING RETURNING event_id) "
        "SELECT min(b.i) FROM batch b JOIN fresh f ON f.event_id = b.event_id::uuid GROUP BY f.event_id",
        consumer,
        [str(e["id"]) for e in envelopes],
        [e["source"] for e in envelopes],
        sequences,
    )
    fresh = [False] * len(envelopes)
    for r in rows:
        fresh[r[0] - 1] = True
    applied = [e for e, f in zip(envelopes, fresh, strict=True) if f]
    if not applied:
        return fresh
    if handle_batch is not None:
        await handle_batch(conn, applied)
    else:
        for envelope in applied:
            await handle(conn, envelope)
    await advance_positions(conn, schema, consumer, applied)
    return fresh


async def advance_positions(
    conn: asyncpg.Connection, schema: str, consumer: str, applied: Sequence[dict[str, Any]]
) -> None:
    """Each source's position moves up to the highest sequence among `applied` (never down)."""
    heads: dict[str, int] = {}
    for envelope in applied:
        sequence = int(envelope["sequence"])
        if sequence > heads.get(envelope["source"], -1):
            heads[envelope["source"]] = sequence
    await conn.execute(
        f'INSERT INTO "{schema}".consumer_positions (consumer, source, sequence) '
        "SELECT $1, * FROM unnest($2::text[], $3::bigint[]) ON CONFLICT (consumer, source) DO UPDATE "
        f'SET sequence = GREATEST(EXCLUDED.sequence, "{schema}".consumer_positions.sequence)',
        consumer,
        list(heads),
        list(heads.values()),
    )


async def apply_recovering(
    conn: asyncpg.Connection,
    schema: str,
    consumer: str,
    envelope: dict[str, Any],
    handle: Handler,
    handle_batch: BatchHandler | None = None,
) -> bool:
    """`apply_batch` of one event inside the caller's transaction; if the database cannot store a
    value it holds, the event is applied again with those characters replaced (`storable`) and
    the problem recorded, instead of failing (the slow path: a batch that fails goes one by one
    through here)."""
    try:
        async with conn.transaction():  # a savepoint
            [fresh] = await apply_batch(conn, schema, consumer, [envelope], handle, handle_batch)
            return fresh
    except UNSTORABLE as exc:
        cleaned = storable(envelope)
        if cleaned is envelope:
            raise
        failure = exc
    async with conn.transaction():
        [fresh] = await apply_batch(conn, schema, consumer, [cleaned], handle, handle_batch)
        if fresh:
            await record_problem(conn, schema, consumer, envelope_problem(envelope, failure, "replaced"))
    return fresh


async def apply_batch_recovering(
    conn: asyncpg.Connection,
    schema: str,
    consumer: str,
    envelopes: Sequence[dict[str, Any]],
    handle: Handler,
    handle_batch: BatchHandler | None = None,
) -> list[bool]:
    """`apply_batch`, and one by one through `apply_recovering` when it meets a value the
    database cannot store."""
    try:
        async with conn.transaction():
            return await apply_batch(conn, schema, consumer, envelopes, handle, handle_batch)
    except UNSTORABLE:
        pass
    return [await apply_recovering(conn, schema, consumer, e, handle, handle_batch) for e in envelopes]
