"""The quick data set's pipeline paths, after the commands (bench/quick_commands.py): relay,
projection, rebuild, end to end and reads, each beside its raw counterpart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import asyncpg

from bench import bus, commands, env, measure, rebuild, results
from bench.generate import YEARS, Envelopes, history_events
from services.reporting.application.rebuild import Feed
from shared.kernel.settings import ReportingSettings

if TYPE_CHECKING:
    from bench.quick import Quick


async def relay(q: Quick) -> None:
    run, iso = q.run, q.iso
    # The awards service's share of the data set: ten years of ratings and grants, published
    # as its relay would, so reporting projects (and the raw consumer acks) the same set.
    rated = q.rng.sample(q.members, min(len(q.members), q.a.rated))
    q.awards = [bus.as_message(e) for e in history_events(Envelopes(), q.rng, q.fed, rated)]
    await run.step(
        "publish awards history",
        lambda: measure.raw_publish(env.AMQP_URL, iso.exchange, None, q.awards),
    )
    relayed = await run.step(
        "relay",
        lambda: run.profiler.around("relay", [None], bus.relay(q.reg_settings, q.log_table)),
    )
    q.messages = relayed[1] if relayed else []
    raw_relay = await run.step(
        "raw publish, 200 in flight",
        lambda: measure.raw_publish(env.AMQP_URL, q.raw_exchange, q.raw_queue, q.messages),
    )
    await run.step(
        "raw publish of the awards history",
        lambda: measure.raw_publish(env.AMQP_URL, q.raw_exchange, q.raw_queue, q.awards),
    )
    q.rates["relay"] = {"product": relayed and relayed[0], "raw": raw_relay}
    q.ratios["relay"] = results.ratio(
        relayed and relayed[0]["events_per_s"], raw_relay and raw_relay["msgs_per_s"]
    )
    run.doc["events"] = len(q.messages) + len(q.awards)


async def projection(q: Quick) -> None:
    run, total = q.run, len(q.messages) + len(q.awards)
    q.rep = rep = run.start("reporting", q.iso, "consumer,api")
    proj = await run.step(
        "projection",
        lambda: run.profiler.around("projection", [rep.pid], bus.projection(q.url, total)),
    )
    raw_proj = await run.step(
        "raw ack-only consumer",
        lambda: measure.raw_consume(env.AMQP_URL, q.raw_queue, total, ReportingSettings().consumer_prefetch),
    )
    q.rates["projection"] = {"product": proj, "raw": raw_proj}
    q.ratios["projection"] = results.ratio(proj and proj["events_per_s"], raw_proj and raw_proj["msgs_per_s"])


async def rebuild_from_feed(q: Quick) -> None:
    run, url, token = q.run, q.url, q.token
    assert q.reg is not None
    reg = q.reg

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
    raw_rb = await run.step("raw paged select", lambda: measure.raw_paged_select(url, [q.table]))
    feed_only = await run.step(
        "registration's feed alone", lambda: rebuild.feed_only(Feed("registration", reg.url, token))
    )
    q.rates["rebuild"] = {
        "product": rb,
        "raw": raw_rb,
        "data_set": "quick: registration's log via its feed",
        "feed_alone": feed_only,
    }
    q.ratios["rebuild"] = results.ratio(rb and rb["events_per_s"], raw_rb and raw_rb["rows_per_s"])


async def end_to_end(q: Quick) -> None:
    run, a, fed, members, token, url = q.run, q.a, q.fed, q.members, q.token, q.url
    assert q.reg is not None
    run.stop(q.reg)
    q.reg = reg = run.start("registration", q.iso, "api,relay")
    n_e2e = int(a.e2e_seconds * 100)
    e2e = await run.step(
        "end to end",
        lambda: commands.end_to_end(reg.url, fed.code, token, members[:n_e2e], "bang-khen-ldld", url),
    )
    raw_e2e = await run.step(
        "raw confirm latency",
        lambda: measure.raw_confirm_latency(env.AMQP_URL, q.raw_exchange, q.raw_queue, q.messages[:n_e2e]),
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
    q.rates["end_to_end"] = {"product": e2e, "raw": raw_e2e, "product_low_rate": low}
    if e2e:
        run.doc["latency_ms"].update(e2e_p50=e2e["p50_ms"], e2e_p99=e2e["p99_ms"])
    run.stop(reg)
    q.reg = None


async def reads(q: Quick) -> None:
    run, a = q.run, q.a
    assert q.rep is not None
    rep = q.rep

    async def read_back() -> dict[str, Any]:
        sample, feds = await rebuild.sample_subjects(q.url, 200, a.seed)
        return await rebuild.reads(rep.url, q.token, sample, feds, list(YEARS), a.reads, a.seed)

    run.doc["database_mb"] = await run.database_mb(q.url)
    reads = await run.step(
        "reads (quick data set)", lambda: run.profiler.around("reads", [rep.pid], read_back())
    )
    run.record_reads(reads, "quick")
    run.stop(rep)
    q.rep = None
