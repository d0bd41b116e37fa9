"""Small measuring helpers: percentiles, and the raw baselines every path is divided by."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from typing import Any

import aio_pika
import asyncpg

RAW_SCHEMA = "bench_raw"


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latency(values_s: Sequence[float]) -> dict[str, float | None]:
    """p50/p99 in milliseconds of latencies given in seconds."""
    p50, p99 = percentile(values_s, 0.5), percentile(values_s, 0.99)
    return {
        "p50_ms": None if p50 is None else round(p50 * 1000, 2),
        "p99_ms": None if p99 is None else round(p99 * 1000, 2),
        "n": len(values_s),
    }


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


# A single list's rows/s swings by 10–30 % from one run to the next on this machine: the lists go
# in rounds side by side (bench/quick_lists.py) and each kind's figure is its best round.
ROUNDS = 3


def best(found: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    """The round of most rows/s, with every round's rows/s beside it (None: a round failed)."""
    done = [f for f in found if f and "rows_per_s" in f]
    if len(done) < len(found):
        return next((f for f in found if f and f.get("missing")), None)
    top = max(done, key=lambda f: f["rows_per_s"])
    return {**top, "rounds": [f["rows_per_s"] for f in done]}


# --- PostgreSQL: rows shaped like the event store's (aggregate id, version, topic, stored state)


async def raw_table(conn: asyncpg.Connection, name: str) -> str:
    await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    await conn.execute(f"DROP TABLE IF EXISTS {RAW_SCHEMA}.{name}")
    await conn.execute(
        f"CREATE TABLE {RAW_SCHEMA}.{name} (notification_id bigserial PRIMARY KEY,"
        " originator_id uuid NOT NULL, originator_version int NOT NULL, topic text NOT NULL,"
        " state bytea NOT NULL,"
        " UNIQUE (originator_id, originator_version))"
    )
    return f"{RAW_SCHEMA}.{name}"


def rows_like(topic: str, state: bytes, n: int) -> list[tuple[uuid.UUID, int, str, bytes]]:
    return [(uuid.uuid4(), 1, topic, state) for _ in range(n)]


async def raw_single_inserts(
    url: str, rows: list[tuple[Any, ...]], clients: int, warmup: int = 0
) -> dict[str, Any]:
    """One row per transaction (autocommit), `clients` connections sharing the rows; the first
    `warmup` rows go untimed (statements prepared, connections warm), as the product's do."""
    conns = [await asyncpg.connect(url) for _ in range(clients)]
    try:
        table = await raw_table(conns[0], f"single_{clients}")
        insert = (
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES ($1, $2, $3, $4)"
        )
        for i, row in enumerate(rows[:warmup]):
            await conns[i % clients].execute(insert, *row)
        rows = rows[warmup:]
        times: list[float] = []

        async def client(conn: asyncpg.Connection, mine: list[tuple[Any, ...]]) -> None:
            for row in mine:
                t = time.perf_counter()
                await conn.execute(insert, *row)
                times.append(time.perf_counter() - t)

        started = time.perf_counter()
        await asyncio.gather(*(client(c, rows[i::clients]) for i, c in enumerate(conns)))
        seconds = time.perf_counter() - started
        return {
            "rows_per_s": rate(len(rows), seconds),
            "rows": len(rows),
            "clients": clients,
            **latency(times),
        }
    finally:
        for c in conns:
            await c.close()


