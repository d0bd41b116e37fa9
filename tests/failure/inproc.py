"""In-process helpers for the failure tests that need no server killed: registration's API
on an ASGI client against the shared PostgreSQL and RabbitMQ, in the test's own database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import asyncpg
import httpx

from services.registration.bootstrap import build_app as registration_app
from services.registration.bootstrap import runtime as registration_runtime
from shared.kernel.settings import RegistrationSettings, ServiceSettings
from shared.messaging.consumer import Consumer
from shared.messaging.contracts import CONTENT_TYPE, encode, routing_key
from shared.messaging.tracking import Handler, ensure_tracking_tables
from shared.ops.runtime import Runtime
from tests.failure.harness import ADMIN, FEDERATIONS
from tests.support import AMQP_URL, Isolation, in_process


@contextlib.asynccontextmanager
async def registration(
    isolation: Isolation, components: frozenset[str] = frozenset({"api"})
) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    rt = registration_runtime(isolation.settings(RegistrationSettings), components)
    async with in_process(rt, registration_app) as http:
        yield rt, http


async def ok(http: httpx.AsyncClient, path: str, body: dict[str, Any], status: int = 201) -> httpx.Response:
    r = await http.post(path, json=body, headers=ADMIN)
    assert r.status_code == status, r.text
    return r


async def seed(http: httpx.AsyncClient, members: int, units: int = 2) -> None:
    """Federations, units, members; every member then transferred (two events per member)."""
    for fed in FEDERATIONS:
        base = f"/v1/federations/{fed}"
        await ok(http, "/v1/federations", {"code": fed, "name": fed})
        for u in range(units):
            await ok(http, f"{base}/units", {"code": f"cdcs-{u}", "name": f"CĐCS {u}", "kind": "grassroots"})
        for i in range(members):
            await ok(
                http, f"{base}/members", {"code": f"dv-{i}", "full_name": f"Người {i}", "unit": "cdcs-0"}
            )
            await ok(
                http,
                f"{base}/members/dv-{i}:transfer",
                {"unit": "cdcs-1", "effective_on": "2023-06-01"},
                status=200,
            )


async def stored(rt: Runtime) -> list[dict[str, Any]]:
    assert rt.eventlog is not None
    events, _ = await rt.eventlog.envelopes(0, 100_000, None, 1_000_000)
    return events


async def publish(isolation: Isolation, envelopes: list[dict[str, Any]]) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(isolation.exchange, "topic", durable=True)
        for e in envelopes:
            message = aio_pika.Message(
                encode(e), message_id=e["id"], content_type=CONTENT_TYPE, delivery_mode=2
            )
            await exchange.publish(message, routing_key=routing_key(e))


class Probe:
    """A consumer whose effect is NOT idempotent by itself (a counter per event), so only the
    consumer's tracking row stands between a redelivery and a second effect."""

    def __init__(
        self, isolation: Isolation, name: str = "probe", fail: set[str] | None = None, **settings: Any
    ):
        self.isolation = isolation
        self.name = name
        self.fail = fail or set()
        self.settings = isolation.settings(ServiceSettings, schema_name="probe", **settings)

    async def handle(self, conn: asyncpg.Connection, envelope: dict[str, Any]) -> None:
        if envelope["type"] in self.fail:
            raise RuntimeError(f"the probe cannot handle {envelope['type']}")
        await conn.execute(
            "INSERT INTO probe.effects (event_id, n) VALUES ($1, 1) "
            "ON CONFLICT (event_id) DO UPDATE SET n = probe.effects.n + 1",
            envelope["id"],
        )

    async def __aenter__(self) -> Probe:
        self.pool = await asyncpg.create_pool(self.isolation.database_url, min_size=1, max_size=4)
        await self.pool.execute(
            "CREATE SCHEMA IF NOT EXISTS probe; "
            "CREATE TABLE IF NOT EXISTS probe.effects (event_id text PRIMARY KEY, n int NOT NULL)"
        )
        await ensure_tracking_tables(self.pool, "probe")  # a schema without migrations
        handler: Handler = self.handle
        self.consumer = Consumer(self.settings, self.pool, self.name, "#", handler, handle_batch=None)
        await self.consumer.start()
        return self

    async def effects(self) -> dict[str, int]:
        return {r["event_id"]: r["n"] for r in await self.pool.fetch("SELECT * FROM probe.effects")}

    async def __aexit__(self, *exc: object) -> None:
        await self.consumer.stop()
        await self.pool.close()
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            for queue in (self.consumer.queue_name, self.consumer.dlq_name):
                channel = await connection.channel()
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    await channel.queue_delete(queue)
