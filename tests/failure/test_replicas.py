"""Issue 21: two replicas of each service (API, relay, consumers) on the throwaway servers,
behind a round-robin balancer each. Mid-load one replica of each service is killed with -9 —
for registration and awards the one whose relay is active. The other replica's relay takes
over (the time is printed), nothing acknowledged is lost, nothing is applied twice, reporting's
read models equal a rebuild, and a secret-ballot council convened on a killed replica resolves
on the surviving one."""

from __future__ import annotations

import asyncio
import collections
import itertools
import re
import time
from dataclasses import dataclass

import httpx
import pytest

from tests.failure.harness import ADMIN, SERVICES, Stack, queue_ready, scaled
from tests.failure.verdict import (
    DurableTap,
    assert_nothing_lost,
    drain_and_compare,
    read_models_equal_rebuild,
)
from tests.failure.workload import Ledger, decisions, progressed, workload
from tests.support import ServiceProcess, bearer

RELAYING = ("registration", "awards")  # reporting stores no events of its own: it has no relay
KEK = "the failure test's key-encryption key, shared by every replica"
FED = "bac-kan"
VOTERS = ("u0", "u1", "u2")


class RoundRobin:
    """A tiny TCP balancer: each new connection goes to the next replica that accepts it."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.turn = itertools.count()
        self.server: asyncio.Server | None = None
        self.port = 0
        self.served = collections.Counter[int]()  # connections per replica's port

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        first = next(self.turn)
        for i in range(len(self.ports)):
            try:
                port = self.ports[(first + i) % len(self.ports)]
                up_r, up_w = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:  # that replica is down: the next one
                continue
        else:
            client_w.close()
            return
        self.served[port] += 1
        await asyncio.gather(_pipe(client_r, up_w), _pipe(up_r, client_w))

    def close(self) -> None:
        if self.server is not None:
            self.server.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


@dataclass
class Replicas:
    """Stands in the stack for one service: its replicas, reached through the balancer."""

    replicas: list[ServiceProcess]
    balancer: RoundRobin

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.balancer.port}"

    def stop(self) -> None:
        self.balancer.close()
        for replica in self.replicas:
            replica.stop()


async def start_replicas(stack: Stack) -> dict[str, Replicas]:
    """All six started together, as a deployment starts them, on a fresh database."""
    env = stack.env(TDKT_BALLOT_KEK=KEK)
    pairs = {name: [ServiceProcess(name, env), ServiceProcess(name, env)] for name in SERVICES}
    out = {}
    for name, pair in pairs.items():  # in the stack before starting: stopped whatever happens
        balancer = RoundRobin([p.port for p in pair])
        await balancer.start()
        out[name] = stack.processes[name] = Replicas(pair, balancer)  # type: ignore[assignment]
    await asyncio.gather(*(asyncio.to_thread(p.start, 180) for pair in pairs.values() for p in pair))
    return out


async def counter(http: httpx.AsyncClient, replica: ServiceProcess, metric: str) -> float:
    text = (await http.get(f"{replica.url}/metrics/")).text
    found = re.search(rf'^{metric}{{service="{replica.name}"}} ([0-9.e+]+)$', text, re.M)
    return float(found.group(1)) if found else 0.0


async def active_relay(http: httpx.AsyncClient, pair: Replicas, timeout: float = 30) -> int:
    """Which replica holds the relay lock (its activations counter is 1, the standby's 0)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = [await counter(http, r, "tdkt_relay_activations_total") for r in pair.replicas]
        if sorted(counts) == [0.0, 1.0]:
            return counts.index(1.0)
        await asyncio.sleep(0.2)
    raise AssertionError(f"no single active relay: {counts}")


async def taken_over(
    http: httpx.AsyncClient, survivor: ServiceProcess, killed_at: float, publishing: bool
) -> tuple[float, float | None]:
    """Seconds from the kill until the survivor's relay is active, and (where the workload keeps
    writing to that service) until it has published."""
    active = None
    while True:
        now = time.monotonic()
        assert now - killed_at < 60, f"{survivor.name}: the standby relay never took over"
        if active is None and await counter(http, survivor, "tdkt_relay_activations_total") >= 1:
            active = now - killed_at
            if not publishing:
                return active, None
        if active is not None and await counter(http, survivor, "tdkt_relay_published_total") > 0:
            return active, now - killed_at
        await asyncio.sleep(0.05)


async def ok(response: httpx.Response) -> dict:
    assert response.status_code < 300, response.text
    return response.json()  # type: ignore[no-any-return]


async def secret_council(http: httpx.AsyncClient, ledger: Ledger, awards: str, member: str) -> list[str]:
    """On one awards replica: a member rated and nominated for ldtt (retried until awards has
    heard of the member over the bus), a secret-ballot council convened on it and all voting."""
    base = f"{awards}/v1/federations/{FED}"
    rating = {"subject_kind": "member", "subject_code": member, "year": 2025, "rating": "good"}
    deadline = time.monotonic() + 60
    while (r := await http.post(f"{base}/ratings", json=rating, headers=ADMIN)).status_code >= 300:
        assert time.monotonic() < deadline, r.text
        await asyncio.sleep(0.5)
    body = {"subject_kind": "member", "subject_code": member, "award": "ldtt", "year": 2025}
    nomination = (await ok(await http.post(f"{base}/nominations", json=body, headers=ADMIN)))["id"]
    council = {
        "code": "hd-replicas",
        "name": "Hội đồng TĐKT 2025",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": 2,
        "secret_ballot": True,
        "members": [{"user": u, "name": u.upper()} for u in VOTERS],
        "nominations": [nomination],
    }
    ledger.acknowledged |= {(FED, "rating-recorded", member), (FED, "nomination-submitted", member)}
    convened = await ok(await http.post(f"{base}/councils", json=council, headers=ADMIN))
    assert convened["secret_ballot"]
    for user, choice in zip(VOTERS, ("yes", "yes", "no"), strict=True):
        vote = {"nomination": nomination, "choice": choice}
        await ok(
            await http.post(
                f"{base}/councils/hd-replicas/votes", json=vote, headers=bearer(FED, ["council"], sub=user)
            )
        )
    return [nomination]


@pytest.mark.slow
async def test_two_replicas_each_one_killed_mid_load(stack: Stack, tap: DurableTap) -> None:
    """Given two replicas of every service behind round-robin balancers and the workload running,
    when one replica of each service (the active relay's for registration and awards) is killed
    with -9, then the other's relay takes over within 5 s, lost = duplicated = unexpected = 0,
    reporting equals a rebuild, and the killed replica's secret-ballot council resolves on the survivor."""
    services = await start_replicas(stack)
    for name in ("awards.registration", "reporting"):
        await queue_ready(stack, name)
    ledger = Ledger()
    async with httpx.AsyncClient(timeout=30) as http:
        doomed = {name: await active_relay(http, services[name]) for name in RELAYING}
        doomed["reporting"] = 0
        await workload(stack, ledger, scaled(10))
        awards = services["awards"].replicas
        nominations = await secret_council(http, ledger, awards[doomed["awards"]].url, "dv-00000")
        running = asyncio.create_task(workload(stack, ledger, scaled(60), start=1000))
        await progressed(ledger, len(ledger.acknowledged) + scaled(120))
        killed_at = time.monotonic()
        for name, index in doomed.items():
            services[name].replicas[index].kill()
        measured = await asyncio.gather(
            *(
                taken_over(http, services[name].replicas[1 - doomed[name]], killed_at, name == "registration")
                for name in RELAYING
            )
        )
        takeovers = dict(zip(RELAYING, measured, strict=True))
        await running
        survivor = awards[1 - doomed["awards"]].url
        resolved = await ok(
            await http.post(f"{survivor}/v1/federations/{FED}/councils/hd-replicas:resolve", headers=ADMIN)
        )
        ledger.acknowledged.add((FED, "council-resolved", ""))
        await decisions(stack, ledger, [f"dv-{i:05d}" for i in range(1000, 1010)])  # awards' survivor relays
    for name, (active, flowing) in takeovers.items():
        print(f"\n{name}: the standby's relay active {active:.2f} s after the kill", end="")
        print(f", publishing after {flowing:.2f} s" if flowing is not None else "")
    told = f"{len(ledger.acknowledged)} acknowledged, {ledger.failed} failed, refused {dict(ledger.refused)}"
    spread = {name: sorted(services[name].balancer.served.values()) for name in RELAYING}
    print(f"workload: {told}; connections per replica: {spread}")
    verdict = await drain_and_compare(stack, ledger, tap, timeout=120)
    assert_nothing_lost(verdict)
    assert await read_models_equal_rebuild(stack) == {}
    assert [(r["nomination"], r["yes"], r["no"]) for r in resolved["results"]] == [(nominations[0], 2, 1)]
    assert all(active < 5 for active, _ in takeovers.values()), takeovers
    assert len(spread["registration"]) == 2, spread  # the workload's connections went to both replicas
