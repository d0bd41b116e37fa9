"""The rebuild's pipelined bulk load: a feed that fails or serves out of order fails the rebuild
(it neither hangs nor swaps anything in), and the process's cyclic collector runs again after."""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

import asyncpg
import httpx
import pytest

from services.reporting.application.rebuild import rebuild
from shared.kernel.settings import ReportingSettings
from shared.store.eventstore import ensure_database
from tests import reporting_events as ev
from tests.integration.test_reporting_rebuild import ListFeed, workload
from tests.support import Isolation


class BrokenFeed(ListFeed):
    """Serves `pages` pages, then fails as a feed that went away would."""

    def __init__(self, name: str, events: list[dict[str, Any]], pages: int) -> None:
        super().__init__(name, events)
        self.pages = pages

    async def page(self, client: httpx.AsyncClient) -> list[dict[str, Any]]:
        if not self.pages:
            raise httpx.ConnectError("feed gone")
        self.pages -= 1
        return await super().page(client)


class BackwardsFeed(ListFeed):
    async def page(self, client: httpx.AsyncClient) -> list[dict[str, Any]]:
        return list(reversed(await super().page(client)))


def _registration(n: int) -> list[dict[str, Any]]:
    return [e for e in workload(n) if e["source"] == "tdkt/registration"]


async def _schemas(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        return {r[0] for r in await conn.fetch("SELECT nspname FROM pg_namespace")}
    finally:
        await conn.close()


def _database(isolation: Isolation) -> str:
    ensure_database(isolation.settings(ReportingSettings))
    return str(isolation.database_url)


async def test_a_feed_failing_mid_load_fails_the_rebuild(isolation: Isolation) -> None:
    url = _database(isolation)
    feed = BrokenFeed("registration", _registration(12_000), pages=7)
    with pytest.raises(httpx.ConnectError):
        await asyncio.wait_for(rebuild(url, "live", [feed], swap=True), 120)
    assert gc.isenabled()
    assert "live" not in await _schemas(url)  # nothing swapped in


async def test_a_feed_out_of_order_fails_the_rebuild(isolation: Isolation) -> None:
    feed = BackwardsFeed("registration", _registration(3_000))
    with pytest.raises(RuntimeError, match="out of order"):
        await asyncio.wait_for(rebuild(_database(isolation), "live", [feed], swap=False), 120)
    assert gc.isenabled()


async def test_an_event_failing_to_load_fails_the_rebuild_while_chunks_wait(isolation: Isolation) -> None:
    """Events that are cheap to plan, so the planning side runs ahead and waits for room; one in
    the second chunk cannot be stored (an id that is no UUID). The error comes out: the waiting
    side, cancelled, does not hold the rebuild."""
    defined = [
        ev.envelope("awards", "award-defined", {"federation": "", "award": f"a{i}"}, subject=f"award:{i}")
        for i in range(40_000)
    ]
    for sequence, e in enumerate(defined, 1):
        e["sequence"] = sequence
    defined[7_000]["id"] = "not a uuid"
    url = _database(isolation)
    started = time.monotonic()
    with pytest.raises(ValueError):  # asyncpg, encoding the id for COPY
        await asyncio.wait_for(rebuild(url, "live", [ListFeed("awards", defined)], swap=False), 60)
    assert time.monotonic() - started < 30  # a stuck planning side would hold it until the timeout
    assert gc.isenabled()