async def raw_bulk(url: str, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """executemany in 1,000-row transactions, and one copy_records_to_table of all rows."""
    conn = await asyncpg.connect(url)
    try:
        table = await raw_table(conn, "bulk_executemany")
        insert = (
            f"INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES ($1, $2, $3, $4)"
        )
        started = time.perf_counter()
        for i in range(0, len(rows), 1000):
            async with conn.transaction():
                await conn.executemany(insert, rows[i : i + 1000])
        many = time.perf_counter() - started
        table = await raw_table(conn, "bulk_copy")
        fresh = [(uuid.uuid4(), *r[1:]) for r in rows]
        started = time.perf_counter()
        await conn.copy_records_to_table(
            "bulk_copy",
            schema_name=RAW_SCHEMA,
            records=fresh,
            columns=["originator_id", "originator_version", "topic", "state"],
        )
        copy = time.perf_counter() - started
        return {
            "executemany_rows_per_s": rate(len(rows), many),
            "copy_rows_per_s": rate(len(rows), copy),
            "rows": len(rows),
        }
    finally:
        await conn.close()


async def raw_paged_select(url: str, tables: list[str], page: int = 1000) -> dict[str, Any]:
    """Keyset pages over a log: SELECT … WHERE notification_id > $1 ORDER BY notification_id LIMIT 1000."""
    conn = await asyncpg.connect(url)
    try:
        rows = 0
        started = time.perf_counter()
        for table in tables:
            stmt = await conn.prepare(
                f"SELECT * FROM {table} WHERE notification_id > $1 ORDER BY notification_id LIMIT {page}"
            )
            after = 0
            for _ in range(10_000_000 // page):  # bounded
                got = await stmt.fetch(after)
                if not got:
                    break
                rows += len(got)
                after = got[-1]["notification_id"]
        seconds = time.perf_counter() - started
        return {"rows_per_s": rate(rows, seconds), "rows": rows, "seconds": round(seconds, 2)}
    finally:
        await conn.close()


# --- RabbitMQ

Message = tuple[bytes, str, str, str]  # body, routing key, message id, type


async def raw_queue(
    channel: aio_pika.abc.AbstractChannel, exchange_name: str, queue_name: str | None
) -> aio_pika.abc.AbstractExchange:
    exchange = await channel.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
    if queue_name is None:
        return exchange
    queue = await channel.declare_queue(queue_name, durable=True, arguments={"x-queue-type": "quorum"})
    await queue.bind(exchange, "#")
    return exchange


def _message(body: bytes, message_id: str, kind: str) -> aio_pika.Message:
    return aio_pika.Message(
        body,
        message_id=message_id,
        correlation_id=message_id,
        content_type="application/cloudevents+json",
        type=kind,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )


async def raw_publish(
    amqp_url: str, exchange_name: str, queue_name: str | None, messages: list[Message], in_flight: int = 200
) -> dict[str, Any]:
    """aio-pika publishing with publisher confirms, `in_flight` unconfirmed at most."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await raw_queue(channel, exchange_name, queue_name)
        window = asyncio.Semaphore(in_flight)

        async def one(m: Message) -> None:
            async with window:
                await exchange.publish(_message(m[0], m[2], m[3]), routing_key=m[1])

        started = time.perf_counter()
        await asyncio.gather(*(one(m) for m in messages))
        seconds = time.perf_counter() - started
    return {"msgs_per_s": rate(len(messages), seconds), "messages": len(messages), "in_flight": in_flight}


async def raw_confirm_latency(
    amqp_url: str, exchange_name: str, queue_name: str, messages: list[Message]
) -> dict[str, Any]:
    """Each publish awaited until the broker confirms it: the bus's own latency floor."""
    connection = await aio_pika.connect(amqp_url)
    times: list[float] = []
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await raw_queue(channel, exchange_name, queue_name)
        for m in messages:
            t = time.perf_counter()
            await exchange.publish(_message(m[0], m[2], m[3]), routing_key=m[1])
            times.append(time.perf_counter() - t)
        queue = await channel.get_queue(queue_name)
        await queue.purge()
    return latency(times)


async def raw_consume(
    amqp_url: str, queue_name: str, expected: int, prefetch: int, timeout: float = 600
) -> dict[str, Any]:
    """A consumer that only acknowledges, with the product consumer's prefetch."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=prefetch)
        queue = await channel.declare_queue(queue_name, durable=True, arguments={"x-queue-type": "quorum"})
        done = asyncio.Event()
        seen = 0
        first = 0.0

        async def on(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal seen, first
            if seen == 0:
                first = time.perf_counter()
            await message.ack()
            seen += 1
            if seen >= expected:
                done.set()

        started = time.perf_counter()
        await queue.consume(on)
        await asyncio.wait_for(done.wait(), timeout)
        seconds = time.perf_counter() - (first or started)
    return {"msgs_per_s": rate(expected, seconds), "messages": expected, "prefetch": prefetch}
