"""Lists of awards' own nominations and grants, projected from its own log for paging.

Tails the notification log (safe by id, see shared/messaging/eventlog.py) from a saved position and
applies each page in one transaction with the new position; events of the classes no list is made
of (`LISTED`: ratings, histories, catalogues…) are passed over undecoded. Every write is an upsert guarded
by the event's sequence, so two processes running the loop at once converge. A page that fails
on an event's fault (a value the database cannot store, such as a NUL an old deployment stored)
goes again one event at a time: that event is applied with U+FFFD in place of what cannot be
stored, or else left out, and recorded in `problems` (shared.messaging.problems), so it never stops the
lists. The tables are in adapters/index_tables.py; how each event changes them is the table
`HANDLERS` of adapters/index_handlers.py, one handler per event class; the pages read from them
are adapters/index_lists.py's, `Index.lists`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from uuid import UUID

import asyncpg

from services.awards.adapters.index_handlers import HANDLERS
from services.awards.adapters.index_lists import IndexLists
from services.awards.adapters.index_tables import LATER_TABLES, SCHEMA_SQL
from shared.messaging.eventlog import EventLog, LoggedEvent
from shared.messaging.problems import domain_problem, record_problem
from shared.messaging.storable import EVENT_FAULTS, UNSTORABLE, storable_event

log = logging.getLogger("tdkt.awards.index")
READER = "awards.index"  # its rows in `problems`
LISTED = frozenset({*HANDLERS, "Grant.Granted"})  # the events the lists are made of; others are passed over


class Index:
    def __init__(
        self, pool: asyncpg.Pool, schema: str, eventlog: EventLog, code_of: Callable[[str], str]
    ) -> None:
        self.pool = pool
        self.s = schema
        self.eventlog = eventlog
        self.code_of = code_of  # a grant's verification code (domain/verification.py) by its id
        self.lists = IndexLists(pool, schema)  # the pages read from the tables this fills

    async def create_tables(self) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            exists = "SELECT to_regclass($1) IS NOT NULL"
            missing = [t for t in LATER_TABLES if not await conn.fetchval(exists, f'"{self.s}".{t}')]
            had_index = await conn.fetchval(exists, f'"{self.s}".index_position')
            await conn.execute(SCHEMA_SQL.format(s=self.s))
            if missing and had_index:
                log.warning("index: new lists %s; tailing the log again from the start", missing)
                await conn.execute(f'UPDATE "{self.s}".index_position SET sequence = 0')

    async def grant_of_code(self, code: str) -> UUID | None:
        """The grant a verification code was made for, if any (codes are listed once projected)."""
        found = await self.pool.fetchval(f'SELECT grant_id FROM "{self.s}".grant_code WHERE code = $1', code)
        return found if isinstance(found, UUID) else None

    async def run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                applied = await self.catch_up()
            except Exception:  # a database outage: try again, never skip
                log.exception("index: cannot apply; retrying")
                applied = 0
            if not applied:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), 0.2)

    async def catch_up(self, page_size: int = 500) -> int:
        position = int(
            await self.pool.fetchval(f'SELECT sequence FROM "{self.s}".index_position WHERE id = 1') or 0
        )
        page, last = await self.eventlog.tail(position, page_size, only=LISTED)
        if last == position:
            return 0
        async with self.pool.acquire() as conn, conn.transaction():
            try:
                async with conn.transaction():  # a savepoint: the page as it is
                    for logged in page:
                        await self.apply(conn, logged)
            except EVENT_FAULTS:
                await self._apply_carefully(conn, page)
            await conn.execute(
                f'INSERT INTO "{self.s}".index_position VALUES (1, $1) ON CONFLICT (id) DO UPDATE '
                f'SET sequence = GREATEST("{self.s}".index_position.sequence, EXCLUDED.sequence)',
                last,
            )
        return last - position

    async def _apply_carefully(self, conn: asyncpg.Connection, page: list[LoggedEvent]) -> None:
        for logged in page:
            try:
                async with conn.transaction():
                    await self.apply(conn, logged)
                continue
            except EVENT_FAULTS as exc:
                failure: BaseException = exc
            outcome = "skipped"
            cleaned = storable_event(logged.domain_event)
            if cleaned is not logged.domain_event and isinstance(failure, UNSTORABLE):
                try:
                    async with conn.transaction():
                        await self.apply(conn, LoggedEvent(logged.sequence, cleaned))
                    outcome = "replaced"
                except EVENT_FAULTS as exc:
                    failure = exc
            what = type(logged.domain_event).__qualname__
            log.error("index: event %s at %d %s (%s)", what, logged.sequence, outcome, type(failure).__name__)
            problem = domain_problem("awards", logged.sequence, logged.domain_event, failure, outcome)
            await record_problem(conn, self.s, READER, problem)

    async def apply(self, conn: asyncpg.Connection, logged: LoggedEvent) -> None:
        name = type(logged.domain_event).__qualname__
        handler = HANDLERS.get(name)
        if handler is not None:
            await handler(conn, self.s, logged.domain_event, logged.sequence)
        if name == "Grant.Granted":
            grant_id = logged.domain_event.originator_id
            await conn.execute(
                f'INSERT INTO "{self.s}".grant_code VALUES ($1, $2) ON CONFLICT (code) DO NOTHING',
                self.code_of(str(grant_id)),
                grant_id,
            )
