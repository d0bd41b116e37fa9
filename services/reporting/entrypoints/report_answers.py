"""What every report endpoint does alike: reads the read models, checks the caller's scope, places
each unit a report names by its path, and answers in JSON or .xlsx, checked as the gate checks a
JSON answer (api.py's docstring: I5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from services.reporting.adapters.report_queries import Reads
from services.reporting.adapters.report_queries.scope import unit_paths
from services.reporting.application.scope import Scope, scope_for, unknown_unit
from services.reporting.entrypoints.workbooks import xlsx_answer
from shared.auth.principal import Principal
from shared.kernel.errors import DomainError, Forbidden, NotFound
from shared.web import scope_guard
from shared.web.caller import runtime


def reads_of(request: Request) -> Reads:
    """The read models' reads, from the service's parts (bootstrap.ReportingParts)."""
    reads: Reads = runtime(request).parts.reads
    return reads


async def answer(
    request: Request,
    caller: Principal,
    federation: str | None,
    report: dict[str, Any],
    fmt: str,
    title: str,
    missing: DomainError | None = None,
) -> Any:
    """The report in JSON or .xlsx, checked first as the gate checks a JSON answer: anything
    placed outside a unit-scoped caller's subtree answers `missing`."""
    missing = missing or NotFound(scope_guard.REFUSAL)
    scope_guard.require_inside(report, caller, federation, missing)
    if fmt == "xlsx":
        scope_guard.vouch(request.scope, report, caller, federation, missing)
        return await xlsx_answer(request, reads_of(request), report, title)
    return JSONResponse(report)


async def checked_scope(
    request: Request,
    caller: Principal,
    federation: str | None,
    unit: str | None,
    as_of: date | None,
    year: int,
) -> Scope:
    if federation is None:
        if not caller.is_national:
            raise Forbidden("national reports need a national-scope token")
        caller.require("read")
    else:
        caller.require("read", federation)
    if unit is None and caller.unit is not None:
        unit = caller.unit  # a unit-scoped user sees its own subtree
    scope = await scope_for(reads_of(request), federation, unit, as_of or date(year, 12, 31))
    if scope.unit and federation and not caller.covers_unit(federation, scope.ancestry):
        raise unknown_unit(federation, scope.unit, scope.as_of)  # I5: as if it did not exist
    return scope


async def place_units(request: Request, report: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """`report` with each unit it names placed by its path as of the report's date (the
    report's own unit by its ancestry); a unit the tree does not place is left without one."""
    if scope.federation is None:
        return report
    named: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, dict):
            if isinstance(node.get("unit"), str) and "unit_path" not in node:
                named.add(node["unit"])
            for value in node.values():
                collect(value)

    collect(report)
    paths = await unit_paths(reads_of(request), scope.federation, named, scope.as_of)
    if scope.unit:
        paths[scope.unit] = list(scope.ancestry)

    def place(node: Any) -> Any:
        if isinstance(node, list):
            return [place(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {k: place(v) for k, v in node.items()}
        if isinstance(node.get("unit"), str) and "unit_path" not in node and node["unit"] in paths:
            out["unit_path"] = paths[node["unit"]]
        return out

    return place(report)  # type: ignore[no-any-return]
