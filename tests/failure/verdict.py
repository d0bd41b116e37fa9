"""The set comparisons after a fault: stored vs acknowledged, published vs stored, projected vs
stored, and the live read models against a rebuild."""

from __future__ import annotations

import asyncio
import collections
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg
import httpx

from tests.failure.harness import ADMIN, Stack
from tests.failure.workload import Ledger
from tests.support import SECRET


def business_key(envelope: dict[str, Any]) -> tuple[str, str, str]:
    name = envelope["type"].split(".")[2]
    data = envelope["data"]
    code = data.get("subject_code") or data.get("code")
    if name == "federation-created":
        code = envelope["federation"]
    return (envelope["federation"], name, str(code or ""))


async def stored(stack: Stack) -> list[dict[str, Any]]:
    """Every published-contract event the services stored, read through their national feeds."""
    out: list[dict[str, Any]] = []
    async with httpx.AsyncClient(timeout=30) as http:
        for name in ("registration", "awards"):
            if name not in stack.processes:
                continue
            after = 0
            while True:
                r = await http.get(
                    f"{stack.url(name)}/v1/events", params={"after": after, "limit": 1000}, headers=ADMIN
                )
                r.raise_for_status()
                body = r.json()
                out.extend(body["events"])
                if body["next_after"] == after:
                    break
                after = body["next_after"]
    return out


class DurableTap:
    """A durable quorum queue bound to everything on the test's exchange, declared before the
    workload: it survives broker restarts, so it sees every message the broker confirmed."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.name = f"{stack.tag}.tap"
        self.ids: list[str] = []

    async def declare(self) -> None:
        connection = await aio_pika.connect(self.stack.rabbit.url)
        async with connection:
            channel = await connection.channel()
            exchange = await channel.declare_exchange(self.stack.exchange, "topic", durable=True)
            queue = await channel.declare_queue(self.name, durable=True, arguments={"x-queue-type": "quorum"})
            await queue.bind(exchange, "#")

    async def collect(self) -> list[str]:
        """Everything in the tap so far (appended to `ids`)."""
        connection = await aio_pika.connect(self.stack.rabbit.url)
        async with connection:
            channel = await connection.channel()
            queue = await channel.declare_queue(self.name, passive=True)
            while True:
                message = await queue.get(no_ack=True, fail=False, timeout=10)
                if message is None:
                    break
                self.ids.append(json.loads(message.body)["id"])
        return self.ids


async def projected(stack: Stack) -> list[str]:
    conn = await asyncpg.connect(stack.database_url)
    try:
        rows = await conn.fetch(
            "SELECT event_id::text FROM reporting.processed_events WHERE consumer = 'reporting'"
        )
    finally:
        await conn.close()
    return [r["event_id"] for r in rows]


@dataclass
class Comparison:
    what: str
    lost: set[str]
    duplicated: dict[str, int]
    unexpected: set[str]

    def report(self) -> str:
        return (
            f"{self.what}: lost={len(self.lost)} duplicated={len(self.duplicated)} "
            f"unexpected={len(self.unexpected)}"
            + (f"\n  lost ids: {sorted(self.lost)[:20]}" if self.lost else "")
            + (f"\n  duplicated ids: {sorted(self.duplicated.items())[:20]}" if self.duplicated else "")
            + (f"\n  unexpected ids: {sorted(self.unexpected)[:20]}" if self.unexpected else "")
        )


def compare(what: str, expected: Iterable[Any], seen: list[Any]) -> Comparison:
    counts = collections.Counter(seen)
    want = set(expected)
    return Comparison(
        what,
        lost=want - set(counts),
        duplicated={k: v for k, v in counts.items() if v > 1},
        unexpected=set(counts) - want,
    )


@dataclass
class Verdict:
    stored: list[dict[str, Any]]
    acknowledged: Comparison
    published: Comparison
    projected: Comparison

    def print(self) -> None:
        print(f"\nstored events: {len(self.stored)}")
        for c in (self.acknowledged, self.published, self.projected):
            print(c.report())


async def drain_and_compare(
    stack: Stack, ledger: Ledger, tap: DurableTap | None, timeout: float = 120, project: bool = True
) -> Verdict:
    """Wait until the bus and the read models caught up with the store, then compare sets."""
    deadline = time.monotonic() + timeout
    while True:
        events = await stored(stack)
        ids = {e["id"] for e in events}
        published = await tap.collect() if tap else []
        done = ids <= set(published) if tap else True
        seen = await projected(stack) if project else []
        if project:
            done = done and ids <= set(seen)
        if done or time.monotonic() > deadline:
            break
        await asyncio.sleep(1)
    await asyncio.sleep(1.5)  # anything still in flight that should not be there
    events = await stored(stack)
    if tap:
        await tap.collect()
    verdict = Verdict(
        events,
        # Acknowledged commands are compared by business key: every 2xx must be in the store.
        compare("stored vs acknowledged", ledger.acknowledged, [business_key(e) for e in events]),
        compare("published vs stored", {e["id"] for e in events}, tap.ids if tap else []),
        compare("projected vs stored", {e["id"] for e in events}, await projected(stack) if project else []),
    )
    verdict.print()
    return verdict


def assert_nothing_lost(verdict: Verdict, bus: bool = True, projection: bool = True) -> None:
    """lost = 0 and unexpected = 0 everywhere; the bus may duplicate (at least once), the
    projection's tracking table may not. Acknowledged keys must all be stored (stored events
    beyond the acknowledged ones are commands whose answer the client never got)."""
    assert not verdict.acknowledged.lost, verdict.acknowledged.report()
    assert not verdict.acknowledged.duplicated, verdict.acknowledged.report()
    if bus:
        assert not verdict.published.lost, verdict.published.report()
        assert not verdict.published.unexpected, verdict.published.report()
    if projection:
        assert not verdict.projected.lost, verdict.projected.report()
        assert not verdict.projected.unexpected, verdict.projected.report()
        assert not verdict.projected.duplicated, verdict.projected.report()


async def read_models_equal_rebuild(stack: Stack) -> dict[str, dict[str, int]]:
    """Rebuild the read models from the feeds into a side schema and diff them, row by row."""
    from services.reporting.application.rebuild import Feed, compare, rebuild
    from shared.auth.tokens import mint
    from shared.kernel.settings import ServiceSettings

    token = mint(ServiceSettings(jwt_secret=SECRET), "failure-check", "*", ["auditor"])
    feeds = [Feed(n, stack.url(n), token) for n in ("registration", "awards")]
    await rebuild(stack.database_url, "reporting", feeds, swap=False, target="reporting_check")
    diff = await compare(stack.database_url, "reporting", "reporting_check")
    return {t: d for t, d in diff.items() if any(d.values())}
