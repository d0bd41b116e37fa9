"""The relay: the service's notification log -> RabbitMQ (I2).

It reads from its own saved position, publishes a page of envelopes with many publisher
confirms in flight, and saves the new position only after every one was confirmed. A
crash between publish and save republishes the page: consumers deduplicate by event id.

Any number of replicas may run a service's relay: one is active at a time, the one holding a
PostgreSQL advisory lock (keyed by the service's schema) on a connection of its own; the others
try for it every STANDBY_EVERY seconds. The lock goes with its session, so when the active
relay's process dies (or its connection does) another takes over within about that long."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import asyncpg
from faststream.rabbit import ExchangeType, RabbitBroker, RabbitExchange

from shared.kernel.metrics import LOG_HEAD, RELAY_ACTIVATIONS, RELAY_POSITION, RELAY_PUBLISHED
from shared.kernel.settings import ServiceSettings
from shared.messaging.contracts import CONTENT_TYPE, encode, routing_key
from shared.messaging.eventlog import EventLog

log = logging.getLogger("tdkt.relay")
PUMP_EVERY = 0.005  # seconds between the starts of two pages, at most 200 pages a second
HEAD_EVERY = 1.0  # seconds between two readings of the log's head for its gauge
STANDBY_EVERY = 0.5  # seconds between a standby relay's tries for the lock


def events_exchange(settings: ServiceSettings) -> RabbitExchange:
    return RabbitExchange(settings.exchange, type=ExchangeType.TOPIC, durable=True)


class Relay:
    def __init__(self, settings: ServiceSettings, pool: asyncpg.Pool, eventlog: EventLog) -> None:
        self.settings = settings
        self.pool = pool
        self.eventlog = eventlog
        self.service = settings.service
        self.broker = RabbitBroker(settings.amqp_url, logger=None)
        self.exchange = events_exchange(settings)
        self._table = f'"{settings.schema_name}".relay_position'
        self._wake = asyncio.Event()
        # Test seam: runs after the broker confirmed a page and before the position is saved.
        self.before_save: Callable[[int], Awaitable[None]] | None = None
        self.active = False  # holds the service's relay lock: the one replica publishing

    async def start(self) -> None:
        # relay_position is created by the service's migrations (shared.ops.migrations).
        await self.broker.connect()
        await self.broker.declare_exchange(self.exchange)

    async def stop(self) -> None:
        await self.broker.stop()

    async def position(self) -> int:
        value = await self.pool.fetchval(f"SELECT position FROM {self._table} WHERE relay = $1", self.service)
        return int(value or 0)

    async def _save(self, position: int) -> None:
        await self.pool.execute(
            f"INSERT INTO {self._table} (relay, position) VALUES ($1, $2) "
            "ON CONFLICT (relay) DO UPDATE SET position = GREATEST(EXCLUDED.position, "
            f"{self._table}.position)",
            self.service,
            position,
        )

    async def pump(self) -> int:
        """Publish one page after the saved position; returns how many events it read."""
        start = await self.position()
        page = await self.eventlog.page(start, self.settings.relay_page_size)
        if not page:
            return 0
        window = asyncio.Semaphore(self.settings.relay_in_flight)

        async def publish(envelope: dict) -> None:
            async with window:
                await self.broker.publish(
                    encode(envelope),
                    exchange=self.exchange,
                    routing_key=routing_key(envelope),
                    persist=True,
                    mandatory=False,
                    message_id=envelope["id"],
                    correlation_id=envelope["correlationid"] or envelope["id"],
                    content_type=CONTENT_TYPE,
                    message_type=envelope["type"],
                )

        envelopes = [
            e
            for logged in page
            if (e := self.eventlog.envelope(logged))
        ]
        # gather raises on the first failed confirm; the position is then not advanced.
        await asyncio.gather(*(publish(e) for e in envelopes))
        last = page[-1].sequence
        if self.before_save is not None:
            await self.before_save(last)
        await self._save(last)
        RELAY_PUBLISHED.labels(self.service).inc(len(envelopes))
        RELAY_POSITION.labels(self.service).set(last)
        return len(page)

    async def drain(self) -> None:
        while await self.pump():
            pass

    async def run(self, stopping: asyncio.Event) -> None:
        """Stand by until this replica holds the relay lock, then relay until it stops or loses
        the lock's connection (then stand by again)."""
        while not stopping.is_set():
            lock = await self._lead(stopping)
            if lock is None:
                return
            try:
                await self._relay(stopping, lock)
            finally:
                self.active = False
                with contextlib.suppress(Exception):
                    await lock.close()

    async def _lead(self, stopping: asyncio.Event) -> asyncpg.Connection | None:
        """A connection holding the relay lock, LISTENing for new events; None once stopping."""
        key = f"tdkt.relay:{self.settings.schema_name}"
        while not stopping.is_set():
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(self.settings.database_url)
                while not stopping.is_set():
                    if await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", key):
                        await conn.add_listener(self.eventlog.channel, lambda *_: self._wake.set())
                        conn.add_termination_listener(lambda *_: self._wake.set())
                        self.active = True
                        RELAY_ACTIVATIONS.labels(self.service).inc()
                        log.info("relay %s: active", self.service)
                        return conn
                    await _sleep_or_stop(stopping, STANDBY_EVERY)
            except Exception as exc:  # the database away: try again
                log.warning("relay %s: standing by (%s)", self.service, exc)
                await _sleep_or_stop(stopping, STANDBY_EVERY)
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close()
        return None

    async def _relay(self, stopping: asyncio.Event, lock: asyncpg.Connection) -> None:
        """Pump pages while this replica holds the lock (its connection `lock` stays open)."""
        backoff = 0.2
        loop = asyncio.get_running_loop()
        pumped_at = head_at = -HEAD_EVERY
        while not stopping.is_set() and not lock.is_closed():
            # Under load a commit lands every few milliseconds, each with its NOTIFY: a page
            # is pumped at most every PUMP_EVERY seconds, so one page carries several commits
            # instead of paying its queries (position, page, save) for each.
            pause = pumped_at + PUMP_EVERY - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            pumped_at = loop.time()
            # Cleared before the page is read: a commit notified from here on is in this
            # page or wakes the next round.
            self._wake.clear()
            try:
                read = await self.pump()
                backoff = 0.2
            except Exception as exc:  # broker or database away: retry from the saved position
                log.warning("relay %s: %s; retrying in %.1fs", self.service, exc, backoff)
                await _sleep_or_stop(stopping, backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if read < self.settings.relay_page_size:
                if loop.time() - head_at >= HEAD_EVERY:  # a gauge: once a second is enough
                    head_at = loop.time()
                    with contextlib.suppress(Exception):
                        LOG_HEAD.labels(self.service).set(await self.eventlog.head())
                if not self._wake.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.settings.relay_poll_seconds)


async def _sleep_or_stop(stopping: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)
