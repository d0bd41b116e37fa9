"""The consuming side (I4, I6): a FastStream subscriber on a durable quorum queue.

Each event's id is recorded in the same transaction as its effect, so a redelivered
message has no second effect. A transient database error is retried in place (the
message stays unacknowledged, nothing is dropped); any other error is recorded and the
message is requeued until the queue's delivery limit, then rejected to the dead-letter
queue, so one poison message never blocks the rest."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from faststream import AckPolicy
from faststream.rabbit import Channel, QueueType, RabbitBroker, RabbitMessage, RabbitQueue

from shared.metrics import CONSUMED, CONSUMER_POSITION
from shared.relay import events_exchange
from shared.settings import ServiceSettings

log = logging.getLogger("tdkt.consumer")

Handler = Callable[[asyncpg.Connection, dict[str, Any]], Awaitable[None]]

TRANSIENT = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.AdminShutdownError,
)


class PoisonMessage(Exception):
    """The message can never be handled (malformed, unknown type): dead-letter it."""


async def ensure_tracking_tables(db: asyncpg.Pool | asyncpg.Connection, schema: str) -> None:
    await db.execute(
        f"""
        CREATE TABLE IF NOT EXISTS "{schema}".processed_events (
            consumer text NOT NULL, event_id uuid NOT NULL, source text NOT NULL,
            sequence bigint NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id));
        CREATE TABLE IF NOT EXISTS "{schema}".consumer_positions (
            consumer text NOT NULL, source text NOT NULL, sequence bigint NOT NULL,
            PRIMARY KEY (consumer, source));
        CREATE TABLE IF NOT EXISTS "{schema}".dead_letters (
            consumer text NOT NULL, event_id text NOT NULL, attempts int NOT NULL,
            error text NOT NULL, envelope text NOT NULL,
            failed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id));
        """
    )


# Consumers of one schema hold this lock shared in every transaction; a read-model rebuild
# takes it exclusively to swap its fresh schema in without losing a concurrent write.
SCHEMA_LOCK = 0x7D4B7


async def apply_once(
    conn: asyncpg.Connection, schema: str, consumer: str, envelope: dict[str, Any], handle: Handler
) -> bool:
    """Apply one event inside the caller's transaction unless it was applied before."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", SCHEMA_LOCK)
    fresh = await conn.fetchval(
        f'INSERT INTO "{schema}".processed_events (consumer, event_id, source, sequence) '
        "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING true",
        consumer,
        envelope["id"],
        envelope["source"],
        int(envelope["sequence"]),
    )
    if not fresh:
        return False
    await handle(conn, envelope)
    await conn.execute(
        f'INSERT INTO "{schema}".consumer_positions (consumer, source, sequence) '
        "VALUES ($1, $2, $3) ON CONFLICT (consumer, source) DO UPDATE SET sequence = "
        f'GREATEST(EXCLUDED.sequence, "{schema}".consumer_positions.sequence)',
        consumer,
        envelope["source"],
        int(envelope["sequence"]),
    )
    return True


