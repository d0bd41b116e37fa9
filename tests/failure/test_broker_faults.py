"""I2 under broker faults: a clean restart and a kill -9 of RabbitMQ while the relays publish.
Every stored event reaches the bus at least once; none is published that was not stored."""

from __future__ import annotations

import asyncio

import pytest

from tests.failure.harness import Stack, scaled
from tests.failure.verdict import DurableTap, assert_nothing_lost, drain_and_compare
from tests.failure.workload import Ledger, decisions, progressed, workload


async def _broker_fault(stack: Stack, tap: DurableTap, kill: bool, members: int) -> None:
    stack.start_all()
    ledger = Ledger()
    running = asyncio.create_task(workload(stack, ledger, members))
    await progressed(ledger, 100)  # the relays are publishing
    if kill:
        await asyncio.to_thread(stack.rabbit.kill9)
    else:
        await asyncio.to_thread(stack.rabbit.stop)
    await asyncio.sleep(2)  # commands keep being stored while the broker is away
    await asyncio.to_thread(stack.rabbit.start)
    await running
    await decisions(stack, ledger, [f"dv-{i:05d}" for i in range(members)])  # awards' relay too
    verdict = await drain_and_compare(stack, ledger, tap, timeout=180)
    assert_nothing_lost(verdict)


async def test_broker_restart_while_relays_publish(stack: Stack, tap: DurableTap) -> None:
    await _broker_fault(stack, tap, kill=False, members=scaled(60))


@pytest.mark.slow
async def test_broker_kill9_while_relays_publish(stack: Stack, tap: DurableTap) -> None:
    await _broker_fault(stack, tap, kill=True, members=scaled(350))  # ~2,100 commands
