"""A cache of aggregates checked against the log: the stored events of long-lived aggregates
(federations, units, movements), kept between commands so a pledge does not read its
federation, movement and unit path every time.

An entry is used only after a check made after the command arrived: one statement reads the
notification log's changes since the last check (and its head) together with the aggregates
to load, all in one snapshot; every aggregate changed since is dropped first. So what a command
sees is as current as a fresh read, whoever wrote the change (another API process, a bulk list).

The log is safe to tail by notification id: the recorder inserts under an EXCLUSIVE table lock,
so ids commit in order and a snapshot holds every id up to its head (docs/guarantees.md, I3)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Federation, Unit

KEPT = tuple(get_topic(cls) + "." for cls in (Federation, Unit, Movement))
MAX_ENTRIES = 20_000
MAX_CHANGES = 2_000  # more changes than this since the last check: start afresh
T = TypeVar("T")


class ByVersion(Generic[T]):
    """What is built from an aggregate's stored events (the aggregate, a member's facts), kept
    by its id and last version between commands: the stored events up to a version never
    change, so neither does what is built from them. Emptied when `limit` entries are held."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: dict[Any, tuple[int, T]] = {}

    def get(self, ident: Any, version: int, build: Callable[[], T | None]) -> T | None:
        entry = self.kept.get(ident)
        if entry is not None and entry[0] == version:
            return entry[1]
        built = build()
        if built is not None:
            if len(self.kept) >= self.limit:
                self.kept.clear()
            self.kept[ident] = (version, built)
        return built


class AggregateCache:
    def __init__(self, schema: str, table: str) -> None:
        self._entries: dict[UUID, list[StoredEvent]] = {}
        self._position: int | None = None  # every change up to here has been dropped
        self._lock = threading.Lock()
        ident = {"schema": Identifier(schema), "table": Identifier(table)}
        # k = 0: a change since the position; 1: a stored event to load; 2: the log's head.
        # Rendered once: psycopg renders a Composed query again on every execution.
        self.statement: str = (
            SQL(
                "(SELECT 0 AS k, notification_id AS n, originator_id, NULL::bigint AS v, "
                "NULL::text AS topic, NULL::bytea AS state FROM {schema}.{table} "
                "WHERE notification_id > %(after)s ORDER BY notification_id LIMIT %(most)s) "
                "UNION ALL (SELECT 1, notification_id, originator_id, originator_version, topic, state "
                "FROM {schema}.{table} WHERE originator_id = ANY(%(ids)s::uuid[])) "
                "UNION ALL (SELECT 2, coalesce(max(notification_id), 0), NULL, NULL, NULL, NULL "
                "FROM {schema}.{table})"
            )
            .format(**ident)
            .as_string(None)
        )

    def kept(self, ids: Iterable[UUID]) -> dict[UUID, list[StoredEvent]]:
        """The entries kept for `ids`, without a check: current only for a caller that has made
        a check (`read`) since it began. Every entry is complete up to the position, and the
        position is at least the head that caller's check saw."""
        with self._lock:
            return {i: self._entries[i] for i in ids if i in self._entries}

    def read(self, conn: Any, ids: Iterable[UUID]) -> dict[UUID, list[StoredEvent]]:
        """The current stored events of `ids` (an empty list: none), from the kept entries once
        checked against the log, else from the store."""
        wanted = list(dict.fromkeys(ids))
        with self._lock:
            after = self._position
            kept = {i: self._entries[i] for i in wanted if i in self._entries} if after is not None else {}
        to_load = [i for i in wanted if i not in kept]
        # Tuples: a dict row looks up its column names through libpq on every execution.
        with conn.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(
                self.statement,
                {
                    # No position yet: no changes wanted, only the head (everything is loaded).
                    "after": after if after is not None else 2**62,
                    "most": MAX_CHANGES + 1,
                    "ids": "{" + ",".join(map(str, to_load)) + "}",
                },
                prepare=True,
            )
            rows = cursor.fetchall()
        changed: set[UUID] = set()
        loaded: dict[UUID, list[StoredEvent]] = {i: [] for i in to_load}
        head = 0
        for k, n, ident, v, topic, state in rows:
            if ident is not None and not isinstance(ident, UUID):
                ident = UUID(str(ident))
            if k == 0:
                changed.add(ident)
            elif k == 1:
                loaded[ident].append(StoredEvent(ident, v, topic, bytes(state)))
            else:
                head = int(n)
        for events in loaded.values():
            events.sort(key=lambda e: e.originator_version)
        # This snapshot's changes cover (after, head] unless there were too many to list.
        complete = after is not None and len(changed) <= MAX_CHANGES
        with self._lock:
            if self._position is None or head > self._position:
                if not complete or len(self._entries) > MAX_ENTRIES:
                    self._entries.clear()
                else:  # after <= the position: these changes cover (position, head]
                    for ident in changed:
                        self._entries.pop(ident, None)
                self._position = head
            if head == self._position:  # loaded entries are complete up to the position
                for ident, events in loaded.items():
                    if events and events[0].topic.startswith(KEPT):
                        self._entries[ident] = events
        out = dict(loaded)
        stale = []
        for ident, events in kept.items():
            if complete and ident not in changed:
                out[ident] = events
            else:
                stale.append(ident)
        if stale:  # changed since kept: read again (now dropped, or kept anew after a check)
            out.update(self.read(conn, stale))
        return out
