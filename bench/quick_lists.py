"""The quick data set's bulk lists beside pledges:batch: units, members, initiatives (half of them
recognised), works and targets through registration's `{kind}:batch`, each one JSON list in one
request, measured in rows/s beside the raw executemany and COPY of bulk_import's rows. Each list,
registration's or awards', is sent on a quiet machine: once registration's read model and awards'
own lists have both read their logs to the head (neither service still applying the list before).

A single list's rows/s swings by 10–30 % from one run to the next on this machine (and the
machine's speed drifts within a run), which hides whether one kind of list is as fast as another.
So the lists go in ROUNDS rounds, each a 5,000-row pledges:batch (keep-good-rows, an award of its
own), then one list of each kind with fresh codes, then awards' ratings and nominations
(bench/award_lists.py, awards started beside registration for the rounds); each kind's figure is
its best round, and each is compared with pledges:batch (`{kind}_vs_pledges`), best against best,
measured side by side. Every round's pledges are the first 5,000 members', the initiatives'
authors: registration keeps what it read of them, so from the second round on both lists find
them read already (a first list after a restart reads them cold: much slower, for both)."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import httpx

from bench import commands, results
from bench.award_lists import AwardLists
from bench.generate import LIST_ROUND_AWARDS
from bench.measure import ROUNDS, best, rate

if TYPE_CHECKING:
    from bench.env import Service
    from bench.quick import Quick

KINDS = ("units", "members", "initiatives", "works", "targets")
# Every list of a round has the pledges' number of rows: a list's rows/s carries the request's
# fixed cost over its rows, so lists of other sizes compare their lengths as much as their rows.
LIST_ROWS = 5000
assert len(LIST_ROUND_AWARDS) >= ROUNDS, "a round's pledges need an award of their own"


async def pledges(q: Quick, round_: int) -> dict[str, Any]:
    """Round `round_`'s pledges:batch, keep-good-rows as the first pledge list, by the
    initiatives' authors: LIST_ROWS rows, as every list of the round."""
    assert q.reg is not None
    people = q.members[: _length(q)]
    award = LIST_ROUND_AWARDS[round_]  # pledged by no other path
    return await commands.bulk_import(q.reg.url, q.fed.code, q.token, people, award, "json", "keep-good-rows")


