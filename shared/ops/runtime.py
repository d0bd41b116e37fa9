"""What one service process holds: its pools and connections, and the background components
(relay, consumers) it runs beside its HTTP API. Started and stopped as one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aio_pika
import asyncpg

from shared.kernel.settings import ServiceSettings
from shared.messaging.consumer import Consumer
from shared.messaging.contracts import Contracts
from shared.messaging.eventlog import EventLog
from shared.messaging.problems import problems_summary
from shared.messaging.relay import Relay
from shared.ops.gc_pause import freeze_startup
from shared.ops.migrations import at_head, migrate
from shared.store.eventstore import ServiceApplication, ensure_database

log = logging.getLogger("tdkt.runtime")


@dataclass
class Runtime:
    settings: ServiceSettings
    # Builds the service's parts (application, event log, relay, consumers) once the pool exists.
    setup: Callable[[Runtime], Awaitable[None]] | None = None
    components: frozenset[str] = frozenset({"api", "relay", "consumer"})
    # PostgreSQL settings of the pool's sessions (a service's own, e.g. reporting's planner choices).
    server_settings: dict[str, str] = field(default_factory=dict)
    # The service's versioned migrations (shared.ops.migrations), applied at start before `setup`.
    migrations: Path | None = None
    pool: asyncpg.Pool | None = None
    application: ServiceApplication | None = None
    eventlog: EventLog | None = None
    relay: Relay | None = None
    consumers: list[Consumer] = field(default_factory=list)
    jwks: Any = None
    # Extra background loops (run until stopping is set) and extra parts of /health.
    background: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = field(default_factory=list)
    health_parts: list[Callable[[], Awaitable[dict[str, Any]]]] = field(default_factory=list)
    # The service's own typed parts object (its bootstrap.py), set by `setup`.
    parts: Any = None
    # Set by the process's entry point (shared.ops.serve) only: see gc_pause.freeze_startup.
    freeze_at_start: bool = False
    _broker: aio_pika.abc.AbstractRobustConnection | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def attach(self, application: ServiceApplication, contracts: Contracts) -> EventLog:
        """The service's event store, its log as the relay and the feed read it, and the relay."""
        self.application = application
        table = application.recorder.events_table_name  # type: ignore[attr-defined]
        self.eventlog = EventLog(self.db, self.settings.schema_name, table, application.mapper, contracts)
        self.relay = Relay(self.settings, self.db, self.eventlog)
        return self.eventlog

    @property
    def db(self) -> asyncpg.Pool:
        assert self.pool is not None, "runtime not started"
        return self.pool

    async def health(self) -> dict[str, Any]:
        state: dict[str, Any] = {"service": self.settings.service}
        try:
            await asyncio.wait_for(self.db.fetchval("SELECT 1"), 2)
            state["database"] = "up"
        except Exception:
            state["database"] = "down"
        state["broker"] = "up" if self._broker is not None and not self._broker.is_closed else "down"
        if self.relay is not None and self.eventlog is not None and state["database"] == "up":
            with contextlib.suppress(Exception):
                state["relay"] = {"position": await self.relay.position(), "head": await self.eventlog.head()}
        if state["database"] == "up":
            # Events a reader could not store as they are (shared.messaging.problems): the service works,
            # so they do not make it unhealthy; they ask an operator for a correction.
            with contextlib.suppress(Exception):
                problems = await problems_summary(self.db, self.settings.schema_name)
                if problems is not None:
                    state["problems"] = problems
        for part in self.health_parts:
            with contextlib.suppress(Exception):
                state.update(await part())
        return state

    async def start(self) -> None:
        await asyncio.to_thread(ensure_database, self.settings)
        self.pool = await asyncpg.create_pool(
            self.settings.database_url, min_size=1, max_size=10, server_settings=self.server_settings
        )
        async with self._alone():
            schema = self.settings.schema_name
            if self.migrations is not None and not await at_head(self.db, schema, self.migrations):
                await asyncio.to_thread(migrate, self.settings.database_url, schema, self.migrations)
            if self.setup is not None:
                await self.setup(self)
        if self.eventlog is not None:
            # Ids of events written from now on never match ids published before a restore.
            await self.eventlog.begin_epoch()
        if self.settings.jwks_url:
            import jwt

            self.jwks = jwt.PyJWKClient(self.settings.jwks_url, cache_keys=True)
        try:
            self._broker = await aio_pika.connect_robust(self.settings.amqp_url, timeout=5)
        except Exception as exc:  # /health reports it; the relay keeps retrying
            log.warning("broker unreachable at start: %r", exc)
        if self.relay is not None and "relay" in self.components:
            await self.relay.start()
            self._tasks.append(asyncio.create_task(self.relay.run(self._stopping)))
        if "consumer" in self.components:
            for consumer in self.consumers:
                await consumer.start()
        for loop in self.background:
            self._tasks.append(asyncio.create_task(loop(self._stopping)))
        if self.freeze_at_start:
            freeze_startup()

    @contextlib.asynccontextmanager
    async def _alone(self) -> AsyncIterator[None]:
        """Replicas of a service starting together set up one after the other (a session lock
        keyed by the schema): the read models' CREATE … IF NOT EXISTS would race otherwise (a
        duplicate key in pg_type), and a later replica finds the catch-up done."""
        key = f"tdkt-start:{self.settings.schema_name}"
        async with self.db.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock(hashtextextended($1, 0))", key)
            try:
                yield
            finally:
                await conn.execute("SELECT pg_advisory_unlock(hashtextextended($1, 0))", key)

    async def stop(self) -> None:
        self._stopping.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5)
        for consumer in self.consumers:
            with contextlib.suppress(Exception):
                await consumer.stop()
        if self.relay is not None:
            with contextlib.suppress(Exception):
                await self.relay.stop()
        if self._broker is not None:
            with contextlib.suppress(Exception):
                await self._broker.close()
        if self.pool is not None:
            await self.pool.close()

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()
