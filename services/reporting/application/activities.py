"""Initiatives against targets, dedicated works, and target completion."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries import activities as q
from services.reporting.adapters.report_queries.scope import unit_names
from services.reporting.application.registrations import percent
from services.reporting.domain.scope import Scope


async def _targets(reads: Reads, scope: Scope, programme: str, year: int) -> dict[str, int]:
    """The target of each unit one level below the node (a self-registered higher target
    replaces the assigned one), and the node's own target under the key ''."""
    rows = await q.target_rows(reads, scope, programme, year)
    out: dict[str, int] = {}
    node = scope.unit or scope.federation
    for r in rows:
        path = list(r["path"] or [])
        if scope.federation is None:  # the nation: each federation's own target
            if not path:
                out[r["home"]] = r["target"]
        elif r["unit"] == node or len(path) == scope.unit_depth:
            out[""] = r["target"]
        elif len(path) == scope.unit_depth + 1:
            out[r["unit"]] = r["target"]
    return out


async def initiatives(reads: Reads, scope: Scope, year: int) -> dict[str, Any]:
    rows = await q.initiative_counts(reads, scope, year)
    targets = await _targets(reads, scope, "initiatives", year)
    names = await unit_names(reads, scope, {r["unit"] for r in rows} | (set(targets) - {""}))
    by_unit = {r["unit"]: dict(r) for r in rows}
    units = []
    for unit in sorted(set(by_unit) | (set(targets) - {""})):
        r = by_unit.get(unit, {"registered": 0, "recognised": 0, "benefit_value": 0})
        target = targets.get(unit)
        units.append(
            {
                "unit": unit,
                "unit_name": names.get(unit, unit),
                "registered": r["registered"],
                "recognised": r["recognised"],
                "benefit_value": int(r["benefit_value"]),
                "target": target,
                "percent_of_target": percent(r["registered"], target),
            }
        )
    registered = sum(u["registered"] for u in units)
    target = targets.get("") or (sum(t for k, t in targets.items() if k) or None)
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "year": year,
        "as_of": scope.as_of.isoformat(),
        "registered": registered,
        "recognised": sum(u["recognised"] for u in units),
        "benefit_value": sum(u["benefit_value"] for u in units),
        "target": target,
        "percent_of_target": percent(registered, target),
        "by_unit": units,
    }


async def works(reads: Reads, scope: Scope, year: int) -> dict[str, Any]:
    rows = await q.work_counts(reads, scope, year)
    names = await unit_names(reads, scope, {r["unit"] for r in rows})
    units = [
        {
            **{k: int(v) if k != "unit" else v for k, v in dict(r).items()},
            "unit_name": names.get(r["unit"], r["unit"]),
        }
        for r in rows
    ]
    totals = {
        k: sum(u[k] for u in units)
        for k in ("registered", "value", "completed", "completed_value", "plaqued", "plaqued_value")
    }
    occasions = await q.works_by_occasion(reads, scope, year)
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "year": year,
        "as_of": scope.as_of.isoformat(),
        **totals,
        "by_unit": units,
        "by_occasion": [
            {"occasion": r["occasion"], "registered": r["registered"], "value": int(r["value"])}
            for r in occasions
        ],
    }


async def targets(reads: Reads, scope: Scope, year: int, programme: str) -> dict[str, Any]:
    """Each unit's target for a programme against what it achieved (initiatives or works
    registered in the year)."""
    facts = {"initiatives": "initiatives", "works": "works"}.get(programme)
    achieved: dict[str, int] = defaultdict(int)
    if facts:
        for r in await q.fact_counts(reads, scope, facts, year):
            achieved[r["unit"]] = r["n"]
    goals = await _targets(reads, scope, programme, year)
    names = await unit_names(reads, scope, set(goals) | set(achieved))
    rows = [
        {
            "unit": u,
            "unit_name": names.get(u, u),
            "target": goals.get(u),
            "achieved": achieved.get(u, 0),
            "percent": percent(achieved.get(u, 0), goals.get(u)),
        }
        for u in sorted((set(goals) - {""}) | set(achieved))
    ]
    total = sum(achieved.values())
    target = goals.get("") or (sum(t for k, t in goals.items() if k) or None)
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "year": year,
        "programme": programme,
        "target": target,
        "achieved": total,
        "percent": percent(total, target),
        "by_unit": rows,
    }
