"""Issue 21: two replicas of a service's relay, one active at a time (the holder of the service's
relay lock in PostgreSQL); when the active one dies, the other takes over within 5 s and nothing
is lost."""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx

from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from shared.kernel.settings import RegistrationSettings
from shared.messaging.relay import Relay
from tests.integration.test_relay import ADMIN, pledges_on_bus, seed
from tests.support import BusTap, Isolation, eventually, in_process

BK = "/v1/federations/bac-kan"


async def test_one_relay_replica_publishes_and_the_other_takes_over_when_it_dies(
    isolation: Isolation,
) -> None:
    registration = registration_runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(registration, registration_app) as http, BusTap(isolation) as tap:
        await seed(http, pledgers=2)
        replicas = [Relay(registration.settings, registration.db, registration.eventlog) for _ in range(2)]
        stopping = [asyncio.Event(), asyncio.Event()]
        for relay in replicas:
            await relay.start()
        tasks = [asyncio.create_task(r.run(s)) for r, s in zip(replicas, stopping, strict=True)]
        try:
            # Given both running: exactly one is active, and every pledge is on the bus once
            await eventually(lambda: _count(tap, 2))
            await asyncio.sleep(1.2)  # the standby had two more tries for the lock
            assert sorted(r.active for r in replicas) == [False, True]
            assert len(pledges_on_bus(tap)) == 2
            active = next(i for i, r in enumerate(replicas) if r.active)
            # When the active replica dies (its task and its lock's session gone at once)
            killed = time.monotonic()
            tasks[active].cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await tasks[active]
            # Then the other takes over within 5 s and relays what is stored next
            standby = replicas[1 - active]
            await eventually(lambda: _true(standby.active), timeout=5)
            took_over = time.monotonic() - killed
            await seed_more(http)
            await eventually(lambda: _count(tap, 3))
            assert took_over < 5.0
        finally:
            for s in stopping:
                s.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            for relay in replicas:
                await relay.stop()


async def seed_more(http: httpx.AsyncClient) -> None:
    """One more member, with a pledge."""
    member = {"code": "dv-9", "full_name": "Người 9", "unit": "cdcs-a"}
    assert (await http.post(f"{BK}/members", json=member, headers=ADMIN)).status_code == 201
    pledge = {"movement": "td-2023", "award": "ldtt", "subject_kind": "member", "subject_code": "dv-9"}
    r = await http.post(f"{BK}/pledges", json=pledge | {"pledged_on": "2023-01-10"}, headers=ADMIN)
    assert r.status_code == 201, r.text


async def _count(tap: BusTap, n: int) -> bool:
    assert len({e["id"] for e in pledges_on_bus(tap)}) >= n
    return True


async def _true(value: bool) -> bool:
    assert value
    return True
