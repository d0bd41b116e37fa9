"""Reading a service's notification log in order, asynchronously.

Safe to tail by notification id because the eventsourcing recorder takes an EXCLUSIVE
table lock around every insert: ids commit in the order they are issued, so once id N
is visible no lower id can appear later (I3). Keep POSTGRES_ENABLE_DB_FUNCTIONS off."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import TopicError, resolve_topic

from shared.messaging import epochs
from shared.messaging.contracts import Contracts

DECODE_SLICE = 100


@dataclass(frozen=True)
class LoggedEvent:
    sequence: int
    domain_event: Any


class EventLog:
    def __init__(
        self, pool: asyncpg.Pool, schema: str, table: str, mapper: Mapper, contracts: Contracts
    ) -> None:
        self.pool = pool
        self.contracts = contracts
        self.mapper = mapper
        self.schema, self.table = schema, table
        self.epochs = epochs.Epochs()
        self.channel = table.replace(".", "_")
        self._page_sql = (
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f'FROM "{schema}"."{table}" WHERE notification_id > $1 '
            f"ORDER BY notification_id LIMIT $2"
        )
        self._head_sql = f'SELECT max(notification_id) FROM "{schema}"."{table}"'

    async def head(self) -> int:
        return int(await self.pool.fetchval(self._head_sql) or 0)

    async def begin_epoch(self) -> None:
        """A new store epoch from the next position (shared.messaging.epochs)."""
        await epochs.begin(self.pool, self.schema, self.table)

    async def fresh_epochs(self, seen: int) -> None:
        """The epochs of every position up to `seen` (one just read) as they are final."""
        await epochs.refresh(self.pool, self.schema, self.epochs, seen)

    def envelope(self, logged: LoggedEvent) -> dict[str, Any] | None:
        """The event as published: its id mixes in the epoch of its position."""
        return self.contracts.envelope(logged.domain_event, logged.sequence, self.epochs.at(logged.sequence))

    async def page(self, after: int, limit: int) -> list[LoggedEvent]:
        return (await self.tail(after, limit))[0]

    async def tail(
        self, after: int, limit: int, only: Collection[str] | None = None
    ) -> tuple[list[LoggedEvent], int]:
        """The events after `after` (at most `limit` read) and the last position read (`after` if
        none). `only`: the event classes' qualified names wanted; the others are passed over
        without being decoded (decoding is most of a reader's cost)."""
        rows = await self.pool.fetch(self._page_sql, after, limit)
        if not rows:
            return [], after
        last = int(rows[-1]["notification_id"])
        await self.fresh_epochs(last)
        if only is not None:
            rows = [r for r in rows if (name := _qualname(r["topic"])) is None or name in only]
        out: list[LoggedEvent] = []
        for start in range(0, len(rows), DECODE_SLICE):
            if start:
                # Decoding is CPU work on the caller's event loop (the API's, for the relay and
                # the read model): hand the loop back between slices so requests are not held up.
                await asyncio.sleep(0)
            out.extend(
                LoggedEvent(
                    row["notification_id"],
                    self.mapper.to_domain_event(
                        StoredEvent(
                            originator_id=UUID(str(row["originator_id"])),
                            originator_version=row["originator_version"],
                            topic=row["topic"],
                            state=bytes(row["state"]),
                        )
                    ),
                )
                for row in rows[start : start + DECODE_SLICE]
            )
        return out, last

    async def envelopes(
        self, after: int, limit: int, federation: str | None, scan_limit: int
    ) -> tuple[list[dict[str, Any]], int]:
        """Published envelopes after `after`, optionally of one federation.

        Returns them with the last sequence scanned, so a reader that got fewer than
        `limit` (or none) resumes from there without rescanning and without gaps."""
        found: list[dict[str, Any]] = []
        position = after
        scanned = 0
        while len(found) < limit and scanned < scan_limit:
            page = await self.page(position, min(1000, scan_limit - scanned))
            if not page:
                break
            for logged in page:
                position = logged.sequence
                scanned += 1
                envelope = self.envelope(logged)
                if envelope is None:
                    continue
                if federation is not None and envelope["federation"] != federation:
                    continue
                found.append(envelope)
                if len(found) == limit:
                    break
        return found, position


def _qualname(topic: str) -> str | None:
    """The event class's qualified name, as the mapper resolves the topic (renamed topics too);
    None when it cannot be resolved (the row is then decoded, and fails as it would have)."""
    try:
        return str(resolve_topic(topic).__qualname__)
    except TopicError:
        return None
