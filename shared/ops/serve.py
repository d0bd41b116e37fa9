"""Running one service process: its HTTP API with uvicorn, or only its background components."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from shared.ops import logs, tracing
from shared.ops.runtime import Runtime


def components_arg(argv: list[str] | None, service: str) -> frozenset[str]:
    parser = argparse.ArgumentParser(prog=f"python -m services.{service}")
    parser.add_argument(
        "--components",
        default="api,relay,consumer",
        help="comma-separated: api, relay, consumer (default: all)",
    )
    args = parser.parse_args(argv)
    chosen = frozenset(c.strip() for c in args.components.split(",") if c.strip())
    unknown = chosen - {"api", "relay", "consumer"}
    if unknown:
        parser.error(f"unknown components {sorted(unknown)}")
    return chosen


def serve(rt: Runtime, build_app: Callable[[Runtime], FastAPI]) -> None:
    logs.configure(rt.settings.service)
    tracing.configure(rt.settings.service)
    rt.freeze_at_start = True  # this process's one start
    if "api" in rt.components:
        uvicorn.run(
            build_app(rt),
            host=rt.settings.host,
            port=rt.settings.port,
            log_level="warning",
            timeout_graceful_shutdown=5,
        )
    else:
        asyncio.run(_headless(rt))


async def _headless(rt: Runtime) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await rt.start()
    try:
        await stop.wait()
    finally:
        await rt.stop()