def parse(body: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PoisonMessage(f"body is not JSON: {exc}") from None
    missing = [k for k in ("id", "type", "source", "sequence", "data") if k not in envelope]
    if not isinstance(envelope, dict) or missing:
        raise PoisonMessage(f"not a CloudEvent envelope, missing {missing}")
    return envelope


class Consumer:
    def __init__(
        self,
        settings: ServiceSettings,
        pool: asyncpg.Pool,
        name: str,
        binding: str,
        handle: Handler,
    ) -> None:
        self.settings = settings
        self.pool = pool
        self.name = name
        self.schema = settings.schema_name
        self.handle = handle
        self.queue_name = f"{settings.queue_prefix}{name}"
        self.dlq_name = f"{self.queue_name}.dlq"
        self.max_deliveries = settings.consumer_max_deliveries
        self.broker = RabbitBroker(
            settings.amqp_url,
            logger=None,
            default_channel=Channel(prefetch_count=settings.consumer_prefetch),
        )
        self.queue = RabbitQueue(
            self.queue_name,
            durable=True,
            queue_type=QueueType.QUORUM,
            routing_key=binding,
            arguments={
                "x-delivery-limit": self.max_deliveries,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.dlq_name,
            },
        )
        self.broker.subscriber(self.queue, events_exchange(settings), ack_policy=AckPolicy.MANUAL)(
            self.on_message
        )
        self._stopping = asyncio.Event()
        self.batch_size = max(1, min(settings.consumer_batch_size, settings.consumer_prefetch))
        self.batch_wait = settings.consumer_batch_wait_seconds
        self._pending: list[tuple[dict[str, Any], RabbitMessage]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushing = asyncio.Lock()

    async def start(self) -> None:
        await ensure_tracking_tables(self.pool, self.schema)
        await self.broker.connect()
        await self.broker.declare_queue(RabbitQueue(self.dlq_name, durable=True, queue_type=QueueType.QUORUM))
        await self.broker.start()

    async def stop(self) -> None:
        with contextlib.suppress(Exception):  # what is not acked is redelivered anyway
            await self.flush()
        self._stopping.set()
        await self.broker.stop()

    async def on_message(self, message: RabbitMessage) -> None:
        """Buffer the message; a full batch (or a short wait) is applied in one transaction.

        With manual acks FastStream hands over the next message as soon as this returns,
        so up to `consumer_prefetch` messages gather while a batch is applied."""
        try:
            envelope = parse(message.body)
        except PoisonMessage as exc:
            await self._fail(message, exc)
            return
        self._pending.append((envelope, message))
        if len(self._pending) >= self.batch_size:
            await self.flush()
        elif self._timer is None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.batch_wait, lambda: loop.create_task(self.flush()))

    async def flush(self) -> None:
        async with self._flushing:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                applied = await self._apply_retrying([envelope for envelope, _ in batch])
            except Exception:
                # Something in the batch cannot be handled: one by one, so the rest still flow.
                for envelope, message in batch:
                    await self._one(envelope, message)
                return
            for (envelope, message), fresh in zip(batch, applied, strict=True):
                await self._acked(envelope, message, fresh)

    async def _one(self, envelope: dict[str, Any], message: RabbitMessage) -> None:
        try:
            [fresh] = await self._apply_retrying([envelope])
        except Exception as exc:
            await self._fail(message, exc)
            return
        await self._acked(envelope, message, fresh)

    async def _acked(self, envelope: dict[str, Any], message: RabbitMessage, fresh: bool) -> None:
        await message.ack()
        CONSUMED.labels(self.name, "applied" if fresh else "duplicate").inc()
        if fresh:
            CONSUMER_POSITION.labels(self.name, envelope["source"]).set(int(envelope["sequence"]))

    async def _apply_retrying(self, envelopes: list[dict[str, Any]]) -> list[bool]:
        backoff = 0.1
        while True:
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    return [await apply_once(conn, self.schema, self.name, e, self.handle) for e in envelopes]
            except TRANSIENT as exc:
                if self._stopping.is_set():
                    raise
                log.warning("%s: transient error %r; retrying in %.1fs", self.name, exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _fail(self, message: RabbitMessage, exc: Exception) -> None:
        headers = message.raw_message.headers or {}
        attempts = int(str(headers.get("x-delivery-count", 0) or 0)) + 1
        error = f"{type(exc).__name__}: {exc}"
        log.error("%s: cannot handle %s (attempt %d): %s", self.name, message.message_id, attempts, error)
        try:
            await self.pool.execute(
                f'INSERT INTO "{self.schema}".dead_letters '
                "(consumer, event_id, attempts, error, envelope) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (consumer, event_id) DO UPDATE SET attempts = EXCLUDED.attempts, "
                "error = EXCLUDED.error, failed_at = now()",
                self.name,
                message.message_id or "?",
                attempts,
                error,
                message.body.decode("utf-8", "replace")[:100_000],
            )
        except Exception:  # the record is best effort; the broker still bounds the retries
            log.exception("%s: could not record the failure", self.name)
        if isinstance(exc, PoisonMessage) or attempts >= self.max_deliveries:
            CONSUMED.labels(self.name, "dead-lettered").inc()
            await message.reject(requeue=False)
        else:
            CONSUMED.labels(self.name, "retried").inc()
            await message.nack(requeue=True)
