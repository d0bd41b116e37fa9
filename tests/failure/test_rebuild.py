"""I3: a read-model rebuild (reporting's `rebuild` command, swapping the fresh schema in)
while commands keep arriving and the live consumer keeps projecting. Afterwards nothing is
lost or doubled and the live read models equal another rebuild from scratch."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from tests.failure.harness import Stack, scaled
from tests.failure.verdict import (
    DurableTap,
    assert_nothing_lost,
    drain_and_compare,
    read_models_equal_rebuild,
)
from tests.failure.workload import Ledger, progressed, workload
from tests.support import ROOT


async def test_rebuild_while_writes_continue(stack: Stack, tap: DurableTap) -> None:
    stack.start_all()
    ledger = Ledger()
    rebuilding = asyncio.Event()
    running = asyncio.create_task(workload(stack, ledger, scaled(120), until=rebuilding))
    await progressed(ledger, 150)
    before = len(ledger.acknowledged)
    env = {
        **stack.env(),
        "TDKT_REGISTRATION_URL": stack.url("registration"),
        "TDKT_AWARDS_URL": stack.url("awards"),
    }
    rebuilt = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "services.reporting.entrypoints.cli", "rebuild"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    writes_during_rebuild = len(ledger.acknowledged) - before
    rebuilding.set()
    print(f"\nrebuild: {rebuilt.stdout.strip()} (commands answered meanwhile: {writes_during_rebuild})")
    await running
    verdict = await drain_and_compare(stack, ledger, tap, timeout=120)
    assert_nothing_lost(verdict)
    assert writes_during_rebuild > 0
    assert await read_models_equal_rebuild(stack) == {}
