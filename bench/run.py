"""One benchmark run: the data set, then each path of the product beside its raw baseline, in
this order (each path leaves the data the next one needs; bench/quick.py):

  seed the registration store -> single command -> bulk import -> relay -> projection ->
  rebuild -> end to end -> reads (quick data set) [-> nation data set: rebuild, reads]

A path that fails is recorded as not measured, with the reason, and the run goes on."""

from __future__ import annotations

import asyncio
import time
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import psycopg
from psycopg import sql

from bench import award_lists, councils, documents, env, measure, rebuild, results
from bench.console_stage import ConsoleStage
from bench.generate import YEARS
from bench.profiling import Profiler
from bench.quick import Quick

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

    def start(
        self,
        name: str,
        iso: env.Isolation,
        components: str,
        cwd: Path = env.ROOT,
        environ: dict[str, str] | None = None,
    ) -> env.Service:
        service = env.Service(name, iso, components, cwd, environ).start()
        self.services.append(service)
        return service

    def stop(self, service: env.Service) -> None:
        service.stop()
        self.services.remove(service)

    async def main(self) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            if self.args.councils_only:
                await self.councils()
            elif self.args.documents_only:
                await self.documents()
            elif self.args.award_lists_only:
                await self.award_lists()
            elif self.args.lists_only:
                await Quick(self).lists()
            elif not (self.args.console_only and self.args.scale == "nation"):
                await Quick(self).paths()  # the award lists go in its lists' rounds
                await self.councils()
                await self.documents()
            only = (
                self.args.councils_only
                or self.args.documents_only
                or self.args.award_lists_only
                or self.args.lists_only
            )
            if self.args.scale == "nation" and not only:
                await self.nation()
        finally:
            for service in list(self.services):
                self.stop(service)
            await self.cleanup()
        self.doc["seconds"] = round(time.perf_counter() - started, 1)
        self.doc["machine"]["loadavg_end"] = __import__("os").getloadavg()
        self.finish()
        return self.doc

    async def councils(self) -> None:
        votes = await councils.council_votes(self, self.iso)
        self.doc["rates"]["council_votes"] = votes
        self.doc["ratios"]["council_vote_1000_to_10"] = votes and votes["ratio_1000_to_10"]

    async def documents(self) -> None:
        printed = await documents.printing(self, self.iso)
        self.doc["rates"]["documents"] = printed

    async def award_lists(self) -> None:
        """`--award-lists-only`: ratings:batch and nominations:batch alone."""
        self.doc["rates"]["award_lists"] = await award_lists.award_lists(self, self.iso)
        results.list_ratios(self.doc)

    async def cleanup(self) -> None:
        for iso in (self.iso, self.nation_iso):
            try:
                await asyncio.to_thread(iso.drop_database)
                await iso.drop_broker_objects()
            except Exception as exc:  # report, never hide: a leftover database needs a hand
                print(f"[bench] cleanup of {iso.tag} incomplete: {exc}", flush=True)

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
        console = await ConsoleStage(self, iso, rep.url).main()
        if console is not None:
            self.doc["console"] = console
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
