"""Reporting's HTTP API: the tree report (units, workers and members as the tree stood on a date).
The scope and answer rules are the other reports' (report_answers.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from services.reporting.application import tree
from services.reporting.entrypoints.api import FED, AsOf, Format, Unit
from services.reporting.entrypoints.report_answers import answer, checked_scope, place_units, reads_of
from shared.kernel import clock
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")


@router.get(
    FED + "/reports/tree",
    tags=["reports"],
    summary="The tree on a date: units by kind, workers and members, per unit and rolled up",
)
async def tree_report(
    federation: str,
    caller: Caller,
    request: Request,
    unit: Unit = None,
    as_of: AsOf = None,
    format: Format = "json",
) -> Any:
    """Each unit the tree held on `as_of` (default today) with its kind, the workers and members
    it declared (the latest headcount counted on or before that day; `counted_on` null if none),
    its members keyed in one by one, and the same summed over its subtree; the totals count the
    units by kind. A unit-scoped token sees its own subtree."""
    day = as_of or clock.today()
    scope = await checked_scope(request, caller, federation, unit, day, day.year)
    report = await place_units(request, await tree.tree(reads_of(request), scope), scope)
    title = f"Tổ chức {federation} {day.isoformat()}"
    return await answer(request, caller, federation, report, format, title)
