"""Awards' bulk lists beside registration's `pledges:batch`: `ratings:batch` and
`nominations:batch` of 5,000 rows each (one JSON list per request), through awards' HTTP API in its
own process as `make run` starts it, in rows/s. Awards learns the 5,000 members (50 grassroots
unions) as registration's consumer would; the ratings come first, so each LĐTT nomination is
judged on a year rated (its verdict computed, as every nomination's is). Each list is sent once
awards' own lists have read the log to its head, as registration's lists wait for its read model."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import httpx

from bench.awards_setup import learn, on_awards, users
from bench.commands import log_caught_up
from bench.measure import rate
from shared.kernel.settings import AwardsSettings

if TYPE_CHECKING:
    from bench.env import Isolation, Service
    from bench.run import Run

F, YEAR, UNITS, PER_UNIT = "bench-ds", 2025, 50, 100


async def award_lists(run: Run, iso: Isolation) -> dict[str, Any] | None:
    return await on_awards(run, iso, "award lists", lambda svc: _measure(run, svc, iso))


async def _measure(run: Run, svc: Service, iso: Isolation) -> dict[str, Any]:
    codes = await _learn(iso)
    staff = users(iso, F)("bench-staff", ["admin"])
    ratings = [
        {"subject_kind": "member", "subject_code": code, "year": YEAR, "rating": "excellent"}
        for code in codes
    ]
    nominations = [
        {"subject_kind": "member", "subject_code": code, "award": "ldtt", "year": YEAR} for code in codes
    ]
    async with httpx.AsyncClient(base_url=f"{svc.url}/v1/federations/{F}", timeout=600) as http:
        measured = {}
        for kind, rows in (("ratings", ratings), ("nominations", nominations)):
            await _lists_caught_up(iso)
            sent = _send(http, staff, kind, rows)
            measured[kind] = await run.profiler.around(f"bulk_{kind}", [svc.pid], sent)
        return measured


async def _send(
    http: httpx.AsyncClient, staff: dict[str, str], kind: str, rows: list[dict]
) -> dict[str, Any]:
    content = json.dumps({kind: rows}, ensure_ascii=False).encode()
    started = time.perf_counter()
    r = await http.post(
        f"/{kind}:batch", content=content, headers={**staff, "content-type": "application/json"}
    )
    seconds = time.perf_counter() - started
    if r.status_code != 201:
        raise RuntimeError(f"{kind}:batch answered {r.status_code}: {r.text[:500]}")
    stored = len(rows)  # all-or-nothing: a 201 stored every row
    return {"rows_per_s": rate(stored, seconds), "rows": stored, "seconds": round(seconds, 2)}


async def _lists_caught_up(iso: Isolation) -> None:
    """Until awards' own lists (adapters/index.py) have read its log to the head: each list is
    sent on a quiet service, as registration's lists are (bench/quick_lists.py)."""
    schema = iso.settings(AwardsSettings).schema_name
    position = f'SELECT sequence FROM "{schema}".index_position WHERE id = 1'
    await log_caught_up(iso.database_url, position, f'"{schema}".awards_events')


async def _learn(iso: Isolation) -> list[str]:
    facts: list[tuple[str, dict[str, Any]]] = []
    codes: list[str] = []
    for u in range(UNITS):
        unit = f"cd-ds-{u:02d}"
        facts.append(
            ("unit-registered", {"code": unit, "name": f"CĐCS {u}", "kind": "grassroots", "ancestry": [unit]})
        )
        for i in range(PER_UNIT):
            code = f"ds-{u:02d}-{i:03d}"
            codes.append(code)
            member = {"code": code, "full_name": f"Đoàn viên {code}", "unit": unit, "unit_path": [unit]}
            facts.append(("member-registered", member))
    await learn(iso, F, facts)
    return codes
