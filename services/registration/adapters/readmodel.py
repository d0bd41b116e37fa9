"""Registration's own read model: the tree as spans of dates, members and pledges, projected from
registration's event log in this process. The event store stays the source of truth; these tables
can be dropped and rebuilt from position 0 at any time.

A span row says where a unit (or member) sat from `valid_from` (inclusive) to `valid_to`
(exclusive, NULL while current). Changes are applied to the open spans, so they are assumed to
arrive in effective-date order per subtree (each aggregate refuses a change dated before its last).

Catch-up is set-wise: within a page, a maximal run of consecutive events of one kind that has a
set-wise form (registrations, state changes) is written with one statement; the rest (tree changes,
rare and order-sensitive) one at a time. Runs never reorder events: a run ends where another kind
begins, and within a run of updates the last change of each row wins, as it would one by one.

One event never stops the read model (and with it every list of every federation): a page that
fails on an event's fault (a value the database cannot store, such as a NUL an old deployment
stored; an event the tables do not expect) is applied again one event at a time, each in a
savepoint; the event that fails is applied with its unstorable characters replaced by U+FFFD, or
else left out, and recorded in `problems` (shared.messaging.problems), which /health counts. A correction
(`*-corrected`) renames the subject everywhere it is listed and marks its problems resolved."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from services.registration.adapters import activity_lists, member_pledge_lists, readmodel_tree, tree_lists
from services.registration.adapters.projection import Batch, Handler
from shared.messaging.eventlog import EventLog, LoggedEvent
from shared.messaging.problems import domain_problem, ensure_problems_table, record_problem
from shared.messaging.storable import EVENT_FAULTS, UNSTORABLE, storable_event

TABLES = ("rm_federations", "rm_units", "rm_members", "rm_pledges", *readmodel_tree.TABLES)
log = logging.getLogger("tdkt.registration.readmodel")
READER = "registration.readmodel"  # its rows in `problems`
DOMAIN = (
    "services.registration.domain.organisation",
    "services.registration.domain.members",
    "services.registration.domain.pledges",
    *activity_lists.MODULES,
)
SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS {s}.rm_position (id int PRIMARY KEY, position bigint NOT NULL);
INSERT INTO {s}.rm_position VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS {s}.rm_federations (
    code text PRIMARY KEY, name text NOT NULL, merged_into text, merged_on date);
CREATE TABLE IF NOT EXISTS {s}.rm_units (
    id bigserial PRIMARY KEY, federation text NOT NULL, code text NOT NULL, name text NOT NULL,
    kind text NOT NULL, parent text, path text[] NOT NULL, valid_from date NOT NULL, valid_to date);
CREATE INDEX IF NOT EXISTS rm_units_open ON {s}.rm_units (federation, code) WHERE valid_to IS NULL;
CREATE INDEX IF NOT EXISTS rm_units_fed ON {s}.rm_units (federation, code, valid_from);
CREATE TABLE IF NOT EXISTS {s}.rm_members (
    id bigserial PRIMARY KEY, home text NOT NULL, code text NOT NULL, full_name text NOT NULL,
    folded text NOT NULL, unit text NOT NULL, valid_from date, valid_to date);
CREATE INDEX IF NOT EXISTS rm_members_code ON {s}.rm_members (home, code);
CREATE INDEX IF NOT EXISTS rm_members_unit ON {s}.rm_members (unit) WHERE valid_to IS NULL;
CREATE TABLE IF NOT EXISTS {s}.rm_pledges (
    id uuid PRIMARY KEY, seq bigint NOT NULL, federation text NOT NULL, movement text NOT NULL,
    year int NOT NULL, award text NOT NULL, subject_kind text NOT NULL, subject_code text NOT NULL,
    subject_name text NOT NULL, unit text NOT NULL, path text[] NOT NULL, state text NOT NULL,
    pledged_on date NOT NULL);
CREATE INDEX IF NOT EXISTS rm_pledges_fed ON {s}.rm_pledges (federation, seq);
ALTER TABLE {s}.rm_pledges ALTER COLUMN award DROP NOT NULL;  -- a participation pledge names none
""" + readmodel_tree.SCHEMA_SQL


