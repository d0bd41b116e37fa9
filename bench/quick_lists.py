"""The quick data set's bulk lists beside pledges:batch: units, members, initiatives (half of them
recognised), works and targets through registration's `{kind}:batch`, each one JSON list in one
request, measured in rows/s beside the raw executemany and COPY of bulk_import's rows. Each list
is sent once the read model has caught up with the one before, as the pledge lists are."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import httpx

from bench import commands, results
from bench.measure import rate

if TYPE_CHECKING:
    from bench.quick import Quick

KINDS = ("units", "members", "initiatives", "works", "targets")


def rows_of(q: Quick, kind: str) -> list[dict[str, Any]]:
    """New rows of `kind` over the seeded tree (codes no other path uses)."""
    fed, n = q.fed, q.a.bulk_rows
    uppers = [u for u in fed.units if u.kind == "upper"]
    grass = [u for u in fed.units if u.kind == "grassroots"]
    if kind == "units":
        return [
            {"code": f"bl-cdcs-{i:05d}", "name": f"CĐCS mới {i}", "kind": "grassroots"}
            | {"parent": uppers[i % len(uppers)].code, "effective_on": "2025-01-01"}
            for i in range(min(n, 2000))
        ]
    if kind == "members":
        return [
            {
                "code": f"bl-dv-{i:06d}",
                "full_name": m.full_name,
                "unit": m.unit.code,
                "birth_year": m.birth_year,
            }
            for i, m in enumerate(fed.members[:n])
        ]
    if kind == "initiatives":
        return [
            {
                "code": f"bl-sk-{i:06d}",
                "title": f"Sáng kiến {i}",
                "field": "Kỹ thuật",
                "benefit_value": 1_000_000,
            }
            | {"author_kind": "member", "author_code": m.code, "year": 2025, "registered_on": "2025-03-01"}
            | ({"recognised_on": "2025-11-20", "recognised_value": 900_000} if i % 2 else {})
            for i, m in enumerate(fed.members[: min(n, 5000)])
        ]
    if kind == "works":
        return [
            {"code": f"bl-ct-{i:05d}", "name": f"Công trình {i}", "unit": grass[i % len(grass)].code}
            | {"value": 500_000_000, "occasion": "Đại hội XII", "year": 2025, "registered_on": "2025-03-01"}
            for i in range(min(n, 2000))
        ]
    # Each grassroots union's targets of both programmes for as many years as make about `n` rows
    # (at most 2,000, as works): 250 rows were mostly the request's fixed cost.
    years = range(2025, 2025 + max(1, min(n, 2000) // (2 * len(grass))))
    return [
        {"unit": u.code, "programme": programme, "year": year, "target": 10, "assigned_by": u.ancestry[0]}
        for year in years
        for programme in ("initiatives", "works")
        for u in grass
    ]


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
    run, fed, token = q.run, q.fed, q.token
    if q.reg is None:  # the pipeline paths end with registration stopped
        q.reg = run.start("registration", q.iso, "api")
    reg = q.reg
    raw = (q.rates.get("bulk_import") or {}).get("raw") or {}
    measured: dict[str, Any] = {}
    for kind in KINDS:
        rows = rows_of(q, kind)
        await commands.read_model_caught_up(q.url, q.table)
        measured[kind] = await run.step(
            f"bulk list {kind}",
            lambda kind=kind, rows=rows: run.profiler.around(  # type: ignore[misc]
                f"bulk_{kind}", [reg.pid], send(reg.url, fed.code, token, kind, rows)
            ),
        )
        product = measured[kind]
        if product and product.get("missing"):
            run.doc["missing"][f"bulk_{kind}"] = f"{kind}:batch is not there yet"
            product = None
        q.ratios[f"bulk_{kind}"] = results.ratio(
            product and product["rows_per_s"], raw.get("executemany_rows_per_s")
        )
    q.rates["bulk_lists"] = measured
