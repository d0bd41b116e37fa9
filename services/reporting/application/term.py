"""Several years at once: a term report (a federation's five-year term, docs/domain.md section 8)
and the block rotation report (Cao Bằng's blocks, the same section)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date
from typing import Any

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries import term as q
from services.reporting.adapters.report_queries.scope import unit_names
from services.reporting.application import activities, registrations
from services.reporting.domain.rotation import rotation_verdict
from services.reporting.domain.scope import Scope

FLAGS = ("co-thi-dua-ldld", "co-thi-dua-tld")
# Years whose four reports are read at once: each year's reads hold up to six of the pool's ten
# connections at a time, so two years leave the pool to wait rather than to fail.
YEARS_AT_ONCE = 2


async def term(reads: Reads, scope: Scope, first: int, last: int) -> dict[str, Any]:
    years = []
    totals: dict[str, Any] = defaultdict(int)
    grants_total: dict[tuple[str, str], int] = defaultdict(int)
    gate = asyncio.Semaphore(YEARS_AT_ONCE)

    async def reports(year: int) -> tuple[Any, ...]:
        async with gate:
            return await asyncio.gather(
                registrations.registrations(reads, scope, year),
                registrations.awards(reads, scope, year),
                activities.initiatives(reads, scope, year),
                activities.works(reads, scope, year),
            )

    span = range(first, last + 1)
    for year, (reg, aw, ini, wk) in zip(span, await asyncio.gather(*map(reports, span)), strict=True):
        row = {
            "year": year,
            "pledged": reg["pledged"],
            "participating": reg["participating"],  # pledges to take part, no award named
            "granted": aw["granted"],
            "revoked": aw["revoked"],
            "initiatives": ini["registered"],
            "initiatives_recognised": ini["recognised"],
            "benefit_value": ini["benefit_value"],
            "works": wk["registered"],
            "works_value": wk["value"],
            "works_plaqued": wk["plaqued"],
        }
        years.append(row)
        for k, v in row.items():
            if k != "year":
                totals[k] += v
        for g in aw["by_award"]:
            grants_total[(g["award"], g["subject_kind"])] += g["granted"]
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "from": first,
        "to": last,
        "totals": dict(totals),
        "by_year": years,
        "grants_by_award": [
            {"award": a, "award_name": registrations.award_name_of(a), "subject_kind": k, "granted": n}
            for (a, k), n in sorted(grants_total.items())
        ],
    }


async def rotation(reads: Reads, federation: str, first: int, last: int) -> dict[str, Any]:
    covenants = await q.covenants(reads, federation, first, last)
    blocks: dict[str, dict[str, Any]] = {}
    for c in covenants:
        b = blocks.setdefault(
            c["block"], {"block": c["block"], "block_name": c["block_name"], "units": set(), "years": {}}
        )
        b["units"] |= set(c["units"])
        b["years"][c["year"]] = {
            "year": c["year"],
            "units": list(c["units"]),
            "flag_to": [],
            "acclaimed": [],
            "top_scorers": [],
        }
    for g in await q.unit_grants(reads, federation, list(FLAGS), first, last):
        for b in blocks.values():
            year = b["years"].get(g["year"])
            if year and g["subject_code"] in year["units"]:
                year["flag_to"].append(g["subject_code"])
    for a in await q.acclaims(reads, federation):
        year = blocks.get(a["block"], {}).get("years", {}).get(a["year"])
        if year:
            year["acclaimed"] = list(a["units"])
    for t in await q.top_scorers(reads, federation):
        year = blocks.get(t["block"], {}).get("years", {}).get(t["year"])
        if year:
            year["top_scorers"] = sorted(t["units"])
    everyone = set().union(*(b["units"] for b in blocks.values())) if blocks else set()
    names = await unit_names(reads, Scope(federation, None, date(last, 12, 31)), everyone)
    out = []
    for b in blocks.values():
        years = [b["years"][y] for y in sorted(b["years"])]
        verdict = rotation_verdict(
            sorted(b["units"]),
            {y["year"]: y["flag_to"] for y in years},
            {y["year"]: y["top_scorers"] for y in years},
        )
        out.append(
            {
                "block": b["block"],
                "block_name": b["block_name"],
                "units": sorted(b["units"]),
                "unit_names": {u: names.get(u, u) for u in sorted(b["units"])},
                **verdict,
                "years": years,
            }
        )
    return {"federation": federation, "from": first, "to": last, "blocks": out}
