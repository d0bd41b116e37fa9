"""The failure tests' harness: the three services as processes on throwaway servers
(`workload` drives them, `verdict` compares what was told, stored, published, projected)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field

import aio_pika

from tests.failure.servers import ThrowawayPostgres, ThrowawayRabbit
from tests.support import ROOT, SECRET, ServiceProcess, bearer

ADMIN = bearer("*", ["admin"], sub="failure-workload")
FEDERATIONS = ("bac-kan", "cao-bang", "lang-son")
SERVICES = ("registration", "awards", "reporting")
# Workload size: TDKT_FAILURE_SCALE=10 makes the slow tests' workloads ten times larger.
SCALE = float(os.environ.get("TDKT_FAILURE_SCALE", "1"))


def scaled(n: int) -> int:
    return max(1, int(n * SCALE))


@dataclass
class Stack:
    """One test's database, exchange and queue names on the throwaway servers, and its services."""

    pg: ThrowawayPostgres
    rabbit: ThrowawayRabbit
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    extra: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.pg.url(f"tdkt_{self.tag}")

    @property
    def exchange(self) -> str:
        return f"tdkt.events.{self.tag}"

    def env(self, **more: str) -> dict[str, str]:
        return {
            "TDKT_DATABASE_URL": self.database_url,
            "TDKT_AMQP_URL": self.rabbit.url,
            "TDKT_EXCHANGE": self.exchange,
            "TDKT_QUEUE_PREFIX": f"{self.tag}.",
            "TDKT_JWT_SECRET": SECRET,
            "TDKT_DEVELOPMENT": "1",
            **more,
        }

    def start(self, name: str, components: str = "api,relay,consumer", **env: str) -> ServiceProcess:
        process = ServiceProcess(name, self.env(**env), components)
        self.processes[name] = process
        return process.start()

    def start_all(self, **env: str) -> None:
        for name in SERVICES:
            self.start(name, **env)

    def headless(self, module: str, *args: str, **env: str) -> subprocess.Popen[bytes]:
        """A background-only process (e.g. a relay of its own), not waited on over HTTP."""
        log = ROOT / ".pytest_cache" / f"{module.rsplit('.', 1)[-1]}-{self.tag}-{len(self.extra)}.log"
        log.parent.mkdir(exist_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env={**os.environ, **self.env(**env)},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.extra.append(process)
        return process

    def url(self, name: str) -> str:
        return self.processes[name].url

    def stop(self) -> None:
        for process in self.extra:
            if process.poll() is None:
                process.kill()
                process.wait()
        for process in self.processes.values():
            process.stop()


async def queue_ready(stack: Stack, name: str, timeout: float = 60) -> None:
    """Wait until a consumer process has declared its queue (so nothing published misses it)."""
    deadline = time.monotonic() + timeout
    while True:
        connection = await aio_pika.connect(stack.rabbit.url)
        async with connection:
            channel = await connection.channel()
            try:
                await channel.declare_queue(f"{stack.tag}.{name}", passive=True)
                return
            except aio_pika.exceptions.ChannelClosed:
                assert time.monotonic() < deadline, f"queue {name} never declared"
        await asyncio.sleep(0.2)
