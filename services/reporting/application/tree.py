"""The tree report: the organisation as it stood on a date — each unit with its kind, the
workers and members it declared (in force that day), its members keyed in one by one, and the
same rolled up over its subtree; the totals count units by kind. Each unit declares its own
people (an upper-level union its own office), so a subtree's figures are sums, never counted
twice."""

from __future__ import annotations

from collections import Counter
from typing import Any

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries import tree as q
from services.reporting.adapters.report_queries.scope import unit_names
from services.reporting.domain.scope import Scope

FIGURES = ("workers", "members", "registered_members")


async def tree(reads: Reads, scope: Scope) -> dict[str, Any]:
    rows = await q.units_with_headcounts(reads, scope)
    names = await unit_names(reads, scope, {r["code"] for r in rows})
    units: dict[str, dict[str, Any]] = {}
    for r in rows:
        units[r["code"]] = {
            "code": r["code"],
            "name": names.get(r["code"], r["code"]),
            "kind": r["kind"],
            "unit_path": list(r["ancestry"]),
            "counted_on": r["counted_on"].isoformat() if r["counted_on"] else None,
            "workers": r["workers"],
            "members": r["members"],
            "registered_members": r["registered"],
            "subtree": {**dict.fromkeys(FIGURES, 0), "units_by_kind": Counter(), "not_counted": 0},
        }
    for unit in units.values():
        for above in unit["unit_path"]:
            if above in units:
                _add(units[above]["subtree"], unit)
    totals: dict[str, Any] = {**dict.fromkeys(FIGURES, 0), "units_by_kind": Counter(), "not_counted": 0}
    for unit in units.values():
        _add(totals, unit)
    for unit in units.values():
        unit["subtree"]["units_by_kind"] = dict(sorted(unit["subtree"]["units_by_kind"].items()))
    return {
        "federation": scope.federation,
        "unit": scope.unit,
        "as_of": scope.as_of.isoformat(),
        **{k: totals[k] for k in FIGURES},
        "units_by_kind": dict(sorted(totals["units_by_kind"].items())),
        "units_not_counted": totals["not_counted"],
        "units": list(units.values()),
    }


def _add(into: dict[str, Any], unit: dict[str, Any]) -> None:
    for k in FIGURES:
        into[k] += unit[k] or 0
    into["units_by_kind"][unit["kind"] or "unknown"] += 1
    if unit["counted_on"] is None:
        into["not_counted"] += 1
