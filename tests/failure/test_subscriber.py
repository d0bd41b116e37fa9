"""An outside subscriber down for a while, then back (examples/subscriber.py): it catches up
from its checkpoint through the feed, then follows its subscription's queue, and ends with
exactly the set of events stored for its federation: no gap, no duplicate, nothing foreign."""

from __future__ import annotations

import asyncio
import json
import signal
import tempfile
from pathlib import Path

from tests.failure.harness import Stack, scaled
from tests.failure.verdict import compare, stored
from tests.failure.workload import Ledger, progressed, workload
from tests.support import ROOT, token

FEDERATION = "bac-kan"


async def test_subscriber_down_then_back_catches_up_without_gap(stack: Stack) -> None:
    stack.start("registration", "api,relay")
    work = Path(tempfile.mkdtemp(prefix="tdkt-subscriber-"))
    out, checkpoint = work / "events.jsonl", work / "checkpoint.json"
    args = [
        str(ROOT / "examples" / "subscriber.py"),
        "--service",
        stack.url("registration"),
        "--federation",
        FEDERATION,
        "--amqp",
        stack.rabbit.url,
        "--name",
        "hrm",
        "--checkpoint",
        str(checkpoint),
        "--out",
        str(out),
    ]
    env = {"TDKT_TOKEN": token(FEDERATION, ["admin"], sub="hrm-system")}
    try:
        ledger = Ledger()
        running = asyncio.create_task(workload(stack, ledger, scaled(100)))
        await progressed(ledger, 60)  # events exist before the subscriber ever ran: the feed has them
        subscriber = stack.headless("examples.subscriber", *args[1:], **env)
        for _ in range(300):  # bounded: it has started and caught up part of the feed
            if checkpoint.exists():
                break
            await asyncio.sleep(0.1)
        await progressed(ledger, 200)
        subscriber.send_signal(signal.SIGTERM)  # down while the workload goes on
        subscriber.wait(30)
        down_at = json.loads(checkpoint.read_text())["after"]
        await progressed(ledger, 400)
        subscriber = stack.headless("examples.subscriber", *args[1:], **env)
        await running
        expected = {e["id"] for e in await stored(stack) if e["federation"] == FEDERATION}

        async def caught_up() -> list[str]:
            lines = out.read_text().splitlines() if out.exists() else []
            return [json.loads(line)["id"] for line in lines]

        for _ in range(600):  # bounded: up to a minute
            if set(await caught_up()) >= expected:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        seen = await caught_up()
        result = compare(f"subscriber ({FEDERATION}) vs stored", expected, seen)
        print(f"\nstopped at sequence {down_at}; {result.report()}")
        assert not result.lost and not result.duplicated and not result.unexpected, result.report()
        assert down_at > 0
        subscriber.send_signal(signal.SIGTERM)
        subscriber.wait(30)
    finally:
        for path in work.iterdir():
            path.unlink()
        work.rmdir()
