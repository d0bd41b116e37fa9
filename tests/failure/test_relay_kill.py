"""I2: kill -9 of a relay (its own process) after the broker confirmed a page and before the
position was saved. The next relay republishes the page: duplicates on the bus, none lost,
and the consumers apply each event once."""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import time
from pathlib import Path

import asyncpg
import pytest

from tests.failure.harness import Stack, scaled
from tests.failure.verdict import DurableTap, Verdict, assert_nothing_lost, drain_and_compare
from tests.failure.workload import Ledger, workload


async def _relay_killed_before_save(
    stack: Stack, tap: DurableTap, drain: float = 120, **seams: str
) -> tuple[Verdict, int, int]:
    stack.start("registration", "api")
    stack.start("awards")
    stack.start("reporting")
    ledger = Ledger()
    await workload(stack, ledger, scaled(40))
    marker = Path(tempfile.mkdtemp()) / "published"
    try:
        relay = stack.headless(
            "tests.failure.proc",
            "registration",
            "--components",
            "relay",
            TDKT_FAILURE_PAUSE_BEFORE_SAVE=str(marker),
            TDKT_RELAY_PAGE_SIZE="100",
            **seams,
        )
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert relay.poll() is None and time.monotonic() < deadline, "relay never reached the seam"
            await asyncio.sleep(0.1)
        paused_at = int(marker.read_text())
        os.kill(relay.pid, signal.SIGKILL)
        relay.wait()
    finally:
        marker.unlink(missing_ok=True)
        marker.parent.rmdir()
    conn = await asyncpg.connect(stack.database_url)
    try:
        saved = int(await conn.fetchval("SELECT coalesce(max(position), 0) FROM registration.relay_position"))
    finally:
        await conn.close()
    stack.headless("services.registration", "--components", "relay")  # a fresh relay takes over
    return await drain_and_compare(stack, ledger, tap, timeout=drain), paused_at, saved


async def test_relay_kill9_between_publish_and_position_save(stack: Stack, tap: DurableTap) -> None:
    verdict, paused_at, saved = await _relay_killed_before_save(stack, tap)
    assert saved < paused_at  # the kill landed after the confirms and before the save
    assert_nothing_lost(verdict)
    assert verdict.published.duplicated  # the confirmed page went out again: at least once


@pytest.mark.slow
async def test_harness_catches_a_relay_that_saves_before_the_broker_confirmed(
    stack: Stack, tap: DurableTap
) -> None:
    """The mechanism switched off: the same fault now loses the page that was saved but never sent."""
    verdict, paused_at, saved = await _relay_killed_before_save(
        stack, tap, drain=20, TDKT_FAILURE_SAVE_BEFORE_CONFIRM="1"
    )
    assert saved == paused_at
    assert verdict.published.lost and verdict.projected.lost
    assert len(verdict.published.lost) == 100
