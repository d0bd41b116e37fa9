"""Test helpers: isolated databases, exchanges and queues; services run as processes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aio_pika
import httpx
import psycopg
from psycopg import sql

from shared.auth.tokens import mint
from shared.kernel.settings import ServiceSettings

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("TDKT_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("TDKT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
SECRET = "test-secret-at-least-32-bytes-long!!"
T = TypeVar("T")


@dataclass
class Isolation:
    """A database, an exchange and a queue prefix no other run uses: a test's, or with other
    defaults a benchmark's (bench/env.py)."""

    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    purpose: str = "test"  # in every name: tdkt_test_<tag>, tdkt.events.test-<tag>, test-<tag>.
    admin_url: str = ADMIN_URL
    amqp_url: str = AMQP_URL
    secret: str = SECRET
    # Made by the run itself beside the services' own, dropped with them.
    queues: set[str] = field(default_factory=set)
    exchanges: set[str] = field(default_factory=set)
    # The queues of subscriptions (shared.web.subscriptions) the run provisioned, read by drop() first.
    provisioned_queues: list[str] = field(default_factory=list)

    @property
    def database(self) -> str:
        return f"tdkt_{self.purpose}_{self.tag}"

    @property
    def database_url(self) -> str:
        return self.admin_url.rsplit("/", 1)[0] + "/" + self.database

    @property
    def exchange(self) -> str:
        return f"tdkt.events.{self.purpose}-{self.tag}"

    @property
    def queue_prefix(self) -> str:
        return f"{self.purpose}-{self.tag}."

    def env(self) -> dict[str, str]:
        return {
            "TDKT_DATABASE_URL": self.database_url,
            "TDKT_AMQP_URL": self.amqp_url,
            "TDKT_EXCHANGE": self.exchange,
            "TDKT_QUEUE_PREFIX": self.queue_prefix,
            "TDKT_JWT_SECRET": self.secret,
            # HS256 test tokens are development tokens (shared.auth): accepted in this mode only.
            "TDKT_DEVELOPMENT": "1",
        }

    def settings(self, cls: type[ServiceSettings], **overrides: Any) -> Any:
        return cls(
            database_url=self.database_url,
            amqp_url=self.amqp_url,
            exchange=self.exchange,
            queue_prefix=self.queue_prefix,
            jwt_secret=self.secret,
            **{"development": True, **overrides},
        )

    def drop(self) -> None:
        self.provisioned_queues = subscription_queues(self.database_url)
        self.drop_database()

    def drop_database(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.database,)
            )
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(self.database)))

    async def drop_broker_objects(self) -> None:
        connection = await aio_pika.connect(self.amqp_url)
        async with connection:
            names = [f"{self.queue_prefix}{c}{dlq}" for c in CONSUMERS for dlq in ("", ".dlq")]
            names += self.provisioned_queues or subscription_queues(self.database_url)
            for name in sorted(self.queues.union(names)):
                channel = await connection.channel()
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    await channel.queue_delete(name)
            for name in sorted(self.exchanges):
                channel = await connection.channel()
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    await channel.exchange_delete(name)
            channel = await connection.channel()
            await channel.exchange_delete(self.exchange)


CONSUMERS = ("awards.registration", "registration.awards", "reporting")


def subscription_queues(database_url: str) -> list[str]:
    """The queues of every subscription recorded in a test database (none if it is gone)."""
    names: list[str] = []
    with contextlib.suppress(psycopg.Error), psycopg.connect(database_url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'subscriptions'"
        ).fetchall()
        for (schema,) in tables:
            query = sql.SQL("SELECT queue, dead_letter_queue FROM {}.subscriptions").format(
                sql.Identifier(schema)
            )
            for queue, dlq in conn.execute(query).fetchall():
                names += [queue, dlq]
    return names


def run_apart(coroutine: Awaitable[T]) -> T:
    """Run a coroutine to its end on a loop of its own thread: Playwright's sync API leaves a
    running loop in the tests' thread, where asyncio.run refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()  # type: ignore[arg-type]


def token(scope: str, roles: list[str] | None = None, sub: str = "tester") -> str:
    settings = ServiceSettings(jwt_secret=SECRET)
    return mint(settings, sub, scope, roles or ["admin"])


def bearer(scope: str, roles: list[str] | None = None, sub: str = "tester") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(scope, roles, sub)}"}


async def eventually(check: Callable[[], Awaitable[T]], timeout: float = 20.0, interval: float = 0.1) -> T:
    """Retry `check` until it stops raising AssertionError, or fail with its last error."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_answering(
    process: subprocess.Popen[bytes], url: str, log: Path, name: str, pause: float, timeout: float = 30
) -> None:
    """Until `url` answers 200 (at most `timeout` s); a process that exits first, or never answers,
    is an error carrying the end of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(pause)
    raise RuntimeError(f"{name} did not start: {log.read_text()[-3000:]}")


class ServiceProcess:
    """One service started as `python -m services.<name>`, as `make run` starts it."""

    def __init__(self, name: str, env: dict[str, str], components: str = "api,relay,consumer"):
        self.name = name
        self.port = free_port()
        # Plain log lines: the fuzz reads an exception's frames line by line (tests/e2e).
        plain = {"TDKT_LOG_FORMAT": "text"}
        self.env = {**plain, **os.environ, **env, f"TDKT_{name.upper()}_PORT": str(self.port)}
        self.components = components
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / ".pytest_cache" / f"{name}-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> ServiceProcess:
        self.log.parent.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", f"services.{self.name}", "--components", self.components],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_answering(self.process, self.url + "/health", self.log, self.name, pause=0.2, timeout=timeout)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class BusTap:
    """A queue of our own bound to the test exchange: what really went over the bus."""

    def __init__(self, isolation: Isolation, binding: str = "#") -> None:
        self.isolation = isolation
        self.binding = binding
        self.messages: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def __aenter__(self) -> BusTap:
        self.connection = await aio_pika.connect(AMQP_URL)
        channel = await self.connection.channel()
        exchange = await channel.declare_exchange(self.isolation.exchange, "topic", durable=True)
        self.queue = await channel.declare_queue(
            f"{self.isolation.queue_prefix}tap-{uuid.uuid4().hex[:6]}", auto_delete=True
        )
        await self.queue.bind(exchange, self.binding)
        await self.queue.consume(self._on)
        return self

    async def _on(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        self.messages.append(message)
        await message.ack()

    def envelopes(self) -> list[dict[str, Any]]:
        return [json.loads(m.body) for m in self.messages]

    async def __aexit__(self, *exc: object) -> None:
        await self.connection.close()


@contextlib.asynccontextmanager
async def in_process(rt: Any, build_app: Callable[[Any], Any]) -> Any:
    """A service's runtime started in this process, with an HTTP client on its ASGI app."""
    await rt.start()
    try:
        transport = httpx.ASGITransport(app=build_app(rt))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
    finally:
        await rt.stop()
