"""The quick data set's command paths: single commands and bulk lists against registration's API,
each beside the raw inserts of the same rows. They leave the pledges the pipeline paths read
(bench/quick_pipeline.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg

from bench import commands, measure, results

if TYPE_CHECKING:
    from bench.quick import Quick

WARMUP = 200  # untimed single commands (and raw rows) before the timed ones


async def single_command(q: Quick) -> None:
    run, a, fed, members, token = q.run, q.a, q.fed, q.members, q.token
    assert q.reg is not None
    reg = q.reg
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
    conn = await asyncpg.connect(q.url)
    try:
        template = await conn.fetchrow(
            f"SELECT topic, state FROM {q.table} WHERE topic LIKE '%Pledge%' LIMIT 1"
        )
    finally:
        await conn.close()
    if template:
        q.topic, q.state = template["topic"], bytes(template["state"])
    rows = max(a.single, 2000) + WARMUP
    raw1 = await run.step(
        "raw single insert, 1 connection",
        lambda: measure.raw_single_inserts(q.url, measure.rows_like(q.topic, q.state, rows), 1, WARMUP),
    )
    raw4 = await run.step(
        "raw single insert, 4 connections",
        lambda: measure.raw_single_inserts(q.url, measure.rows_like(q.topic, q.state, rows), 4, WARMUP),
    )
    q.rates["single_command"] = {"product": single, "raw": raw1, "raw_4_connections": raw4}
    q.ratios["single_command"] = results.ratio(
        single and single["pledges_per_s"], raw1 and raw1["rows_per_s"]
    )


async def bulk_import(q: Quick) -> None:
    run, fed, token, url = q.run, q.fed, q.token, q.url
    assert q.reg is not None
    reg = q.reg
    rows = q.members[: q.a.bulk_rows]

    # Both modes store a list in one transaction. Lists arrive minutes apart, not back to back:
    # each is sent once registration's read model has caught up with the one before (in the
    # API process), so one list's measurement does not carry the previous list's projection.
    # The default mode goes last: should it not answer, the service is restarted.
    async def settle() -> None:
        await commands.read_model_caught_up(url, q.table)

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
        lambda: commands.bulk_import(reg.url, fed.code, token, rows, "giay-khen", "xlsx", "keep-good-rows"),
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
        q.reg = run.start("registration", q.iso, "api")
    raw_bulk = await run.step(
        "raw bulk", lambda: measure.raw_bulk(url, measure.rows_like(q.topic, q.state, len(rows)))
    )
    q.rates["bulk_import"] = {
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
        q.ratios[key] = results.ratio(product and product["rows_per_s"], raw)
