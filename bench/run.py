"""One benchmark run: the data set, then each path of the product beside its raw baseline, in
this order (each path leaves the data the next one needs):

  seed the registration store -> single command -> bulk import -> relay -> projection ->
  rebuild -> end to end -> reads (quick data set) [-> nation data set: rebuild, reads]

A path that fails is recorded as not measured, with the reason, and the run goes on."""

from __future__ import annotations

import asyncio
import random
import time
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import asyncpg
import psycopg
from psycopg import sql

from bench import bus, commands, env, measure, rebuild, results
from bench.generate import YEARS, Envelopes, federation, history_events
from bench.profiling import Profiler
from bench.seed import seed
from services.reporting.application.rebuild import Feed
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.settings import RegistrationSettings, ReportingSettings

WARMUP = 200  # untimed single commands (and raw rows) before the timed ones

LOAD_NOTE = (
    "2 cores shared by PostgreSQL, RabbitMQ, the services and the load generator (see loadavg); "
    "absolute figures drift from run to run, compare ratios measured in one run"
)


class Run:
    def __init__(self, args: Any) -> None:
        self.args = args
        self.iso = env.Isolation()
        self.nation_iso = env.Isolation(tag=self.iso.tag + "n")
        self.services: list[env.Service] = []
        self.profiler = Profiler(args.py_spy)
        self.doc: dict[str, Any] = {
            "profile": args.scale,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {**env.machine(), "load": LOAD_NOTE},
            "ratios": {},
            "latency_ms": {},
            "rates": {},
            "missing": {},
            "seed": args.seed,
        }

    async def step(self, name: str, fn: Callable[[], Awaitable[Any]]) -> Any:
        started = time.perf_counter()
        print(f"[bench] {name} …", flush=True)
        try:
            out = await fn()
        except Exception as exc:
            self.doc["missing"][name] = f"{type(exc).__name__}: {str(exc) or repr(exc)}"[:500]
            print(f"[bench] {name} FAILED: {exc}\n{traceback.format_exc()[-1500:]}", flush=True)
            return None
        shown = out[0] if isinstance(out, tuple) else out
        print(f"[bench] {name} done in {time.perf_counter() - started:.1f}s: {shown}"[:600], flush=True)
        return out

    def start(self, name: str, iso: env.Isolation, components: str) -> env.Service:
        service = env.Service(name, iso, components).start()
        self.services.append(service)
        return service

    def stop(self, service: env.Service) -> None:
        service.stop()
        self.services.remove(service)

    async def main(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            await self.quick()
            if self.args.scale == "nation":
                await self.nation()
        finally:
            for service in list(self.services):
                self.stop(service)
            await self.cleanup()
        self.doc["seconds"] = round(time.perf_counter() - started, 1)
        self.doc["machine"]["loadavg_end"] = __import__("os").getloadavg()
        self.finish()
        return self.doc

    async def cleanup(self) -> None:
        for iso in (self.iso, self.nation_iso):
            try:
                await asyncio.to_thread(iso.drop_database)
                await iso.drop_broker_objects()
            except Exception as exc:  # report, never hide: a leftover database needs a hand
                print(f"[bench] cleanup of {iso.tag} incomplete: {exc}", flush=True)

    async def quick(self) -> None:
        a, iso, rates = self.args, self.iso, self.doc["rates"]
        rng = random.Random(a.seed)
        fed = federation(rng, "bac-kan", a.members, a.members // 80)
        members = fed.members
        reg_settings = iso.settings(RegistrationSettings)
        url, token = iso.database_url, iso.token()
        raw_exchange, raw_queue = f"{iso.exchange}.raw", f"{iso.queue_prefix}raw"
        iso.exchanges.add(raw_exchange)
        iso.queues.add(raw_queue)

        seeded = await self.step("seed", lambda: asyncio.to_thread(seed, reg_settings, fed))
        if seeded is None:
            raise RuntimeError("could not seed the registration store")
        table = f'"registration"."{seeded["table"]}"'

        async def declare_reporting() -> None:  # its queue and tables exist before anything is published
            rt = reporting_runtime(iso.settings(ReportingSettings), frozenset({"consumer"}))
            await rt.start()
            await rt.stop()

        await self.step("declare reporting queue", declare_reporting)
        reg = self.start("registration", iso, "api")

        # Both sides start warm: WARMUP untimed pledges (other members) and raw rows go first.
        await self.step(
            "single command warm-up",
            lambda: commands.single_command(
                reg.url, fed.code, token, members[a.single : a.single + WARMUP], "ldtt"
            ),
        )
        single = await self.step(
            "single command",
            lambda: self.profiler.around(
                "single_command",
                [reg.pid],
                commands.single_command(reg.url, fed.code, token, members[: a.single], "ldtt"),
            ),
        )
        conn = await asyncpg.connect(url)
        try:
            template = await conn.fetchrow(
                f"SELECT topic, state FROM {table} WHERE topic LIKE '%Pledge%' LIMIT 1"
            )
        finally:
            await conn.close()
        topic, state = (template["topic"], bytes(template["state"])) if template else ("pledge", b"{}" * 150)
        raw1 = await self.step(
            "raw single insert, 1 connection",
            lambda: measure.raw_single_inserts(
                url, measure.rows_like(topic, state, max(a.single, 2000) + WARMUP), 1, WARMUP
            ),
        )
        raw4 = await self.step(
            "raw single insert, 4 connections",
            lambda: measure.raw_single_inserts(
                url, measure.rows_like(topic, state, max(a.single, 2000) + WARMUP), 4, WARMUP
            ),
        )
        rates["single_command"] = {"product": single, "raw": raw1, "raw_4_connections": raw4}
        self.doc["ratios"]["single_command"] = results.ratio(
            single and single["pledges_per_s"], raw1 and raw1["rows_per_s"]
        )

        rows = members[: a.bulk_rows]

        # Both modes store a list in one transaction. Lists arrive minutes apart, not back to back:
        # each is sent once registration's read model has caught up with the one before (in the
        # API process), so one list's measurement does not carry the previous list's projection.
        # The default mode goes last: should it not answer, the service is restarted.
        async def settle() -> None:
            await commands.read_model_caught_up(url, table)

        await settle()
        bulk_json = await self.step(
            "bulk import JSON (keep-good-rows)",
            lambda: self.profiler.around(
                "bulk_import",
                [reg.pid],
                commands.bulk_import(reg.url, fed.code, token, rows, "cstd-co-so", "json", "keep-good-rows"),
            ),
        )
        await settle()
        bulk_xlsx = await self.step(
            "bulk import xlsx (keep-good-rows)",
            lambda: commands.bulk_import(
                reg.url, fed.code, token, rows, "giay-khen", "xlsx", "keep-good-rows"
            ),
        )
        await settle()
        whole = await self.step(
            "bulk import JSON (all-or-nothing)",
            lambda: commands.bulk_import(reg.url, fed.code, token, rows, "bang-khen-tld", "json", timeout=60),
        )
        if whole is None:  # the transaction may still hold the events table's lock: start afresh
            self.doc["missing"]["bulk import JSON (all-or-nothing)"] += (
                f" (no answer in 60 s to one {len(rows)}-row list stored in one transaction; "
                "see the README's Benchmark section)"
            )
            self.stop(reg)
            reg = self.start("registration", iso, "api")
        raw_bulk = await self.step(
            "raw bulk", lambda: measure.raw_bulk(url, measure.rows_like(topic, state, len(rows)))
        )
        rates["bulk_import"] = {
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
                self.doc["missing"][key] = "pledges:batch is not there yet"
                product = None
            self.doc["ratios"][key] = results.ratio(
                product and product["rows_per_s"], raw_bulk and raw_bulk[raw_key]
            )

        # The awards service's share of the data set: ten years of ratings and grants, published
        # as its relay would, so reporting projects (and the raw consumer acks) the same set.
        envs = Envelopes()
        rated = rng.sample(members, min(len(members), a.rated))
        awards = [bus.as_message(e) for e in history_events(envs, rng, fed, rated)]
        await self.step(
            "publish awards history", lambda: measure.raw_publish(env.AMQP_URL, iso.exchange, None, awards)
        )

        relayed = await self.step(
            "relay", lambda: self.profiler.around("relay", [None], bus.relay(reg_settings, seeded["table"]))
        )
        messages: list[measure.Message] = relayed[1] if relayed else []
        raw_relay = await self.step(
            "raw publish, 200 in flight",
            lambda: measure.raw_publish(env.AMQP_URL, raw_exchange, raw_queue, messages),
        )
        await self.step(
            "raw publish of the awards history",
            lambda: measure.raw_publish(env.AMQP_URL, raw_exchange, raw_queue, awards),
        )
        rates["relay"] = {"product": relayed and relayed[0], "raw": raw_relay}
        self.doc["ratios"]["relay"] = results.ratio(
            relayed and relayed[0]["events_per_s"], raw_relay and raw_relay["msgs_per_s"]
        )
        total = len(messages) + len(awards)
        self.doc["events"] = total

        rep = self.start("reporting", iso, "consumer,api")
        proj = await self.step(
            "projection", lambda: self.profiler.around("projection", [rep.pid], bus.projection(url, total))
        )
        raw_proj = await self.step(
            "raw ack-only consumer",
            lambda: measure.raw_consume(
                env.AMQP_URL, raw_queue, total, ReportingSettings().consumer_prefetch
            ),
        )
        rates["projection"] = {"product": proj, "raw": raw_proj}
        self.doc["ratios"]["projection"] = results.ratio(
            proj and proj["events_per_s"], raw_proj and raw_proj["msgs_per_s"]
        )

        async def rebuild_quick() -> dict[str, Any]:
            out = await rebuild.from_feeds(url, [Feed("registration", reg.url, token)], "reporting_bench")
            conn = await asyncpg.connect(url)
            await conn.execute('DROP SCHEMA IF EXISTS "reporting_bench" CASCADE')
            await conn.close()
            return out

        rb = await self.step(
            "rebuild from registration's feed",
            lambda: self.profiler.around("rebuild", [None, reg.pid], rebuild_quick()),
        )
        raw_rb = await self.step("raw paged select", lambda: measure.raw_paged_select(url, [table]))
        feed_only = await self.step(
            "registration's feed alone", lambda: rebuild.feed_only(Feed("registration", reg.url, token))
        )
        rates["rebuild"] = {
            "product": rb,
            "raw": raw_rb,
            "data_set": "quick: registration's log via its feed",
            "feed_alone": feed_only,
        }
        self.doc["ratios"]["rebuild"] = results.ratio(
            rb and rb["events_per_s"], raw_rb and raw_rb["rows_per_s"]
        )

        self.stop(reg)
        reg = self.start("registration", iso, "api,relay")
        n_e2e = int(a.e2e_seconds * 100)
        e2e = await self.step(
            "end to end",
            lambda: commands.end_to_end(reg.url, fed.code, token, members[:n_e2e], "bang-khen-ldld", url),
        )
        raw_e2e = await self.step(
            "raw confirm latency",
            lambda: measure.raw_confirm_latency(env.AMQP_URL, raw_exchange, raw_queue, messages[:n_e2e]),
        )
        # The same at a rate the two cores sustain beside the relay and the consumer: the latency
        # the pipeline adds by itself, without a queue of commands in front of it.
        low = await self.step(
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
        rates["end_to_end"] = {"product": e2e, "raw": raw_e2e, "product_low_rate": low}
        if e2e:
            self.doc["latency_ms"].update(e2e_p50=e2e["p50_ms"], e2e_p99=e2e["p99_ms"])
        self.stop(reg)

        async def read_back() -> dict[str, Any]:
            sample, feds = await rebuild.sample_subjects(url, 200, a.seed)
            return await rebuild.reads(rep.url, token, sample, feds, list(YEARS), a.reads, a.seed)

        self.doc["database_mb"] = await self.database_mb(url)
        reads = await self.step(
            "reads (quick data set)", lambda: self.profiler.around("reads", [rep.pid], read_back())
        )
        self.record_reads(reads, "quick")
        self.stop(rep)

    async def database_mb(self, url: str) -> dict[str, float]:
        """Size on disk of each schema (tables and indexes), in MiB."""
        conn = await asyncpg.connect(url)
        try:
            rows = await conn.fetch(
                "SELECT n.nspname, sum(pg_total_relation_size(c.oid)) AS bytes FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') GROUP BY 1"
            )
            return {r["nspname"]: round(int(r["bytes"]) / 2**20, 1) for r in rows}
        finally:
            await conn.close()

    def record_reads(self, reads: dict[str, Any] | None, data_set: str) -> None:
        if reads is None:
            return
        self.doc["rates"]["reads"] = {**reads, "data_set": data_set}
        self.doc["latency_ms"].update(
            history_p99=reads["history"]["p99_ms"],
            report_p99=reads["report"]["p99_ms"],
            history_p50=reads["history"]["p50_ms"],
            report_p50=reads["report"]["p50_ms"],
        )

    async def nation(self) -> None:
        a, iso, rates = self.args, self.nation_iso, self.doc["rates"]
        with psycopg.connect(env.ADMIN_URL, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(iso.database)))
        url, token = iso.database_url, iso.token()
        written = await self.step(
            "nation data set (generate, store as a log)",
            lambda: rebuild.write_nation_log(url, a.seed, a.nation_members),
        )
        if written is None:
            return
        self.doc["nation_events"] = written["events"]
        rb = await self.step(
            "nation rebuild",
            lambda: self.profiler.around("rebuild_nation", [None], rebuild.nation_rebuild(url)),
        )
        tables = [f"{rebuild.LOG_SCHEMA}.registration", f"{rebuild.LOG_SCHEMA}.awards"]
        raw_rb = await self.step("nation raw paged select", lambda: measure.raw_paged_select(url, tables))
        rates["rebuild_quick"] = rates.get("rebuild")
        rates["rebuild"] = {"product": rb, "raw": raw_rb, "data_set": f"nation: {written['events']} events"}
        self.doc["ratios"]["rebuild_quick"] = self.doc["ratios"].get("rebuild")
        self.doc["ratios"]["rebuild"] = results.ratio(
            rb and rb["events_per_s"], raw_rb and raw_rb["rows_per_s"]
        )
        if rb is None:
            return
        self.doc["nation_database_mb"] = await self.database_mb(url)
        rep = self.start("reporting", iso, "api")

        async def read_back() -> dict[str, Any]:
            sample, feds = await rebuild.sample_subjects(url, 500, a.seed)
            return await rebuild.reads(rep.url, token, sample, feds, list(YEARS), a.reads, a.seed)

        reads = await self.step(
            "reads (nation data set)", lambda: self.profiler.around("reads_nation", [rep.pid], read_back())
        )
        self.record_reads(reads, "nation")
        self.stop(rep)

    def finish(self) -> None:
        for key in list(self.doc["ratios"]) + list(results.LATENCY_TARGETS):
            if key in results.TARGETS and self.doc["ratios"].get(key) is None:
                self.doc["missing"].setdefault(key, "not measured in this run (see the log above)")
            if key in results.LATENCY_TARGETS and self.doc["latency_ms"].get(key) is None:
                self.doc["missing"].setdefault(key, "not measured in this run (see the log above)")
        for key in results.TARGETS:
            self.doc["ratios"].setdefault(key, None)
        for key in ("e2e_p50", *results.LATENCY_TARGETS):
            self.doc["latency_ms"].setdefault(key, None)
        self.doc["verdicts"] = results.verdicts(self.doc)
        copy = results.save(self.doc)
        print(results.table(self.doc))
        print(f"[bench] wrote {results.RESULTS / 'latest.json'} and {copy.name}")
