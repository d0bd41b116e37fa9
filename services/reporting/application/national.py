"""Each federation's headline figures of a yearly report, and the national roll-up of all four,
from one grouped statement per report (adapters/report_queries/national.py) instead of every
federation's whole report. A federation's figures are exactly the numbers its own report heads
with (`registrations`: pledged, participating; `awards`: granted, revoked; `initiatives`: registered,
recognised, benefit_value, target and percent_of_target where it has a target; `works`: what was
registered, completed and plaqued, with their value); the nation's totals are the national
report's."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import asyncpg

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.national import (
    COUNTS,
    figures_by_federation,
    standing_federations,
)
from services.reporting.application.registrations import OCCASIONS, awards_and_grants, percent
from services.reporting.domain.scope import Scope

REPORTS = tuple(COUNTS)
FIGURES = {
    "registrations": ("pledged", "participating"),
    "awards": ("granted", *OCCASIONS.values(), "revoked", "cancelled"),
    "initiatives": ("registered", "recognised", "benefit_value"),
    "works": ("registered", "value", "completed", "completed_value", "plaqued", "plaqued_value"),
}


def _figures(report: str, row: asyncpg.Record) -> dict[str, Any]:
    """The federation's figures as its own report has them (a missing target left out)."""
    out: dict[str, Any] = {k: int(row[k] or 0) for k in FIGURES[report]}
    if report == "initiatives":
        target = row["own"] or row["units"] or None
        if target is not None:
            out["target"] = int(target)
            out["percent_of_target"] = percent(out["registered"], int(target))
    return out


def _totals(report: str, rows: list[asyncpg.Record]) -> dict[str, Any]:
    """The nation's figures, as the national report counts them (every federation facts
    resolved to; the target the federations' own at the top of their trees)."""
    out: dict[str, Any] = {k: sum(int(r[k] or 0) for r in rows) for k in FIGURES[report]}
    if report == "initiatives":
        target = sum(int(r["root"] or 0) for r in rows) or None
        out["target"] = target
        out["percent_of_target"] = percent(out["registered"], target)
    return out


async def by_federation(reads: Reads, report: str, as_of: date, year: int) -> list[dict[str, Any]]:
    """Each federation standing on `as_of`, in code order, with its figures of `report`."""
    rows = await figures_by_federation(reads, report, as_of, year)
    return [{"federation": r["federation"], **_figures(report, r)} for r in rows if r["standing"]]


def _grants_by_home(grants: list[asyncpg.Record]) -> dict[str, dict[str, int]]:
    """Granted and revoked by federation, from a national awards report's grants rows."""
    out: dict[str, dict[str, int]] = {}
    for r in grants:
        figures = out.setdefault(r["unit"], dict.fromkeys(FIGURES["awards"], 0))
        if r["cancelled"]:  # never granted: counted apart
            figures["cancelled"] += r["n"]
            continue
        figures["revoked" if r["revoked"] else "granted"] += r["n"]
        if not r["revoked"]:
            figures[OCCASIONS[r["occasion"]]] += r["n"]
    return out


async def national_report(
    reads: Reads,
    report: str,
    fn: Callable[..., Awaitable[dict[str, Any]]],
    scope: Scope,
    year: int,
    asked: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The national `report` (`fn`, given what the query `asked` beyond the year: the awards
    report's period) with its `by_federation`, the year's facts read once: the
    nation's report groups by federation, so registrations' and works' figures by federation are
    its `by_unit`, and awards' the grants it counted. Initiatives' carry each federation's own
    target, which the national report does not read: its grouped statement, run beside it."""
    if report == "initiatives":
        out, listed = await asyncio.gather(
            fn(reads, scope, year, **(asked or {})), by_federation(reads, report, scope.as_of, year)
        )
        return {**out, "by_federation": listed}

    async def report_and_homes() -> tuple[dict[str, Any], dict[str, Any]]:
        if report == "awards":
            out, grants = await awards_and_grants(reads, scope, year, **(asked or {}))
            return out, _grants_by_home(grants)
        out = await fn(reads, scope, year, **(asked or {}))
        return out, {u["unit"]: u for u in out["by_unit"]}

    (out, homes), standing = await asyncio.gather(
        report_and_homes(), standing_federations(reads, scope.as_of)
    )
    figures = [
        {"federation": code, **{k: int(homes.get(code, {}).get(k) or 0) for k in FIGURES[report]}}
        for code in standing
    ]
    return {**out, "by_federation": figures}


async def roll_up(reads: Reads, as_of: date, year: int) -> dict[str, Any]:
    """The four yearly reports' national totals and each standing federation's figures (with
    its name), one statement per report, run at once."""
    results = await asyncio.gather(*(figures_by_federation(reads, r, as_of, year) for r in REPORTS))
    rows: dict[str, dict[str, Any]] = {}
    for report, found in zip(REPORTS, results, strict=True):
        for r in found:
            if r["standing"]:
                row = rows.setdefault(
                    r["federation"], {"federation": r["federation"], "federation_name": r["federation_name"]}
                )
                row[report] = _figures(report, r)
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "totals": {report: _totals(report, found) for report, found in zip(REPORTS, results, strict=True)},
        "by_federation": [rows[code] for code in sorted(rows)],
    }
