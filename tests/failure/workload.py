"""A seeded workload over HTTP that records what each client was told."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.failure.harness import ADMIN, FEDERATIONS, Stack


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


async def progressed(ledger: Ledger, acknowledged: int, timeout: float = 60) -> None:
    """Wait until the workload has had `acknowledged` commands answered 2xx."""
    deadline = time.monotonic() + timeout
    while len(ledger.acknowledged) < acknowledged:
        assert time.monotonic() < deadline, f"workload stuck at {len(ledger.acknowledged)}"
        await asyncio.sleep(0.05)
