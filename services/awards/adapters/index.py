"""Lists of awards' own nominations and grants, projected from its own log for paging.

Tails the notification log (safe by id, see shared/messaging/eventlog.py) from a saved position and
applies each page in one transaction with the new position. Every write is an upsert guarded
by the event's sequence, so two processes running the loop at once converge. A page that fails
on an event's fault (a value the database cannot store, such as a NUL an old deployment stored)
goes again one event at a time: that event is applied with U+FFFD in place of what cannot be
stored, or else left out, and recorded in `problems` (shared.messaging.tracking), so it never stops the
lists. How each event changes the lists is the table `HANDLERS` at the end, one handler per
event class."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import asyncpg

from shared.messaging.eventlog import EventLog, LoggedEvent
from shared.messaging.tracking import (
    EVENT_FAULTS,
    UNSTORABLE,
    domain_problem,
    ensure_problems_table,
    record_problem,
    storable_event,
)

log = logging.getLogger("tdkt.awards.index")
READER = "awards.index"  # its rows in `problems`

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS "{s}".index_position (id int PRIMARY KEY, sequence bigint NOT NULL);
CREATE TABLE IF NOT EXISTS "{s}".nomination_index (
    nomination uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    subject_kind text NOT NULL, subject_code text NOT NULL, subject_name text NOT NULL,
    unit text NOT NULL, unit_path text[] NOT NULL, award text NOT NULL, year int NOT NULL,
    eligible boolean NOT NULL, upward boolean NOT NULL, state text NOT NULL,
    passed boolean, forwarded_to text, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS nomination_index_list ON "{s}".nomination_index (federation, year, since);
CREATE INDEX IF NOT EXISTS nomination_index_forwarded ON "{s}".nomination_index (since)
    WHERE forwarded_to IS NOT NULL;
CREATE TABLE IF NOT EXISTS "{s}".grant_index (
    grant_id uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    subject_kind text NOT NULL, subject_code text NOT NULL, subject_name text NOT NULL,
    unit text NOT NULL, unit_path text[] NOT NULL, award text NOT NULL, level text NOT NULL,
    year int NOT NULL, decision_number text NOT NULL, source text NOT NULL, nomination text,
    revoked_on date, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS grant_index_list ON "{s}".grant_index (federation, year, since);
ALTER TABLE "{s}".grant_index ADD COLUMN IF NOT EXISTS decision uuid;
CREATE INDEX IF NOT EXISTS grant_index_decision ON "{s}".grant_index (decision);
CREATE INDEX IF NOT EXISTS grant_index_nomination ON "{s}".grant_index (nomination)
    WHERE nomination IS NOT NULL;
CREATE TABLE IF NOT EXISTS "{s}".council_index (
    council uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    code text NOT NULL, name text NOT NULL, year int NOT NULL, meets_on date NOT NULL,
    secret_ballot boolean NOT NULL, members jsonb NOT NULL, nominations text[] NOT NULL,
    resolved boolean NOT NULL, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS council_index_list ON "{s}".council_index (federation, since);
CREATE TABLE IF NOT EXISTS "{s}".decision_index (
    decision uuid PRIMARY KEY, federation text NOT NULL, since bigint NOT NULL,
    authority text NOT NULL, number text NOT NULL, signed_on date NOT NULL, signer text NOT NULL,
    year int NOT NULL, title text NOT NULL, sequence bigint NOT NULL);
CREATE INDEX IF NOT EXISTS decision_index_list ON "{s}".decision_index (federation, since);
"""
# Tables added after a deployment's index had already passed their events: created empty, so the
# index is tailed again from the start (every write is guarded by the event's sequence, so the
# lists already there are unchanged) and the new ones fill.
LATER_TABLES = ("council_index", "decision_index")

NOMINATION_COLUMNS = (
    "nomination, federation, since, subject_kind, subject_code, subject_name, unit, unit_path, "
    "award, year, eligible, upward, state, passed, forwarded_to"
)
GRANT_COLUMNS = (
    "grant_id, federation, since, subject_kind, subject_code, subject_name, unit, unit_path, award, "
    "level, year, decision_number, source, nomination, revoked_on, decision"
)
COUNCIL_COLUMNS = (
    "council, federation, since, code, name, year, meets_on, secret_ballot, members, nominations"
)
DECISION_COLUMNS = "decision, federation, since, authority, number, signed_on, signer, year, title"


