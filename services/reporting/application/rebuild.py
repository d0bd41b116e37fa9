"""Rebuilding the read models from the services' event feeds, and checking them.

A rebuild fills a fresh schema page by page (one transaction per page), then, holding the
schema lock every live consumer transaction takes shared, catches up to the feeds' heads and
renames the fresh schema into place. Live consumption pauses only for that last step; what
it delivers afterwards that the rebuild already applied is deduplicated by event id."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from services.reporting.adapters.projections import projector
from services.reporting.adapters.readmodels import SCHEMA_SQL, TABLES
from shared.consumer import SCHEMA_LOCK, apply_once, ensure_tracking_tables

CONSUMER = "reporting"
PAGE = 1000


@dataclass
class Feed:
    """One service's national event feed, read with a national token."""

    name: str
    url: str
    token: str
    position: int = 0

    async def page(self, client: httpx.AsyncClient) -> list[dict[str, Any]]:
        r = await client.get(
            f"{self.url}/v1/events",
            params={"after": self.position, "limit": PAGE},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        r.raise_for_status()
        body = r.json()
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


async def _drain(
    conn: asyncpg.Connection,
    client: httpx.AsyncClient,
    schema: str,
    feeds: list[Feed],
    project: Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]],
) -> int:
    applied = 0
    for feed in feeds:
        while True:
            events = await feed.page(client)
            if not events:
                break
            async with conn.transaction():
                for envelope in events:
                    applied += await apply_once(conn, schema, CONSUMER, envelope, project)
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
        async with httpx.AsyncClient(timeout=60) as client:
            outcome.applied = await _drain(conn, client, target, feeds, project)
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
