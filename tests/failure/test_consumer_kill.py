"""I3/I4: kill -9 of the reporting consumer while it applies a backlog in batches. What it
had applied but not acknowledged is redelivered and skipped by its tracking rows; the read
models end equal to a rebuild from the log."""

from __future__ import annotations

import asyncio

import pytest

from tests.failure.harness import Stack, queue_ready, scaled
from tests.failure.verdict import (
    DurableTap,
    Verdict,
    assert_nothing_lost,
    drain_and_compare,
    read_models_equal_rebuild,
)
from tests.failure.workload import Ledger, workload


async def _consumer_killed_mid_batch(stack: Stack, tap: DurableTap, **seams: str) -> tuple[Verdict, dict]:
    stack.start("registration")
    stack.start("awards")
    first = stack.headless("tests.failure.proc", "reporting", "--components", "consumer", **seams)
    await queue_ready(stack, "reporting")
    ledger = Ledger()
    await workload(stack, ledger, scaled(5))
    await asyncio.sleep(3)
    first.kill()  # kill -9 while idle: its queue stays and fills up with a backlog
    first.wait()
    await workload(stack, ledger, scaled(80), start=1000)
    await asyncio.sleep(2)
    for delay in (1.0, 1.5):
        consumer = stack.headless("tests.failure.proc", "reporting", "--components", "consumer", **seams)
        await asyncio.sleep(delay)  # started, connected, and in the middle of the backlog
        consumer.kill()
        consumer.wait()
    stack.headless("tests.failure.proc", "reporting", "--components", "consumer", **seams)
    verdict = await drain_and_compare(stack, ledger, tap, timeout=120)
    return verdict, await read_models_equal_rebuild(stack)


async def test_reporting_consumer_kill9_mid_batch(stack: Stack, tap: DurableTap) -> None:
    verdict, diff = await _consumer_killed_mid_batch(stack, tap)
    assert_nothing_lost(verdict)
    assert diff == {}, diff


@pytest.mark.slow
async def test_harness_catches_a_consumer_without_its_tracking_row(stack: Stack, tap: DurableTap) -> None:
    """The mechanism switched off: the projected-vs-stored comparison reports every event lost
    from the tracking table. (The reporting projections are also idempotent by their own keys,
    ON CONFLICT DO NOTHING, so the read models still equal a rebuild: defence in depth. The
    effect-once check with a non-idempotent handler is in test_delivery.py.)"""
    verdict, diff = await _consumer_killed_mid_batch(stack, tap, TDKT_FAILURE_NO_TRACKING="1")
    print(f"read models vs rebuild: {diff}")
    assert len(verdict.projected.lost) == len(verdict.stored)
