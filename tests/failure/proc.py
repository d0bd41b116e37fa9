"""`python -m tests.failure.proc <service> --components ...`: a service process as `make run`
starts it, with fault seams switched on by environment variables:

- TDKT_FAILURE_PAUSE_BEFORE_SAVE=<file>: the relay writes <file> after the broker confirmed a
  page and then waits, so the test can kill -9 it between publish and position save;
- TDKT_FAILURE_SAVE_BEFORE_CONFIRM=1: the relay saves its position *before* publishing (the
  guarantee switched off, to show the tests catch it);
- TDKT_FAILURE_NO_TRACKING=1: the consumer applies every delivery, without its tracking row
  (the guarantee switched off)."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shared.messaging import consumer, relay
from shared.ops.runtime import Runtime
from shared.ops.serve import components_arg, serve


def _pause_before_save(marker: Path) -> Any:
    async def pause(position: int) -> None:
        marker.write_text(str(position))
        await asyncio.sleep(3600)

    return pause


async def _save_before_confirm(self: relay.Relay) -> int:
    start = await self.position()
    page = await self.eventlog.page(start, self.settings.relay_page_size)
    if not page:
        return 0
    await self._save(page[-1].sequence)  # the bug: the position moves before the broker confirmed
    marker = os.environ.get("TDKT_FAILURE_PAUSE_BEFORE_SAVE")
    if marker:
        Path(marker).write_text(str(page[-1].sequence))
        await asyncio.sleep(3600)

    async def at_start() -> int:
        return start

    async def saved(_: int) -> None:
        return None

    self.position, self._save = at_start, saved  # type: ignore[method-assign]
    try:
        return await _original_pump(self)
    finally:
        del self.position, self._save


_original_pump = relay.Relay.pump


async def _apply_always(
    conn: Any,
    schema: str,
    name: str,
    envelopes: Sequence[dict[str, Any]],
    handle: consumer.Handler,
    handle_batch: consumer.BatchHandler | None = None,
) -> list[bool]:
    for envelope in envelopes:  # the bug: no processed_events row, so redeliveries apply again
        await handle(conn, envelope)
    return [True] * len(envelopes)


def main() -> None:
    service = sys.argv[1]
    bootstrap = importlib.import_module(f"services.{service}.bootstrap")
    rt: Runtime = bootstrap.runtime(components=components_arg(sys.argv[2:], service))
    original_setup = rt.setup
    marker = os.environ.get("TDKT_FAILURE_PAUSE_BEFORE_SAVE")

    async def setup(rt: Runtime) -> None:
        assert original_setup is not None
        await original_setup(rt)
        if rt.relay is not None and marker and not os.environ.get("TDKT_FAILURE_SAVE_BEFORE_CONFIRM"):
            rt.relay.before_save = _pause_before_save(Path(marker))

    rt.setup = setup
    if os.environ.get("TDKT_FAILURE_SAVE_BEFORE_CONFIRM"):
        relay.Relay.pump = _save_before_confirm  # type: ignore[method-assign]
    if os.environ.get("TDKT_FAILURE_NO_TRACKING"):
        consumer.apply_batch = _apply_always  # type: ignore[assignment]
    serve(rt, bootstrap.build_app)


if __name__ == "__main__":
    main()