class ReadModel:
    def __init__(
        self,
        pool: asyncpg.Pool,
        schema: str,
        eventlog: EventLog,
        page_size: int = 1000,
        set_wise: bool = True,
    ) -> None:
        self.pool = pool
        self.s = f'"{schema}"'
        self.eventlog = eventlog
        self.page_size = page_size
        self.set_wise = set_wise  # False: every event through its one-at-a-time handler (the reference)
        self._lock = asyncio.Lock()
        # One table from event name to handler, and one of set-wise forms (adapters.projection):
        # consecutive events with one run key are applied together; events of one key must
        # commute except for last-wins per row.
        self.handlers: dict[str, Handler] = {
            **readmodel_tree.HANDLERS,
            **member_pledge_lists.HANDLERS,
            **activity_lists.HANDLERS,
        }
        self.batches: dict[str, tuple[str, Batch]] = {
            **tree_lists.BATCHES,
            **member_pledge_lists.BATCHES,
            **activity_lists.BATCHES,
        }

    async def migrate(self) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock(hashtext('registration-readmodel'))")
            try:
                await conn.execute(SCHEMA_SQL.format(s=self.s))
                await conn.execute(activity_lists.SCHEMA_SQL.format(s=self.s))
                await ensure_problems_table(conn, self.s.strip('"'))
            finally:
                await conn.execute("SELECT pg_advisory_unlock(hashtext('registration-readmodel'))")

    async def rebuild(self) -> int:
        """Empty the tables and project the whole log again (after a projection fix, or to check I3)."""
        async with self._lock, self.pool.acquire() as conn, conn.transaction():
            await conn.execute(f"SELECT position FROM {self.s}.rm_position WHERE id = 1 FOR UPDATE")
            tables = ", ".join(f"{self.s}.{t}" for t in (*TABLES, *activity_lists.TABLES))
            await conn.execute(f"TRUNCATE {tables}")
            await conn.execute(f"DELETE FROM {self.s}.problems WHERE reader = $1", READER)
            await conn.execute(f"UPDATE {self.s}.rm_position SET position = 0 WHERE id = 1")
        return await self.catch_up()

    async def run(self, stopping: asyncio.Event, interval: float = 0.5) -> None:
        """Keep the read model close to the log between reads (readers still catch up first)."""
        while not stopping.is_set():
            try:
                await self.catch_up()
            except Exception:  # the next read or round retries; the log is the truth
                log.warning("registration read model could not catch up", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), interval)

    async def catch_up(self) -> int:
        """Apply every event stored so far; returns the position reached. Readers call this first,
        so a list read right after a write sees the write."""
        async with self._lock:
            while True:
                async with self.pool.acquire() as conn, conn.transaction():
                    # The row lock keeps two processes from applying the same page twice.
                    position = await conn.fetchval(
                        f"SELECT position FROM {self.s}.rm_position WHERE id = 1 FOR UPDATE"
                    )
                    page = await self.eventlog.page(position, self.page_size)
                    if not page:
                        return int(position)
                    try:
                        async with conn.transaction():  # a savepoint: the page as it is
                            await self._apply(conn, page)
                    except EVENT_FAULTS:
                        await self._apply_carefully(conn, page)
                    await conn.execute(
                        f"UPDATE {self.s}.rm_position SET position = $1 WHERE id = 1", page[-1].sequence
                    )

    async def _apply(self, conn: Any, page: list[Any]) -> None:
        """Apply a page in order: runs of one set-wise kind together, everything else one by one."""
        run: list[tuple[Any, int]] = []
        run_key = ""
        run_apply: Batch = self._one_by_one
        for logged in page:
            cls = type(logged.domain_event)
            name = cls.__qualname__ if cls.__module__ in DOMAIN else ""
            if name not in self.handlers:
                continue  # not projected here: changes nothing, so it does not end a run
            batch = self.batches.get(name) if self.set_wise else None
            if run and (batch is None or batch[0] != run_key):
                await (run_apply if len(run) > 1 else self._one_by_one)(conn, self.s, run)
                run = []
            if batch is None:
                await self._one_by_one(conn, self.s, [(logged.domain_event, logged.sequence)])
            else:
                run_key, run_apply = batch
                run.append((logged.domain_event, logged.sequence))
        if run:
            await (run_apply if len(run) > 1 else self._one_by_one)(conn, self.s, run)

    async def _one_by_one(self, conn: Any, s: str, run: list[tuple[Any, int]]) -> None:
        for e, seq in run:
            await self.handlers[type(e).__qualname__](conn, s, e, seq)

    async def _apply_carefully(self, conn: Any, page: list[LoggedEvent]) -> None:
        """The page one event at a time, each in a savepoint: an event that fails is applied with
        its unstorable characters replaced, or else left out, and recorded as a problem."""
        for logged in page:
            e, seq = logged.domain_event, logged.sequence
            cls = type(e)
            name = cls.__qualname__ if cls.__module__ in DOMAIN else ""
            handler = self.handlers.get(name)
            if handler is None:
                continue
            try:
                async with conn.transaction():
                    await handler(conn, self.s, e, seq)
                continue
            except EVENT_FAULTS as exc:
                failure: BaseException = exc
            outcome = "skipped"
            cleaned = storable_event(e)
            if cleaned is not e and isinstance(failure, UNSTORABLE):
                try:
                    async with conn.transaction():
                        await handler(conn, self.s, cleaned, seq)
                    outcome = "replaced"
                except EVENT_FAULTS as exc:
                    failure = exc
            log.error(
                "registration read model: event %s at %d %s (%s)", name, seq, outcome, type(failure).__name__
            )
            problem = domain_problem("registration", seq, e, failure, outcome)
            await record_problem(conn, self.s.strip('"'), READER, problem)
