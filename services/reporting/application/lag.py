"""How far reporting is behind each source: how many published events its feed holds after the
highest sequence reporting processed from it (counted up to one page). On /metrics and /health.

The log's head is no measure: it includes events a service stores but never publishes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
import httpx

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.lag import processed_positions
from shared.auth.service_account import TokenUnavailable, token_source
from shared.kernel.metrics import CONSUMER_LAG
from shared.kernel.settings import ServiceSettings

log = logging.getLogger("tdkt.reporting.lag")
CONSUMER = "reporting"
PAGE = 1000


class LagWatcher:
    def __init__(self, settings: ServiceSettings, pool: asyncpg.Pool, interval: float = 5.0) -> None:
        self.settings = settings
        self.reads = Reads(pool, settings.schema_name)
        self.interval = interval
        self.sources = {"tdkt/registration": settings.registration_url, "tdkt/awards": settings.awards_url}
        self.state: dict[str, dict[str, Any]] = {}
        # Outside development the service account's exchanged token (TDKT_SERVICE_CLIENT_ID);
        # the national feeds need a national `reader` (or `auditor`) assignment.
        self.tokens = token_source(settings, "reporting-lag", "*", ["reader"], 300)
        self.refused: str | None = None  # the last refusal logged, so a lasting one is logged once

    async def refresh(self, client: httpx.AsyncClient) -> None:
        processed = await processed_positions(self.reads, CONSUMER)
        try:
            token = await self.tokens.token(client)
        except TokenUnavailable as exc:
            if str(exc) != self.refused:
                log.warning("lag watcher has no token for the feeds: %s", exc)
            self.refused = str(exc)
            for source in self.sources:
                self.state[source] = {"processed": processed.get(source, 0), "error": f"no token: {exc}"}
            return
        self.refused = None
        for source, url in self.sources.items():
            position = processed.get(source, 0)
            entry: dict[str, Any] = {"processed": position}
            try:
                r = await client.get(
                    f"{url}/v1/events",
                    params={"after": position, "limit": PAGE},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if r.status_code == 401:
                    self.tokens.forget()  # e.g. signed with a key retired since: exchange again
                r.raise_for_status()
                pending = r.json()["events"]
                published = int(pending[-1]["sequence"]) if pending else position
                entry.update(published=published, lag=len(pending))
                CONSUMER_LAG.labels(CONSUMER, source).set(entry["lag"])
            except (httpx.HTTPError, KeyError, ValueError) as exc:
                entry["error"] = f"source unreachable: {type(exc).__name__}"
            self.state[source] = entry

    async def run(self, stopping: asyncio.Event) -> None:
        async with httpx.AsyncClient(timeout=5) as client:
            while not stopping.is_set():
                try:
                    await self.refresh(client)
                except Exception as exc:  # the database may be away; /health says so already
                    log.warning("lag refresh failed: %r", exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), self.interval)

    async def health(self) -> dict[str, Any]:
        return {"lag": self.state}
