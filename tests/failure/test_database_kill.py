"""I1/I2 across a PostgreSQL crash: kill -9 of the database (postmaster and backends) while
commands are appended. Every acknowledged command survives; unacknowledged ones may or may
not; whatever is stored still reaches the bus and the read models."""

from __future__ import annotations

import asyncio

from tests.failure.harness import Stack, scaled
from tests.failure.verdict import (
    DurableTap,
    assert_nothing_lost,
    drain_and_compare,
    read_models_equal_rebuild,
)
from tests.failure.workload import Ledger, progressed, workload


async def test_database_kill9_while_commands_are_appended(stack: Stack, tap: DurableTap) -> None:
    stack.start_all()
    ledger = Ledger()
    restarted = asyncio.Event()
    running = asyncio.create_task(workload(stack, ledger, scaled(120), until=restarted))
    await progressed(ledger, 100)
    in_flight = not running.done()
    await asyncio.to_thread(stack.pg.kill9)
    await asyncio.sleep(2)
    await asyncio.to_thread(stack.pg.start)
    restarted.set()
    await running
    more = Ledger()  # the services recovered: new commands are stored again
    await workload(stack, more, scaled(10), start=10_000)
    assert len(more.acknowledged) == 2 * 3 * scaled(10), more.refused
    ledger.acknowledged |= more.acknowledged
    print(f"\nrefused during the outage: {dict(ledger.refused)}; no answer: {ledger.failed}")
    verdict = await drain_and_compare(stack, ledger, tap, timeout=180)
    assert_nothing_lost(verdict)
    # The fault hit a running workload (the services may ride it out: a command waiting on the
    # dead database is retried by the store's connection pool, or answered 5xx).
    assert in_flight
    assert await read_models_equal_rebuild(stack) == {}
