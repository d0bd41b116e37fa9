"""The quick data set (one federation), path by path. Each path leaves the data the next one
needs: the pledges of the single commands and lists are what the relay publishes, what the
projection consumes and what the rebuild reads back."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING, Any

import asyncpg

from bench import bus, commands, env, measure, rebuild, results
from bench.generate import YEARS, Envelopes, federation, history_events
from bench.seed import seed
from services.reporting.application.rebuild import Feed
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel.settings import RegistrationSettings, ReportingSettings

if TYPE_CHECKING:
    from bench.run import Run

WARMUP = 200  # untimed single commands (and raw rows) before the timed ones


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
        await self.single_command()
        await self.bulk_import()
        await self.relay()
        await self.projection()
        await self.rebuild()
        await self.end_to_end()
        await self.reads()

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

    async def single_command(self) -> None:
        run, a, fed, members, token = self.run, self.a, self.fed, self.members, self.token
        assert self.reg is not None
        reg = self.reg
        # Both sides start warm: WARMUP untimed pledges (other members) and raw rows go first.
        await run.step(
            "single command warm-up",
            lambda: commands.single_command(
                reg.url, fed.code, token, members[a.single : a.single + WARMUP], "ldtt"
            ),
        )
        single = await run.step(
            "single command",
            lambda: run.profiler.around(
                "single_command",
                [reg.pid],
                commands.single_command(reg.url, fed.code, token, members[: a.single], "ldtt"),
            ),
        )
        conn = await asyncpg.connect(self.url)
        try:
            template = await conn.fetchrow(
                f"SELECT topic, state FROM {self.table} WHERE topic LIKE '%Pledge%' LIMIT 1"
            )
        finally:
            await conn.close()
        if template:
            self.topic, self.state = template["topic"], bytes(template["state"])
        rows = max(a.single, 2000) + WARMUP
        raw1 = await run.step(
            "raw single insert, 1 connection",
            lambda: measure.raw_single_inserts(
                self.url, measure.rows_like(self.topic, self.state, rows), 1, WARMUP
            ),
        )
        raw4 = await run.step(
            "raw single insert, 4 connections",
            lambda: measure.raw_single_inserts(
                self.url, measure.rows_like(self.topic, self.state, rows), 4, WARMUP
            ),
        )
        self.rates["single_command"] = {"product": single, "raw": raw1, "raw_4_connections": raw4}
        self.ratios["single_command"] = results.ratio(
            single and single["pledges_per_s"], raw1 and raw1["rows_per_s"]
        )

    async def bulk_import(self) -> None:
        run, fed, token, url = self.run, self.fed, self.token, self.url
        assert self.reg is not None
        reg = self.reg
        rows = self.members[: self.a.bulk_rows]

        # Both modes store a list in one transaction. Lists arrive minutes apart, not back to back:
        # each is sent once registration's read model has caught up with the one before (in the
        # API process), so one list's measurement does not carry the previous list's projection.
        # The default mode goes last: should it not answer, the service is restarted.
        async def settle() -> None:
            await commands.read_model_caught_up(url, self.table)

        await settle()
        bulk_json = await run.step(
            "bulk import JSON (keep-good-rows)",
            lambda: run.profiler.around(
                "bulk_import",
                [reg.pid],
                commands.bulk_import(reg.url, fed.code, token, rows, "cstd-co-so", "json", "keep-good-rows"),
            ),
        )
        await settle()
        bulk_xlsx = await run.step(
            "bulk import xlsx (keep-good-rows)",
            lambda: commands.bulk_import(
                reg.url, fed.code, token, rows, "giay-khen", "xlsx", "keep-good-rows"
            ),
        )
        await settle()
        whole = await run.step(
            "bulk import JSON (all-or-nothing)",
            lambda: commands.bulk_import(reg.url, fed.code, token, rows, "bang-khen-tld", "json", timeout=60),
        )
        if whole is None:  # the transaction may still hold the events table's lock: start afresh
            run.doc["missing"]["bulk import JSON (all-or-nothing)"] += (
                f" (no answer in 60 s to one {len(rows)}-row list stored in one transaction; "
                "see the README's Benchmark section)"
            )
            run.stop(reg)
            self.reg = run.start("registration", self.iso, "api")
        raw_bulk = await run.step(
            "raw bulk", lambda: measure.raw_bulk(url, measure.rows_like(self.topic, self.state, len(rows)))
        )
        self.rates["bulk_import"] = {
            "product": bulk_json,
            "product_xlsx": bulk_xlsx,
            "product_all_or_nothing": whole,
            "raw": raw_bulk,
        }
        for key, product, raw_key in (
            ("bulk_import", bulk_json, "executemany_rows_per_s"),
            ("bulk_import_xlsx", bulk_xlsx, "executemany_rows_per_s"),
            ("bulk_import_copy", bulk_json, "copy_rows_per_s"),
            ("bulk_import_all_or_nothing", whole, "executemany_rows_per_s"),
        ):
            if product and product.get("missing"):
                run.doc["missing"][key] = "pledges:batch is not there yet"
                product = None
            raw = raw_bulk and raw_bulk[raw_key]
            self.ratios[key] = results.ratio(product and product["rows_per_s"], raw)

    async def relay(self) -> None:
        run, iso = self.run, self.iso
        # The awards service's share of the data set: ten years of ratings and grants, published
        # as its relay would, so reporting projects (and the raw consumer acks) the same set.
        rated = self.rng.sample(self.members, min(len(self.members), self.a.rated))
        self.awards = [bus.as_message(e) for e in history_events(Envelopes(), self.rng, self.fed, rated)]
        await run.step(
            "publish awards history",
            lambda: measure.raw_publish(env.AMQP_URL, iso.exchange, None, self.awards),
        )
        relayed = await run.step(
            "relay",
            lambda: run.profiler.around("relay", [None], bus.relay(self.reg_settings, self.log_table)),
        )
        self.messages = relayed[1] if relayed else []
        raw_relay = await run.step(
            "raw publish, 200 in flight",
            lambda: measure.raw_publish(env.AMQP_URL, self.raw_exchange, self.raw_queue, self.messages),
        )
        await run.step(
            "raw publish of the awards history",
            lambda: measure.raw_publish(env.AMQP_URL, self.raw_exchange, self.raw_queue, self.awards),
        )
        self.rates["relay"] = {"product": relayed and relayed[0], "raw": raw_relay}
        self.ratios["relay"] = results.ratio(
            relayed and relayed[0]["events_per_s"], raw_relay and raw_relay["msgs_per_s"]
        )
        run.doc["events"] = len(self.messages) + len(self.awards)

    async def projection(self) -> None:
        run, total = self.run, len(self.messages) + len(self.awards)
        self.rep = rep = run.start("reporting", self.iso, "consumer,api")
        proj = await run.step(
            "projection",
            lambda: run.profiler.around("projection", [rep.pid], bus.projection(self.url, total)),
        )
        raw_proj = await run.step(
            "raw ack-only consumer",
            lambda: measure.raw_consume(
                env.AMQP_URL, self.raw_queue, total, ReportingSettings().consumer_prefetch
            ),
        )
        self.rates["projection"] = {"product": proj, "raw": raw_proj}
        self.ratios["projection"] = results.ratio(
            proj and proj["events_per_s"], raw_proj and raw_proj["msgs_per_s"]
        )

    async def rebuild(self) -> None:
        run, url, token = self.run, self.url, self.token
        assert self.reg is not None
        reg = self.reg

        async def rebuild_quick() -> dict[str, Any]:
            out = await rebuild.from_feeds(url, [Feed("registration", reg.url, token)], "reporting_bench")
            conn = await asyncpg.connect(url)
            await conn.execute('DROP SCHEMA IF EXISTS "reporting_bench" CASCADE')
            await conn.close()
            return out

        rb = await run.step(
            "rebuild from registration's feed",
            lambda: run.profiler.around("rebuild", [None, reg.pid], rebuild_quick()),
        )
        raw_rb = await run.step("raw paged select", lambda: measure.raw_paged_select(url, [self.table]))
        feed_only = await run.step(
            "registration's feed alone", lambda: rebuild.feed_only(Feed("registration", reg.url, token))
        )
        self.rates["rebuild"] = {
            "product": rb,
            "raw": raw_rb,
            "data_set": "quick: registration's log via its feed",
            "feed_alone": feed_only,
        }
        self.ratios["rebuild"] = results.ratio(rb and rb["events_per_s"], raw_rb and raw_rb["rows_per_s"])

    async def end_to_end(self) -> None:
        run, a, fed, members, token, url = self.run, self.a, self.fed, self.members, self.token, self.url
        assert self.reg is not None
        run.stop(self.reg)
        self.reg = reg = run.start("registration", self.iso, "api,relay")
        n_e2e = int(a.e2e_seconds * 100)
        e2e = await run.step(
            "end to end",
            lambda: commands.end_to_end(reg.url, fed.code, token, members[:n_e2e], "bang-khen-ldld", url),
        )
        raw_e2e = await run.step(
            "raw confirm latency",
            lambda: measure.raw_confirm_latency(
                env.AMQP_URL, self.raw_exchange, self.raw_queue, self.messages[:n_e2e]
            ),
        )
        # The same at a rate the two cores sustain beside the relay and the consumer: the latency
        # the pipeline adds by itself, without a queue of commands in front of it.
        low = await run.step(
            f"end to end at {a.e2e_low_rate:g} commands/s",
            lambda: commands.end_to_end(
                reg.url,
                fed.code,
                token,
                members[: int(a.e2e_seconds * a.e2e_low_rate)],
                "bang-lao-dong-sang-tao",
                url,
                per_second=a.e2e_low_rate,
            ),
        )
        self.rates["end_to_end"] = {"product": e2e, "raw": raw_e2e, "product_low_rate": low}
        if e2e:
            run.doc["latency_ms"].update(e2e_p50=e2e["p50_ms"], e2e_p99=e2e["p99_ms"])
        run.stop(reg)
        self.reg = None

    async def reads(self) -> None:
        run, a = self.run, self.a
        assert self.rep is not None
        rep = self.rep

        async def read_back() -> dict[str, Any]:
            sample, feds = await rebuild.sample_subjects(self.url, 200, a.seed)
            return await rebuild.reads(rep.url, self.token, sample, feds, list(YEARS), a.reads, a.seed)

        run.doc["database_mb"] = await run.database_mb(self.url)
        reads = await run.step(
            "reads (quick data set)", lambda: run.profiler.around("reads", [rep.pid], read_back())
        )
        run.record_reads(reads, "quick")
        run.stop(rep)
        self.rep = None
