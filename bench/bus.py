"""The bus paths: the relay (stored -> broker-confirmed) and reporting's projection
(delivered -> applied with its tracking rows), each beside its raw aio-pika baseline."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg

from bench.measure import Message, rate
from services.registration.adapters.migrations import VERSIONS
from services.registration.application.contracts import CONTRACTS
from services.registration.application.service import RegistrationApplication
from shared.kernel.settings import RegistrationSettings
from shared.messaging.contracts import encode, routing_key
from shared.messaging.eventlog import EventLog
from shared.messaging.relay import Relay
from shared.ops.migrations import migrate


def as_message(envelope: dict[str, Any]) -> Message:
    return encode(envelope), routing_key(envelope), envelope["id"], envelope["type"]


async def relay(settings: RegistrationSettings, table: str) -> tuple[dict[str, Any], list[Message]]:
    """Drains registration's log through the product's Relay from position 0; returns its rate and
    the same envelopes (read before, through the same event log) for the raw publisher."""
    app = await asyncio.to_thread(RegistrationApplication, settings)
    await asyncio.to_thread(migrate, settings.database_url, settings.schema_name, VERSIONS)
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=4)
    try:
        eventlog = EventLog(pool, settings.schema_name, table, app.mapper, CONTRACTS)
        messages: list[Message] = []
        after = 0
        for _ in range(100_000):  # bounded: 100 million events
            page = await eventlog.page(after, 1000)
            if not page:
                break
            after = page[-1].sequence
            messages += [as_message(e) for p in page if (e := CONTRACTS.envelope(p.domain_event, p.sequence))]
        product = Relay(settings, pool, eventlog)
        await product.start()
        try:
            started = time.perf_counter()
            await product.drain()
            seconds = time.perf_counter() - started
            assert await product.position() == after, "the relay stopped short of the log's head"
        finally:
            await product.stop()
        return {
            "events_per_s": rate(len(messages), seconds),
            "events": len(messages),
            "log_rows": after,
            "seconds": round(seconds, 2),
            "in_flight": settings.relay_in_flight,
            "page": settings.relay_page_size,
        }, messages
    finally:
        await pool.close()
        app.close()


async def projection(
    database_url: str, expected: int, schema: str = "reporting", timeout: float = 900
) -> dict[str, Any]:
    """Polls reporting's tracking rows from the first applied event until `expected` are applied."""
    conn = await asyncpg.connect(database_url)
    count = f'SELECT count(*) FROM "{schema}".processed_events WHERE consumer = $1'
    try:
        first_n, first_t, n = 0, 0.0, 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            n = int(await conn.fetchval(count, "reporting"))
            now = time.perf_counter()
            if n and not first_t:
                first_n, first_t = n, now
            if n >= expected:
                break
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError(f"reporting applied {n} of {expected} events in {timeout:.0f}s")
        dead = int(await conn.fetchval(f'SELECT count(*) FROM "{schema}".dead_letters'))
        seconds = time.perf_counter() - first_t
        return {
            "events_per_s": rate(n - first_n, seconds),
            "events": n,
            "timed_events": n - first_n,
            "seconds": round(seconds, 2),
            "dead_letters": dead,
        }
    finally:
        await conn.close()
