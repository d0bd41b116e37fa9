"""I3: the live read models equal a rebuild from scratch of the same log, also when every
event was delivered twice and out of order; a rebuild swaps in while consumption goes on."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import aio_pika
import httpx

from services.reporting.application.rebuild import PAGE, Feed, compare, rebuild
from services.reporting.bootstrap import runtime
from shared.kernel.settings import ReportingSettings
from shared.messaging.contracts import CONTENT_TYPE, encode, routing_key
from tests import reporting_events as ev
from tests.support import AMQP_URL, Isolation, eventually

FEDERATIONS = ("bac-kan", "cao-bang", "thai-nguyen")


def workload(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """About `n` events of every kind reporting projects, in log order."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for fed in FEDERATIONS:
        out.append(
            ev.envelope(
                "registration", "federation-created", {"federation": fed, "name": fed}, subject=f"f:{fed}"
            )
        )
        out.append(ev.unit(fed, "tp", ["tp"], "upper"))
        for u in range(10):
            out.append(ev.unit(fed, f"u{u}", ["tp", f"u{u}"]))
        out.append(ev.unit(fed, "hx", ["hx"], "upper"))
        out.append(ev.unit_moved(fed, "u9", ["tp", "u9"], ["hx", "u9"], "2023-07-01"))
    i = 0
    while len(out) < n:
        i += 1
        fed, path = rng.choice(FEDERATIONS), ["tp", f"u{rng.randrange(10)}"]
        kind = rng.random()
        if kind < 0.5:
            first = ev.pledge(
                fed,
                "member",
                f"m{i}",
                rng.choice(["ldtt", "bang-khen-ldld"]),
                path,
                year=rng.choice([2022, 2023]),
            )
            out.append(first)
            if rng.random() < 0.2:
                out.append(ev.pledge_withdrawn(first))
        elif kind < 0.75:
            g = ev.grant(fed, "member", f"m{i}", "ldtt", path, year=rng.choice([2022, 2023]))
            if rng.random() < 0.3:  # a phase's, thematic or ad-hoc: the read model keeps both
                last = g["data"]["year"]
                g["data"]["period"] = {"kind": "phase", "from": last - 2, "to": last}
                g["data"]["occasion"] = rng.choice(["thematic", "ad-hoc"])
            out.append(g)
            if rng.random() < 0.1:
                out.append(ev.revoked(g, "2024-01-10", "2024-01-10T08:00:00+07:00"))
        elif kind < 0.9:
            out += ev.initiative(fed, f"sk{i}", path, 2023, rng.choice([None, 10_000_000]))
        else:
            out += ev.work(fed, f"ct{i}", path, rng.randrange(1, 50) * 100_000_000, 2023, rng.random() < 0.5)
    by_source: dict[str, int] = {}
    for e in out:  # each service numbers its own log
        by_source[e["source"]] = e["sequence"] = by_source.get(e["source"], 0) + 1
    return out


class ListFeed(Feed):
    """A service's feed served from a list (the log in order), page by page."""

    def __init__(self, name: str, events: list[dict[str, Any]]) -> None:
        super().__init__(name, "", "")
        self.events = events

    async def page(self, client: httpx.AsyncClient) -> list[dict[str, Any]]:
        page = [e for e in self.events if e["sequence"] > self.position][:PAGE]
        if page:
            self.position = page[-1]["sequence"]
        return page


def feeds(events: list[dict[str, Any]]) -> list[Feed]:
    return [
        ListFeed(s, [e for e in events if e["source"] == f"tdkt/{s}"]) for s in ("registration", "awards")
    ]


async def deliver(isolation: Isolation, messages: list[dict[str, Any]]) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(isolation.exchange, "topic", durable=True)
        for start in range(0, len(messages), 500):  # many confirms in flight, as the relay does
            await asyncio.gather(
                *(
                    exchange.publish(
                        aio_pika.Message(
                            encode(e),
                            message_id=e["id"],
                            content_type=CONTENT_TYPE,
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        ),
                        routing_key=routing_key(e),
                    )
                    for e in messages[start : start + 500]
                )
            )


async def test_rebuild_equals_live_after_duplicates_and_disorder(isolation: Isolation) -> None:
    events = workload(10_000)
    messages = events + events
    random.Random(3).shuffle(messages)
    settings = isolation.settings(ReportingSettings, consumer_prefetch=200)
    rt = runtime(settings, frozenset({"consumer"}))
    await rt.start()
    try:
        await deliver(isolation, messages)

        async def consumed() -> None:
            assert await rt.db.fetchval("SELECT count(*) FROM reporting.processed_events") == len(events)

        await eventually(consumed, timeout=240, interval=1)
        outcome = await rebuild(
            settings.database_url, "reporting", feeds(events), swap=False, target="reporting_check"
        )
        assert outcome.applied == len(events)
        differences = await compare(settings.database_url, "reporting", "reporting_check")
        assert all(v == {"missing_in_live": 0, "extra_in_live": 0} for v in differences.values()), differences
        assert await rt.db.fetchval("SELECT count(*) FROM reporting.pledges") > 1000
        phases = "SELECT count(*) FROM reporting_check.grants WHERE period_kind = 'phase' "
        phases += "AND occasion IN ('thematic', 'ad-hoc')"
        assert await rt.db.fetchval(phases) > 100  # the rebuild keeps each grant's period and occasion

        # swapped in while the live consumer keeps going: nothing lost, nothing twice
        more = workload(len(events) + 300, seed=7)[len(events) :]
        await deliver(isolation, more)
        everything = events + more
        swapped = await rebuild(settings.database_url, "reporting", feeds(everything), swap=True)
        assert swapped.schema == "reporting"

        async def settled() -> None:
            n = await rt.db.fetchval("SELECT count(*) FROM reporting.processed_events")
            assert n == len(everything)

        await eventually(settled, timeout=60)
        await rebuild(
            settings.database_url, "reporting", feeds(everything), swap=False, target="reporting_check"
        )
        differences = await compare(settings.database_url, "reporting", "reporting_check")
        assert all(v == {"missing_in_live": 0, "extra_in_live": 0} for v in differences.values()), differences
    finally:
        await rt.stop()
