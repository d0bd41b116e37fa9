"""Renders documents off the event loop: in a small pool of processes owned by awards' runtime
(a big decision's certificates hold the GIL for seconds, which in a thread would stall every other
request of the API), or in a thread where no process is configured (`document_processes` 0)."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


class Renderer:
    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None

    async def render(self, render: Callable[..., bytes], *args: Any) -> bytes:
        """`render(*args)`: a module-level function and plain values (they cross to the process)."""
        if not self.processes:
            return await asyncio.to_thread(render, *args)
        if self._pool is None:  # started on first use: spawned, never forked from a threaded server
            self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"))
        return await asyncio.get_running_loop().run_in_executor(self._pool, render, *args)

    async def run(self, stopping: asyncio.Event) -> None:
        """A background part of the runtime: shuts the processes down when the service stops."""
        await stopping.wait()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