class Index:
    def __init__(self, pool: asyncpg.Pool, schema: str, eventlog: EventLog) -> None:
        self.pool = pool
        self.s = schema
        self.eventlog = eventlog

    async def create_tables(self) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            exists = "SELECT to_regclass($1) IS NOT NULL"
            missing = [t for t in LATER_TABLES if not await conn.fetchval(exists, f'"{self.s}".{t}')]
            had_index = await conn.fetchval(exists, f'"{self.s}".index_position')
            await conn.execute(SCHEMA_SQL.format(s=self.s))
            if missing and had_index:
                log.warning("index: new lists %s; tailing the log again from the start", missing)
                await conn.execute(f'UPDATE "{self.s}".index_position SET sequence = 0')
        await ensure_problems_table(self.pool, self.s)

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
        page = await self.eventlog.page(position, page_size)
        if not page:
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
                page[-1].sequence,
            )
        return len(page)

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
        handler = HANDLERS.get(type(logged.domain_event).__qualname__)
        if handler is not None:
            await handler(conn, self.s, logged.domain_event, logged.sequence)

    async def nominations(
        self,
        federation: str,
        filters: dict[str, Any],
        after: int,
        limit: int,
        within: tuple[str, ...] = (),
        stage: dict[str, Any] | None = None,
        total: bool = False,
    ) -> dict[str, Any]:
        """`stage`: `outcome` (pending: no council resolved it; passed; failed), `on_open_council`
        (on a council still voting, or not), `granted` (a grant not revoked names it, or not).
        `total`: also how many match on every page, counted here."""
        return await self._list(
            "nomination_index",
            NOMINATION_COLUMNS,
            federation,
            filters,
            after,
            limit,
            within,
            self._stage(stage or {}),
            total,
        )

    def _stage(self, stage: dict[str, Any]) -> list[str]:
        n = f'"{self.s}".nomination_index.nomination'
        out = []
        outcome = {"pending": "passed IS NULL", "passed": "passed IS TRUE", "failed": "passed IS FALSE"}
        if stage.get("outcome") is not None:
            out.append(outcome[stage["outcome"]])
        if stage.get("on_open_council") is not None:
            on = (
                f'EXISTS (SELECT 1 FROM "{self.s}".council_index c WHERE c.federation = $1 '
                f"AND NOT c.resolved AND {n}::text = ANY(c.nominations))"
            )
            out.append(on if stage["on_open_council"] else f"NOT {on}")
        if stage.get("granted") is not None:
            granted = (
                f'EXISTS (SELECT 1 FROM "{self.s}".grant_index g WHERE g.nomination = {n}::text '
                "AND g.federation = $1 AND g.revoked_on IS NULL)"
            )
            out.append(granted if stage["granted"] else f"NOT {granted}")
        return out

    async def forwarded(self, filters: dict[str, Any], after: int, limit: int) -> dict[str, Any]:
        """Nominations forwarded upward from every federation (national staff's list), in the
        order they were submitted; `to` narrows to one level (national or state)."""
        where, args = ["forwarded_to IS NOT NULL", "since > $1"], [after]
        for column, value in filters.items():
            if value is not None:
                args.append(value)
                where.append(f"{column} = ${len(args)}")
        args.append(limit)
        rows = await self.pool.fetch(
            f'SELECT {NOMINATION_COLUMNS} FROM "{self.s}".nomination_index WHERE {" AND ".join(where)} '
            f"ORDER BY since LIMIT ${len(args)}",
            *args,
        )
        items = [{k: (str(v) if k == "nomination" else v) for k, v in r.items()} for r in rows]
        return {"items": items, "next_after": rows[-1]["since"] if len(rows) == limit else None}

    async def grants(
        self, federation: str, filters: dict[str, Any], after: int, limit: int, within: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        return await self._list("grant_index", GRANT_COLUMNS, federation, filters, after, limit, within)

    async def councils(
        self,
        federation: str,
        year: int | None,
        member: str | None,
        resolved: bool | None,
        after: int,
        limit: int,
    ) -> dict[str, Any]:
        """A page of councils in the order convened; `member`: only those the user sits on."""
        where, args = ["federation = $1", "since > $2"], [federation, after]
        if year is not None:
            args.append(year)
            where.append(f"year = ${len(args)}")
        if member is not None:
            args.append(json.dumps([{"user": member}]))
            where.append(f"members @> ${len(args)}::jsonb")
        if resolved is not None:
            args.append(resolved)
            where.append(f"resolved = ${len(args)}")
        args.append(limit)
        rows = await self.pool.fetch(
            f'SELECT {COUNCIL_COLUMNS}, resolved FROM "{self.s}".council_index WHERE {" AND ".join(where)} '
            f"ORDER BY since LIMIT ${len(args)}",
            *args,
        )
        items = [
            {**{k: v for k, v in r.items() if k not in ("council", "since")}, "id": str(r["council"]),
             "members": json.loads(r["members"])}
            for r in rows
        ]  # fmt: skip
        return {"items": items, "next_after": rows[-1]["since"] if len(rows) == limit else None}

    async def decisions(
        self, federation: str, year: int | None, after: int, limit: int, within: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """A page of decisions in the order issued, with how many grants each made and how many
        of them are revoked; `within`: a unit path, only decisions (and grants) of that subtree."""
        where, args = ["d.federation = $1", "d.since > $2"], [federation, after]
        inside = ""
        if within:
            args.append(list(within))
            inside = f" AND g.unit_path[1:{len(within)}] = ${len(args)}::text[]"
        if year is not None:
            args.append(year)
            where.append(f"d.year = ${len(args)}")
        args.append(limit)
        counts = (
            f'SELECT count(*) AS grants, count(g.revoked_on) AS revoked FROM "{self.s}".grant_index g '
            f"WHERE g.decision = d.decision{inside}"
        )
        rows = await self.pool.fetch(
            f"SELECT d.decision, d.since, d.authority, d.number, d.signed_on, d.signer, d.year, d.title, "
            f'c.grants, c.revoked FROM "{self.s}".decision_index d CROSS JOIN LATERAL ({counts}) c '
            f"WHERE {' AND '.join(where)}{' AND c.grants > 0' if within else ''} "
            f"ORDER BY d.since LIMIT ${len(args)}",
            *args,
        )
        items = [
            {**{k: v for k, v in r.items() if k not in ("decision", "since")}, "id": str(r["decision"])}
            for r in rows
        ]
        return {"items": items, "next_after": rows[-1]["since"] if len(rows) == limit else None}

    async def _list(
        self,
        table: str,
        columns: str,
        federation: str,
        filters: dict[str, Any],
        after: int,
        limit: int,
        within: tuple[str, ...],
        conditions: list[str] | None = None,
        total: bool = False,
    ) -> dict[str, Any]:
        """A page in the order of creation; `next_after` is the cursor of the next page.
        `within`: a unit path; only subjects of that subtree. `conditions`: SQL of our own,
        without values of the caller's (they may use $1, the federation)."""
        where, args = ["federation = $1", "since > $2", *(conditions or [])], [federation, after]
        if within:
            args.append(list(within))
            where.append(f"unit_path[1:{len(within)}] = ${len(args)}::text[]")
        for column, value in filters.items():
            if value is not None:
                args.append(value)
                where.append(f"{column} = ${len(args)}")
        args.append(limit)
        rows = await self.pool.fetch(
            f'SELECT {columns} FROM "{self.s}".{table} WHERE {" AND ".join(where)} '
            f"ORDER BY since LIMIT ${len(args)}",
            *args,
        )
        # uuids as strings; a grant without a nomination has null
        ids = ("nomination", "grant_id", "decision")
        items = [{k: (str(v) if k in ids and v is not None else v) for k, v in r.items()} for r in rows]
        after_last = rows[-1]["since"] if len(rows) == limit else None
        page: dict[str, Any] = {"items": items, "next_after": after_last}
        if total:  # every page's: the same conditions from the start (since > 0)
            count = f'SELECT count(*) FROM "{self.s}".{table} WHERE {" AND ".join(where)}'
            page["total"] = await self.pool.fetchval(count, federation, 0, *args[2:-1])
        return page


# -- how each of awards' own events changes the lists: a table from the event's class to a handler

Handler = Callable[[asyncpg.Connection, str, Any, int], Awaitable[None]]


def _nomination_update(s: str, change: str) -> str:
    t = f'"{s}".nomination_index'
    return f"UPDATE {t} SET {change}, sequence = $2 WHERE nomination = $1 AND {t}.sequence < $2"


async def nomination_submitted(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f'INSERT INTO "{s}".nomination_index ({NOMINATION_COLUMNS}, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'submitted', NULL, NULL, $3) "
        "ON CONFLICT (nomination) DO NOTHING",
        e.originator_id, e.federation, seq, e.subject_kind, e.subject_code, e.subject_name,
        e.unit, e.unit_path, e.award, e.year, e.eligible, e.upward,
    )  # fmt: skip


async def nomination_withdrawn(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_nomination_update(s, "state = 'withdrawn'"), e.originator_id, seq)


async def nomination_forwarded(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_nomination_update(s, "forwarded_to = $3"), e.originator_id, seq, e.to)


async def nomination_resolved(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(_nomination_update(s, "passed = $3"), e.originator_id, seq, bool(e.result["passed"]))


async def award_granted(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    # A row listed before grants carried their decision gains it when the log is tailed again.
    await conn.execute(
        f'INSERT INTO "{s}".grant_index ({GRANT_COLUMNS}, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULL, $15, $3) "
        "ON CONFLICT (grant_id) DO UPDATE SET decision = EXCLUDED.decision "
        f'WHERE "{s}".grant_index.decision IS NULL',
        e.originator_id, e.federation, seq, e.subject_kind, e.subject_code, e.subject_name,
        e.unit, e.unit_path, e.award, e.level, e.year, e.decision_number, e.source,
        getattr(e, "nomination", None), _decision_key(getattr(e, "decision_id", None)),
    )  # fmt: skip


def _decision_key(value: str | None) -> UUID | None:
    """The grant's decision as the list keys it. Grants record their decision's id (a UUID); a
    stored grant whose id is anything else (an older deployment's) is still listed, without the
    link to its decision, rather than skipped."""
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


async def award_revoked(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    t = f'"{s}".grant_index'
    await conn.execute(
        f"UPDATE {t} SET revoked_on = $3, sequence = $2 WHERE grant_id = $1 AND {t}.sequence < $2",
        e.originator_id,
        seq,
        e.revoked_on,
    )


async def council_convened(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f'INSERT INTO "{s}".council_index ({COUNCIL_COLUMNS}, resolved, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, false, $3) ON CONFLICT (council) DO NOTHING",
        e.originator_id, e.federation, seq, e.code, e.name, e.year, e.meets_on, e.secret_ballot,
        json.dumps(e.members), [a["nomination"] for a in e.agenda],
    )  # fmt: skip


async def council_resolved(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    t = f'"{s}".council_index'
    await conn.execute(
        f"UPDATE {t} SET resolved = true, sequence = $2 WHERE council = $1 AND {t}.sequence < $2",
        e.originator_id,
        seq,
    )


async def decision_issued(conn: asyncpg.Connection, s: str, e: Any, seq: int) -> None:
    await conn.execute(
        f'INSERT INTO "{s}".decision_index ({DECISION_COLUMNS}, sequence) VALUES '
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $3) ON CONFLICT (decision) DO NOTHING",
        e.originator_id, e.federation, seq, e.authority, e.number, e.signed_on, e.signer, e.year,
        e.title or "",
    )  # fmt: skip


HANDLERS: dict[str, Handler] = {
    "Nomination.Submitted": nomination_submitted,
    "Nomination.Withdrawn": nomination_withdrawn,
    "Nomination.Forwarded": nomination_forwarded,
    "Nomination.Resolved": nomination_resolved,
    "Grant.Granted": award_granted,
    "Grant.Revoked": award_revoked,
    "Council.Convened": council_convened,
    "Council.Resolved": council_resolved,
    "Decision.Issued": decision_issued,
}