def rows_of(q: Quick, kind: str, round_: int = 0) -> list[dict[str, Any]]:
    """New rows of `kind` over the seeded tree (codes no other path or round uses), as many as a
    round's pledges."""
    fed, n, r = q.fed, _length(q), round_
    uppers = [u for u in fed.units if u.kind == "upper"]
    grass = [u for u in fed.units if u.kind == "grassroots"]
    if kind == "units":
        return [
            {"code": f"bl{r}-cdcs-{i:05d}", "name": f"CĐCS mới {i}", "kind": "grassroots"}
            | {"parent": uppers[i % len(uppers)].code, "effective_on": "2025-01-01"}
            for i in range(n)
        ]
    if kind == "members":
        return [
            {
                "code": f"bl{r}-dv-{i:06d}",
                "full_name": m.full_name,
                "unit": m.unit.code,
                "birth_year": m.birth_year,
            }
            for i, m in enumerate(fed.members[:n])
        ]
    if kind == "initiatives":
        return [
            {
                "code": f"bl{r}-sk-{i:06d}",
                "title": f"Sáng kiến {i}",
                "field": "Kỹ thuật",
                "benefit_value": 1_000_000,
            }
            | {"author_kind": "member", "author_code": m.code, "year": 2025, "registered_on": "2025-03-01"}
            | ({"recognised_on": "2025-11-20", "recognised_value": 900_000} if i % 2 else {})
            for i, m in enumerate(fed.members[:n])
        ]
    if kind == "works":
        return [
            {"code": f"bl{r}-ct-{i:05d}", "name": f"Công trình {i}", "unit": grass[i % len(grass)].code}
            | {"value": 500_000_000, "occasion": "Đại hội XII", "year": 2025, "registered_on": "2025-03-01"}
            for i in range(n)
        ]
    # Each grassroots union's targets of both programmes for as many years as make about `n` rows.
    span = max(1, n // (2 * len(grass)))
    years = range(2025 + r * span, 2025 + (r + 1) * span)
    return [
        {"unit": u.code, "programme": programme, "year": year, "target": 10, "assigned_by": u.ancestry[0]}
        for year in years
        for programme in ("initiatives", "works")
        for u in grass
    ]


def _length(q: Quick) -> int:
    """The rows of each list of a round: LIST_ROWS, fewer if `--bulk-rows` or the data set's
    members are fewer (the pledges, members and initiatives are by the first members)."""
    return min(LIST_ROWS, q.a.bulk_rows, len(q.members))


async def send(
    url: str, federation: str, token: str, kind: str, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    content = json.dumps(rows, ensure_ascii=False).encode()
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=url, timeout=600) as http:
        started = time.perf_counter()
        r = await http.post(f"/v1/federations/{federation}/{kind}:batch", content=content, headers=headers)
        seconds = time.perf_counter() - started
    if r.status_code in (404, 405):
        return {"missing": True, "status": r.status_code}
    if r.status_code != 201:
        raise RuntimeError(f"{kind}:batch answered {r.status_code}: {r.text[:500]}")
    accepted = int(r.json()["accepted"])
    return {"rows_per_s": rate(accepted, seconds), "rows": accepted, "seconds": round(seconds, 2)}


async def bulk_lists(q: Quick) -> None:
    run = q.run
    if q.reg is None:  # the pipeline paths end with registration stopped
        q.reg = run.start("registration", q.iso, "api")
    awards = await run.step("awards for the lists", lambda: AwardLists.start(run, q.iso))
    found: dict[str, list[dict[str, Any] | None]] = {k: [] for k in ("pledges", *KINDS, *AwardLists.KINDS)}
    try:
        for r in range(ROUNDS):
            await _round(q, q.reg, awards, r, found)
    finally:
        if awards is not None:
            awards.stop()
    measured = {kind: best(rounds) for kind, rounds in found.items()}
    for kind in KINDS:
        product = measured[kind]
        if product and product.get("missing"):
            run.doc["missing"][f"bulk_{kind}"] = f"{kind}:batch is not there yet"
            measured[kind] = None
    q.rates["bulk_lists"] = {k: v for k, v in measured.items() if k not in AwardLists.KINDS}
    q.rates["award_lists"] = {k: measured[k] for k in AwardLists.KINDS} if awards is not None else None
    results.list_ratios(run.doc)


async def _round(
    q: Quick,
    reg: Service,
    awards: AwardLists | None,
    r: int,
    found: dict[str, list[dict[str, Any] | None]],
) -> None:
    """Round `r`: pledges, registration's lists, then awards' (each once the one before is read)."""
    run = q.run
    for kind in ("pledges", *KINDS):
        await _quiet(q, awards)
        if kind == "pledges":
            sent = pledges(q, r)
        else:
            sent = send(reg.url, q.fed.code, q.token, kind, rows_of(q, kind, r))
        name = kind if r == 0 else f"{kind}{r}"  # a profile a round (--py-spy)
        profiled = run.profiler.around(f"bulk_{name}", [reg.pid], sent)
        found[kind].append(await run.step(f"bulk list {kind}, round {r + 1}", lambda p=profiled: p))  # type: ignore[misc]
    for kind in AwardLists.KINDS if awards is not None else ():
        assert awards is not None
        step = f"bulk list {kind}, round {r + 1}"
        await _quiet(q, awards)
        found[kind].append(await run.step(step, lambda kind=kind: awards.send(kind, r)))  # type: ignore[misc]


async def _quiet(q: Quick, awards: AwardLists | None) -> None:
    """Until both services' readers have read their logs to the head: a list measured while the
    other service still applies the list before shares the machine's two cores with it."""
    await commands.read_model_caught_up(q.url, q.table)
    if awards is not None:
        await awards.caught_up()
