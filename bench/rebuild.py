"""Rebuilding reporting's read models from the feeds, beside a raw keyset scan of the same log;
and the nation data set, which is generated as envelopes and fed to reporting through the same
rebuild path (no service store holds it: see the README's Benchmark section)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import orjson

from bench.generate import Envelopes, Federation, history_events, nation, organisation_events
from bench.measure import latency, rate
from services.reporting.application.rebuild import Feed, rebuild

LOG_SCHEMA = "bench_log"


async def from_feeds(database_url: str, feeds: list[Feed], target: str) -> dict[str, Any]:
    outcome = await rebuild(database_url, "reporting", feeds, swap=False, target=target)
    return {
        "events_per_s": rate(outcome.applied, outcome.seconds),
        "events": outcome.applied,
        "seconds": round(outcome.seconds, 2),
    }


async def feed_only(feed: Feed) -> dict[str, Any]:
    """Pages through a feed without applying anything: the ceiling a rebuild from it can reach."""
    events = 0
    async with httpx.AsyncClient(timeout=60) as client:
        started = time.perf_counter()
        for _ in range(100_000):  # bounded: 100 million events
            page = await feed.page(client)
            if not page:
                break
            events += len(page)
        seconds = time.perf_counter() - started
    return {"events_per_s": rate(events, seconds), "events": events, "seconds": round(seconds, 2)}


class TableFeed(Feed):
    """A feed served page by page from a table of envelopes in log order."""

    def __init__(self, name: str, conn: asyncpg.Connection, table: str) -> None:
        super().__init__(name, "", "")
        self.conn = conn
        self.sql = (
            f"SELECT notification_id, envelope FROM {table} WHERE notification_id > $1 "
            "ORDER BY notification_id LIMIT 1000"
        )

    async def page(self, client: httpx.AsyncClient) -> list[dict[str, Any]]:
        rows = await self.conn.fetch(self.sql, self.position)
        if rows:
            self.position = rows[-1]["notification_id"]
        # Decoded as the rebuild decodes an HTTP feed's body (orjson).
        return [orjson.loads(r["envelope"]) for r in rows]


def nation_events(seed: int, members: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(source, envelope) of the nation profile: every federation's tree, then ten years of
    ratings and grants for 90 % of its members."""
    rng = random.Random(seed + 1)
    env = Envelopes()
    feds: list[Federation] = nation(seed, members)
    for fed in feds:
        for e in organisation_events(env, fed):
            yield "registration", e
    for fed in feds:
        rated = [m for m in fed.members if rng.random() < 0.9]
        for e in history_events(env, rng, fed, rated):
            yield "awards", e


async def write_nation_log(database_url: str, seed: int, members: int) -> dict[str, Any]:
    """Stores the generated envelopes in two log tables (one per source), by COPY."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {LOG_SCHEMA}")
        counts: dict[str, int] = {}
        buffers: dict[str, list[tuple[int, str]]] = {"registration": [], "awards": []}
        for source in buffers:
            await conn.execute(
                f"DROP TABLE IF EXISTS {LOG_SCHEMA}.{source}; CREATE TABLE {LOG_SCHEMA}.{source} "
                "(notification_id bigint PRIMARY KEY, envelope text NOT NULL)"
            )
        started = time.perf_counter()

        async def flush(source: str) -> None:
            await conn.copy_records_to_table(source, schema_name=LOG_SCHEMA, records=buffers[source])
            buffers[source] = []

        for source, envelope in nation_events(seed, members):
            counts[source] = int(envelope["sequence"])
            buffers[source].append((counts[source], json.dumps(envelope, ensure_ascii=False)))
            if len(buffers[source]) >= 10_000:
                await flush(source)
        for source in buffers:
            await flush(source)
        await conn.execute(f"ANALYZE {LOG_SCHEMA}.registration; ANALYZE {LOG_SCHEMA}.awards")
        return {
            "events": sum(counts.values()),
            "by_source": counts,
            "seconds": round(time.perf_counter() - started, 1),
        }
    finally:
        await conn.close()


async def nation_rebuild(database_url: str) -> dict[str, Any]:
    conn = await asyncpg.connect(database_url)
    try:
        feeds: list[Feed] = [TableFeed(s, conn, f"{LOG_SCHEMA}.{s}") for s in ("registration", "awards")]
        return await from_feeds(database_url, feeds, target="reporting")
    finally:
        await conn.close()


async def sample_subjects(database_url: str, n: int, seed: int) -> tuple[list[tuple[str, str]], list[str]]:
    """Members that have a history (ratings, grants), and the federations, to read back."""
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT federation, subject_code FROM reporting.grants "
            "WHERE subject_kind = 'member' ORDER BY 1, 2 LIMIT 20000"
        )
        feds = [r["code"] for r in await conn.fetch("SELECT code FROM reporting.federations ORDER BY code")]
    finally:
        await conn.close()
    rng = random.Random(seed)
    picked = rng.sample(rows, min(n, len(rows)))
    return [(r["federation"], r["subject_code"]) for r in picked], feds


async def reads(
    url: str,
    token: str,
    members: list[tuple[str, str]],
    federations: list[str],
    years: list[int],
    n: int,
    seed: int,
) -> dict[str, Any]:
    """p50/p99 of a member's history and of a federation's yearly awards report (one client)."""
    rng = random.Random(seed)
    history: list[float] = []
    report: list[float] = []
    async with httpx.AsyncClient(
        base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60
    ) as http:
        for i in range(n + 10):  # the first ten warm the connection and the caches, not timed
            fed, code = members[i % len(members)]
            t = time.perf_counter()
            r = await http.get(f"/v1/federations/{fed}/history/member/{code}")
            if i >= 10:
                history.append(time.perf_counter() - t)
            r.raise_for_status()
            fed, year = rng.choice(federations), rng.choice(years)
            t = time.perf_counter()
            r = await http.get(f"/v1/federations/{fed}/reports/awards", params={"year": year})
            if i >= 10:
                report.append(time.perf_counter() - t)
            r.raise_for_status()

    return {"history": latency(history), "report": latency(report)}
