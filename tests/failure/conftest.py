from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.failure.harness import DurableTap, Stack
from tests.failure.servers import ThrowawayPostgres, ThrowawayRabbit


@pytest.fixture(scope="session")
def servers() -> Iterator[tuple[ThrowawayPostgres, ThrowawayRabbit]]:
    """One throwaway PostgreSQL and RabbitMQ for the session; tests that kill them restart them."""
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
