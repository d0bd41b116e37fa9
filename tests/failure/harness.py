"""The failure tests' harness: the three services as processes on throwaway servers, a
seeded workload over HTTP that records what each client was told, and the set comparisons
(stored vs acknowledged, published vs stored, projected vs stored)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import asyncpg
import httpx

from tests.failure.servers import ThrowawayPostgres, ThrowawayRabbit
from tests.support import ROOT, SECRET, ServiceProcess, bearer

ADMIN = bearer("*", ["admin"], sub="failure-workload")
FEDERATIONS = ("bac-kan", "cao-bang", "lang-son")
SERVICES = ("registration", "awards", "reporting")
# Workload size: TDKT_FAILURE_SCALE=10 makes the slow tests' workloads ten times larger.
SCALE = float(os.environ.get("TDKT_FAILURE_SCALE", "1"))


def scaled(n: int) -> int:
    return max(1, int(n * SCALE))


@dataclass
class Stack:
    """One test's database, exchange and queue names on the throwaway servers, and its services."""

    pg: ThrowawayPostgres
    rabbit: ThrowawayRabbit
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    extra: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.pg.url(f"tdkt_{self.tag}")

    @property
    def exchange(self) -> str:
        return f"tdkt.events.{self.tag}"

    def env(self, **more: str) -> dict[str, str]:
        return {
            "TDKT_DATABASE_URL": self.database_url,
            "TDKT_AMQP_URL": self.rabbit.url,
            "TDKT_EXCHANGE": self.exchange,
            "TDKT_QUEUE_PREFIX": f"{self.tag}.",
            "TDKT_JWT_SECRET": SECRET,
            **more,
        }

    def start(self, name: str, components: str = "api,relay,consumer", **env: str) -> ServiceProcess:
        process = ServiceProcess(name, self.env(**env), components)
        self.processes[name] = process
        return process.start()

    def start_all(self, **env: str) -> None:
        for name in SERVICES:
            self.start(name, **env)

    def headless(self, module: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        """A background-only process (e.g. a relay of its own), not waited on over HTTP."""
        log = ROOT / ".pytest_cache" / f"{module.rsplit('.', 1)[-1]}-{self.tag}-{len(self.extra)}.log"
        log.parent.mkdir(exist_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env={**os.environ, **self.env(**env)},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.extra.append(process)
        return process

    def url(self, name: str) -> str:
        return self.processes[name].url

    def stop(self) -> None:
        for process in self.extra:
            if process.poll() is None:
                process.kill()
                process.wait()
        for process in self.processes.values():
            process.stop()


@dataclass
class Ledger:
    """What each client was told: the business keys of acknowledged commands, and the rest."""

    acknowledged: set[tuple[str, str, str]] = field(default_factory=set)
    refused: collections.Counter[int] = field(default_factory=collections.Counter)
    failed: int = 0

    def told(self, key: tuple[str, str, str], response: httpx.Response | None) -> bool:
        if response is None:
            self.failed += 1
            return False
        if response.status_code < 300:
            self.acknowledged.add(key)
            return True
        self.refused[response.status_code] += 1
        return False


async def send(
    http: httpx.AsyncClient, ledger: Ledger, key: tuple[str, str, str], url: str, body: dict[str, Any]
) -> bool:
    try:
        response = await http.post(url, json=body, headers=ADMIN)
    except httpx.HTTPError:
        response = None
    return ledger.told(key, response)


async def seed_federation(http: httpx.AsyncClient, ledger: Ledger, reg: str, fed: str) -> None:
    base = f"{reg}/v1/federations"
    await send(http, ledger, (fed, "federation-created", fed), base, {"code": fed, "name": f"LĐLĐ {fed}"})
    await send(
        http,
        ledger,
        (fed, "unit-registered", "cdcs-a"),
        f"{base}/{fed}/units",
        {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots"},
    )
    await send(
        http,
        ledger,
        (fed, "movement-launched", "td-2023"),
        f"{base}/{fed}/movements",
        {
            "code": "td-2023",
            "name": "Thi đua 2023",
            "year": 2023,
            "awards": ["bang-khen-ldld"],
            "registration_deadline": "2023-03-31",
        },
    )


async def member_and_pledge(http: httpx.AsyncClient, ledger: Ledger, reg: str, fed: str, code: str) -> None:
    base = f"{reg}/v1/federations/{fed}"
    member = {"code": code, "full_name": f"Đoàn viên {code}", "unit": "cdcs-a"}
    if await send(http, ledger, (fed, "member-registered", code), f"{base}/members", member):
        pledge = {
            "movement": "td-2023",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": code,
            "pledged_on": "2023-02-15",
        }
        await send(http, ledger, (fed, "pledge-registered", code), f"{base}/pledges", pledge)


async def workload(
    stack: Stack,
    ledger: Ledger,
    members: int,
    seed: int = 8,
    concurrency: int = 6,
    start: int = 0,
    until: asyncio.Event | None = None,
) -> None:
    """Members and pledges over the federations, interleaved in a seeded random order.
    With `until`, more members follow the planned ones until that event is set."""
    reg = stack.url("registration")
    jobs = [(fed, f"dv-{i:05d}") for fed in FEDERATIONS for i in range(start, start + members)]
    random.Random(seed).shuffle(jobs)
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    more = itertools.count(start + members)

    async def worker(http: httpx.AsyncClient) -> None:
        while True:
            if not queue.empty():
                fed, code = queue.get_nowait()
            elif until is not None and not until.is_set():
                n = next(more)
                fed, code = FEDERATIONS[n % len(FEDERATIONS)], f"dv-{n:05d}"
            else:
                return
            await member_and_pledge(http, ledger, reg, fed, code)

    async with httpx.AsyncClient(timeout=30) as http:
        if start == 0:
            for fed in FEDERATIONS:
                await seed_federation(http, ledger, reg, fed)
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))


async def decisions(stack: Stack, ledger: Ledger, members: Iterable[str], timeout: float = 60) -> None:
    """One awards decision per federation, granting to members awards has heard of."""
    async with httpx.AsyncClient(timeout=30) as http:
        for n, fed in enumerate(FEDERATIONS):
            codes = [c for c in members if (fed, "member-registered", c) in ledger.acknowledged][:3]
            body = {
                "number": f"{n + 1}/QĐ-{fed}",
                "signed_on": "2023-12-22",
                "signer": "Hoàng Thị Thu",
                "year": 2023,
                "grants": [
                    {"subject_kind": "member", "subject_code": c, "award": "bang-khen-ldld"} for c in codes
                ],
            }
            deadline = time.monotonic() + timeout
            while True:  # 422 until awards has seen the members over the bus
                url = f"{stack.url('awards')}/v1/federations/{fed}/decisions"
                with contextlib.suppress(httpx.HTTPError):
                    r = await http.post(url, json=body, headers=ADMIN)
                    if r.status_code < 300:
                        ledger.acknowledged.add((fed, "decision-issued", ""))
                        for c in codes:
                            ledger.acknowledged.add((fed, "award-granted", c))
                        break
                assert time.monotonic() < deadline, f"decision never accepted: {r.text}"
                await asyncio.sleep(0.5)


async def queue_ready(stack: Stack, name: str, timeout: float = 60) -> None:
    """Wait until a consumer process has declared its queue (so nothing published misses it)."""
    deadline = time.monotonic() + timeout
    while True:
        connection = await aio_pika.connect(stack.rabbit.url)
        async with connection:
            channel = await connection.channel()
            try:
                await channel.declare_queue(f"{stack.tag}.{name}", passive=True)
                return
            except aio_pika.exceptions.ChannelClosed:
                assert time.monotonic() < deadline, f"queue {name} never declared"
        await asyncio.sleep(0.2)


async def progressed(ledger: Ledger, acknowledged: int, timeout: float = 60) -> None:
    """Wait until the workload has had `acknowledged` commands answered 2xx."""
    deadline = time.monotonic() + timeout
    while len(ledger.acknowledged) < acknowledged:
        assert time.monotonic() < deadline, f"workload stuck at {len(ledger.acknowledged)}"
        await asyncio.sleep(0.05)


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
    from shared import auth
    from shared.settings import ServiceSettings

    token = auth.mint(ServiceSettings(jwt_secret=SECRET), "failure-check", "*", ["auditor"])
    feeds = [Feed(n, stack.url(n), token) for n in ("registration", "awards")]
    await rebuild(stack.database_url, "reporting", feeds, swap=False, target="reporting_check")
    diff = await compare(stack.database_url, "reporting", "reporting_check")
    return {t: d for t, d in diff.items() if any(d.values())}
