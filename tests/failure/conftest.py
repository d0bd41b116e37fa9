from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.failure.harness import Stack
from tests.failure.servers import PG_BIN, RABBIT_BIN, ThrowawayPostgres, ThrowawayRabbit
from tests.failure.verdict import DurableTap


@pytest.fixture(scope="session")
def servers() -> Iterator[tuple[ThrowawayPostgres, ThrowawayRabbit]]:
    """One throwaway PostgreSQL and RabbitMQ for the session; tests that kill them restart them."""
    for tool in (PG_BIN / "initdb", RABBIT_BIN / "rabbitmq-server"):
        if not tool.exists() and shutil.which(tool.name) is None:
            pytest.skip(f"{tool.name} is not installed: the fault tests need their own servers")
    pg = ThrowawayPostgres()
    rabbit = ThrowawayRabbit(uuid.uuid4().hex[:6])
    try:
        pg.start()
        rabbit.start()
        yield pg, rabbit
    finally:
        try:
            rabbit.close()
        finally:
            pg.close()


@pytest.fixture
async def stack(servers: tuple[ThrowawayPostgres, ThrowawayRabbit]) -> AsyncIterator[Stack]:
    pg, rabbit = servers
    # A previous test may have failed while one of them was down.
    if not pg.pids():
        pg.start()
    if rabbit.process is None:
        rabbit.start()
    s = Stack(pg, rabbit)
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture
async def tap(stack: Stack) -> DurableTap:
    t = DurableTap(stack)
    await t.declare()
    return t
