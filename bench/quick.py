"""The quick data set (one federation), path by path. Each path leaves the data the next one
needs: the pledges of the single commands and lists are what the relay publishes, what the
projection consumes and what the rebuild reads back. The state the paths share lives here; the
paths themselves in bench/quick_commands.py and bench/quick_pipeline.py."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING, Any

from bench import env, measure, quick_commands, quick_lists, quick_pipeline
from bench.generate import federation
from bench.seed import seed
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import RegistrationSettings, ReportingSettings

if TYPE_CHECKING:
    from bench.run import Run


class Quick:
    def __init__(self, run: Run) -> None:
        self.run = run
        self.a = a = run.args
        self.iso = iso = run.iso
        self.rates: dict[str, Any] = run.doc["rates"]
        self.ratios: dict[str, Any] = run.doc["ratios"]
        self.rng = random.Random(a.seed)
        self.fed = federation(self.rng, "bac-kan", a.members, a.members // 80)
        self.members = self.fed.members
        self.reg_settings = iso.settings(RegistrationSettings)
        self.url, self.token = iso.database_url, iso.token()
        self.raw_exchange, self.raw_queue = f"{iso.exchange}.raw", f"{iso.queue_prefix}raw"
        iso.exchanges.add(self.raw_exchange)
        iso.queues.add(self.raw_queue)
        self.log_table = ""
        self.table = ""
        self.reg: env.Service | None = None
        self.rep: env.Service | None = None
        self.topic, self.state = "pledge", b"{}" * 150
        self.messages: list[measure.Message] = []
        self.awards: list[measure.Message] = []

    async def paths(self) -> None:
        await self.seed()
        await quick_commands.single_command(self)
        await quick_commands.bulk_import(self)
        await quick_pipeline.relay(self)
        await quick_pipeline.projection(self)
        await quick_pipeline.rebuild_from_feed(self)
        await quick_pipeline.end_to_end(self)
        await quick_pipeline.reads(self)
        await quick_lists.bulk_lists(self)  # last: its events would weigh on the pipeline paths

    async def lists(self) -> None:
        """`--lists-only`: the bulk lists' rounds on the seeded data set, nothing else."""
        await self.seed()
        await quick_lists.bulk_lists(self)

    async def seed(self) -> None:
        run, iso = self.run, self.iso
        seeded = await run.step("seed", lambda: asyncio.to_thread(seed, self.reg_settings, self.fed))
        if seeded is None:
            raise RuntimeError("could not seed the registration store")
        self.log_table = seeded["table"]
        self.table = f'"registration"."{self.log_table}"'

        async def declare_reporting() -> None:  # its queue and tables exist before anything is published
            rt = reporting_runtime(iso.settings(ReportingSettings), frozenset({"consumer"}))
            await rt.start()
            await rt.stop()

        await run.step("declare reporting queue", declare_reporting)
        self.reg = run.start("registration", iso, "api")
