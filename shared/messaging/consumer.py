"""The consuming side (I4, I6): a durable quorum queue declared through FastStream, consumed in batches.

Each event's id is recorded in the same transaction as its effect, so a redelivered
message has no second effect. A transient database error is retried in place (the
message stays unacknowledged, nothing is dropped); any other error is recorded and the
message is requeued until the queue's delivery limit, then rejected to the dead-letter
queue, so one poison message never blocks the rest. An event holding a value the database
cannot store (a NUL) is not poison: alone, it is applied with those characters replaced and
recorded as a problem (shared.messaging.tracking.apply_recovering); only that slow path looks for it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

import asyncpg
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue
from faststream.rabbit import Channel, QueueType, RabbitBroker, RabbitQueue

from shared.kernel.metrics import CONSUMED, CONSUMER_POSITION
from shared.kernel.settings import ServiceSettings
from shared.messaging import tracing
from shared.messaging.relay import events_exchange
from shared.messaging.tracking import (
    TRANSIENT,
    BatchHandler,
    Handler,
    PoisonMessage,
    apply_batch,
    apply_recovering,
)

log = logging.getLogger("tdkt.consumer")


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
    """Messages come straight from the aio-pika queue under the FastStream broker (which connects
    and declares): FastStream's per-message machinery (parser, decoder, dependency injection,
    middlewares, a worker thread per call) cost more than everything else per event. A callback
    only appends the delivery to a buffer; one task applies the buffer in batches, in delivery
    order, so the next batch fills while one is applied."""

    def __init__(
        self,
        settings: ServiceSettings,
        pool: asyncpg.Pool,
        name: str,
        binding: str,
        handle: Handler,
        *,
        handle_batch: BatchHandler | None,
        also: tuple[str, ...] = (),
    ) -> None:
        """`handle` applies one event; `handle_batch`, given when the handler has a set-wise form
        (reporting's projector), applies a batch's fresh events at once instead (None: `handle`
        on each in turn). `also`: more routing keys bound to the same queue."""
        self.settings = settings
        self.pool = pool
        self.name = name
        self.schema = settings.schema_name
        self.handle = handle
        self.handle_batch = handle_batch
        self.queue_name = f"{settings.queue_prefix}{name}"
        self.dlq_name = f"{self.queue_name}.dlq"
        self.binding = binding
        self.bindings = (binding, *also)
        self.max_deliveries = settings.consumer_max_deliveries
        self.broker = RabbitBroker(
            settings.amqp_url,
            logger=None,
            default_channel=Channel(prefetch_count=settings.consumer_prefetch),
        )
        self.exchange = events_exchange(settings)
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
        self._stopping = asyncio.Event()
        self.batch_size = max(1, min(settings.consumer_batch_size, settings.consumer_prefetch))
        self.batch_wait = settings.consumer_batch_wait_seconds
        self.idle_wait = min(settings.consumer_idle_flush_seconds, self.batch_wait)
        self._pending: list[AbstractIncomingMessage] = []
        self._first_at = 0.0  # when the oldest pending message arrived (or the last batch was taken)
        self._last_at = 0.0  # when the newest did
        self._arrived = asyncio.Event()  # the buffer went from empty to not, or filled a batch
        self._flushing = asyncio.Lock()
        self._rabbit_queue: AbstractQueue | None = None
        self._tag: str | None = None
        self._worker: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # Its tracking tables exist already: made by the service's migrations
        # (shared.ops.migrations), or by `ensure_tracking_tables` for a rebuildable schema.
        await self.broker.connect()
        await self.broker.declare_queue(RabbitQueue(self.dlq_name, durable=True, queue_type=QueueType.QUORUM))
        exchange = await self.broker.declare_exchange(self.exchange)
        queue = await self.broker.declare_queue(self.queue)
        for binding in self.bindings:
            await queue.bind(exchange, routing_key=binding)  # robust: bound again after a reconnect
        self._worker = asyncio.get_running_loop().create_task(self._run())
        self._rabbit_queue = queue
        self._tag = await queue.consume(self._deliver)  # manual acks (no_ack=False)

    async def stop(self) -> None:
        if self._rabbit_queue is not None and self._tag is not None:
            with contextlib.suppress(Exception):
                await self._rabbit_queue.cancel(self._tag)
        with contextlib.suppress(Exception):  # what is not acked is redelivered anyway
            await self.flush()
        self._stopping.set()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(BaseException):
                await self._worker
        await self.broker.stop()

    async def _deliver(self, message: AbstractIncomingMessage) -> None:
        """Buffer the delivery (nothing else per message here: no await before the append keeps
        delivery order). A full batch is applied at once, and so is what gathered once the queue
        goes quiet (no message for `consumer_idle_flush_seconds`) or the oldest waited
        `consumer_batch_wait_seconds`."""
        now = time.monotonic()
        pending = self._pending
        if not pending:
            self._first_at = now
            self._arrived.set()
        self._last_at = now
        pending.append(message)
        if len(pending) == self.batch_size:
            self._arrived.set()

    async def _run(self) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            while self._pending and len(self._pending) < self.batch_size:
                now = time.monotonic()
                due = min(self._last_at + self.idle_wait, self._first_at + self.batch_wait)
                if now + 1e-4 >= due:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), due - now)
                self._arrived.clear()
            try:
                await self.flush()
            except Exception:  # not settled: redelivered; keep consuming
                log.exception("%s: a batch failed", self.name)

    async def flush(self) -> None:
        """Apply (up to a batch of) what is buffered, in one transaction, and ack it at once."""
        async with self._flushing:
            while self._pending:
                batch = self._pending[: self.batch_size]
                del self._pending[: self.batch_size]
                if self._pending:
                    self._first_at = time.monotonic()
                    self._arrived.set()
                await self._apply(batch)
                if self._worker is not None and asyncio.current_task() is self._worker:
                    return

    async def _apply(self, batch: list[AbstractIncomingMessage]) -> None:
        envelopes: list[dict[str, Any]] = []
        for message in batch:
            try:
                envelopes.append(parse(message.body))
            except PoisonMessage:
                break
        if len(envelopes) == len(batch):
            started = time.time_ns()
            try:
                applied = await self._apply_retrying(envelopes)
            except Exception:
                pass  # something in the batch cannot be handled: one by one below
            else:
                # One ack for the batch: every delivery up to the last one's tag (the batch is in
                # delivery order, and each delivery before it was settled already).
                await batch[-1].ack(multiple=True)
                self._count(envelopes, applied)
                tracing.applied(self.name, envelopes, applied, started, time.time_ns())
                return
        # One by one, in order, so the rest still flow and a poison message goes alone.
        for message in batch:
            try:
                try:
                    envelope = parse(message.body)
                except PoisonMessage as exc:
                    await self._fail(message, exc)
                    continue
                await self._one(envelope, message)
            except Exception:  # e.g. its channel closed: the broker requeues it; on with the rest
                log.exception("%s: could not settle %s", self.name, message.message_id)

    async def _one(self, envelope: dict[str, Any], message: AbstractIncomingMessage) -> None:
        started = time.time_ns()
        try:
            [fresh] = await self._apply_retrying([envelope], recovering=True)
        except Exception as exc:
            await self._fail(message, exc)
            return
        await message.ack()
        self._count([envelope], [fresh])
        tracing.applied(self.name, [envelope], [fresh], started, time.time_ns())

    def _count(self, envelopes: list[dict[str, Any]], applied: list[bool]) -> None:
        fresh = sum(applied)
        if fresh:
            CONSUMED.labels(self.name, "applied").inc(fresh)
        if len(applied) > fresh:
            CONSUMED.labels(self.name, "duplicate").inc(len(applied) - fresh)
        heads: dict[str, int] = {}
        for envelope, f in zip(envelopes, applied, strict=True):
            if f:
                heads[envelope["source"]] = int(envelope["sequence"])
        for source, sequence in heads.items():
            CONSUMER_POSITION.labels(self.name, source).set(sequence)

    async def _apply_retrying(self, envelopes: list[dict[str, Any]], recovering: bool = False) -> list[bool]:
        """`recovering`: one event, applied with unstorable characters replaced if need be."""
        backoff = 0.1
        while True:
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    if recovering:
                        [envelope] = envelopes
                        fresh = await apply_recovering(
                            conn, self.schema, self.name, envelope, self.handle, self.handle_batch
                        )
                        return [fresh]
                    return await apply_batch(
                        conn, self.schema, self.name, envelopes, self.handle, self.handle_batch
                    )
            except TRANSIENT as exc:
                if self._stopping.is_set():
                    raise
                log.warning("%s: transient error %r; retrying in %.1fs", self.name, exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _fail(self, message: AbstractIncomingMessage, exc: Exception) -> None:
        headers = message.headers or {}
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
