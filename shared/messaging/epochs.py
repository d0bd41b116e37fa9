"""Store epochs: what keeps a published event id from ever naming two different events.

An event's id is derived from its aggregate and version (contracts.event_id), so re-publishing
it gives the same id and consumers drop the copy. After the database is restored to an earlier
point, new events reuse the versions of events that were lost with the restore but had already
been published: under the same ids, consumers would drop them as copies, silently.

So every process that starts on a store begins a new epoch at the log's next position
(`<schema>.store_epochs`: from which position, which random UUID), taken under the events
table's EXCLUSIVE lock so no event can land in between; an event's id mixes in the epoch of its
position (none before the first epoch: the ids published before epochs existed stay as they
were). A restored database comes back with its epochs as they were at the backup; the first
start after it begins a new one, so every event written from then on has an id never used.
A position's epoch never changes once an event sits there (the new epoch starts past the head),
so an id stays stable for re-publication."""

from __future__ import annotations

import bisect
import uuid
from uuid import UUID

import asyncpg


class Epochs:
    """The store's epochs as last read, by the first position each covers."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ids: list[UUID] = []
        self.final_up_to = 0  # positions up to here have their final epoch in `starts`

    def at(self, position: int) -> UUID | None:
        i = bisect.bisect_right(self.starts, position)
        return self.ids[i - 1] if i else None

    def replace(self, rows: list[asyncpg.Record], seen: int) -> None:
        self.starts = [int(r["from_position"]) for r in rows]
        self.ids = [UUID(str(r["epoch"])) for r in rows]
        self.final_up_to = max(self.final_up_to, seen)


def table(schema: str) -> str:
    return f'"{schema}".store_epochs'


async def begin(pool: asyncpg.Pool, schema: str, events_table: str) -> UUID:
    """A new epoch from the log's next position. If no event came since the last one began, that
    one is replaced: nothing in this store was published under it (there is nothing at or past
    its position), though a restore may have lost events that were. (The table is created by
    the service's migrations, shared.ops.migrations.)"""
    epoch = uuid.uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(f'LOCK TABLE "{schema}"."{events_table}" IN EXCLUSIVE MODE')
        await conn.execute(
            f"INSERT INTO {table(schema)} (from_position, epoch) "
            f'SELECT COALESCE(max(notification_id), 0) + 1, $1 FROM "{schema}"."{events_table}" '
            "ON CONFLICT (from_position) DO UPDATE SET epoch = EXCLUDED.epoch, began_at = now()",
            epoch,
        )
    return epoch


async def refresh(pool: asyncpg.Pool, schema: str, epochs: Epochs, seen: int) -> None:
    """Read the epochs again if `seen` (a position just read from the log) is past what is known
    final. Read after the position: an epoch begun later starts past it."""
    if seen <= epochs.final_up_to:
        return
    try:
        rows = await pool.fetch(f"SELECT from_position, epoch FROM {table(schema)} ORDER BY from_position")
    except asyncpg.UndefinedTableError:  # a store no process began an epoch on: none yet
        rows = []
    epochs.replace(list(rows), seen)
