"""Reporting's HTTP API (docs/architecture.md, the public contract). Every report also answers
?format=xlsx.

A unit-scoped token reads its own subtree only: a report of another unit, or the history of a
member or unit outside the subtree, answers exactly as one that does not exist (I5). Every row
that names a unit carries its path, so the gate's last line (shared.web.scope_guard) checks it too, and
an .xlsx is rendered from the same checked data (`scope_guard.vouch`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from services.reporting.application import activities, history, national, registrations, term
from services.reporting.application.scope import subject_placement, unknown_subject
from services.reporting.entrypoints.report_answers import answer, checked_scope, place_units, reads_of
from services.reporting.entrypoints.report_params import Asking, ReportFn, award_periods, nothing_more
from shared.kernel import clock
from shared.kernel.commands import Date
from shared.kernel.errors import Forbidden, Invalid
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")
FED = "/federations/{federation}"

Year = Annotated[int, Query(ge=1945, le=2100, description="the year the figures are for")]
Unit = Annotated[str | None, Query(description="only this unit's subtree, as the tree stood on `as_of`")]
AsOf = Annotated[
    Date | None,
    Query(description="the tree and states as they stood on this date; default the year's last day"),
]
Format = Annotated[Literal["json", "xlsx"], Query(description="json, or xlsx with Vietnamese headings")]


def _yearly(name: str, title: str, fn: ReportFn, summary: str, asking: Asking = nothing_more) -> None:
    async def federation_report(
        federation: str,
        caller: Caller,
        request: Request,
        year: Year,
        more: dict[str, Any] = Depends(asking),  # what the report asks beyond its year
        unit: Unit = None,
        as_of: AsOf = None,
        format: Format = "json",
    ) -> Any:
        scope = await checked_scope(request, caller, federation, unit, as_of, year)
        report = await place_units(request, await fn(reads_of(request), scope, year, **more), scope)
        return await answer(request, caller, federation, report, format, f"{title} {federation} {year}")

    async def national_report(
        caller: Caller,
        request: Request,
        year: Year,
        more: dict[str, Any] = Depends(asking),
        as_of: AsOf = None,
        format: Format = "json",
    ) -> Any:
        scope = await checked_scope(request, caller, None, None, as_of, year)
        report = await national.national_report(reads_of(request), name, fn, scope, year, more)
        return await answer(request, caller, None, report, format, f"{title} {year}")

    federation_report.__name__ = f"{name}_report"
    national_report.__name__ = f"national_{name}_report"
    router.add_api_route(
        FED + f"/reports/{name}", federation_report, methods=["GET"], tags=["reports"], summary=summary
    )
    router.add_api_route(
        f"/reports/{name}",
        national_report,
        methods=["GET"],
        tags=["national reports"],
        summary=f"{summary}, national, with each federation's figures",
        description="`by_federation`: each federation standing on `as_of`, in code order, with the "
        "figures its own report heads with (from the national report's own read of the year's facts, "
        "or one grouped statement; not each federation's report).",
    )


_yearly(
    "registrations",
    "Đăng ký thi đua",
    registrations.registrations,
    "Pledges by award, subject kind, movement, phase, state and unit",
)
_yearly(
    "awards",
    "Khen thưởng",
    registrations.awards,
    "Grants and revocations by award, level, authority, subject kind, unit and period (a year, a school "
    "year, a phase), regular apart from thematic and ad-hoc; nominations upward; pledged vs achieved",
    award_periods,
)
_yearly(
    "initiatives",
    "Sáng kiến",
    activities.initiatives,
    "Initiatives registered and recognised, benefit value, against targets",
)
_yearly(
    "works",
    "Công trình chào mừng",
    activities.works,
    "Dedicated works registered, completed and plaqued, with their value",
)


@router.get(
    "/reports/roll-up",
    tags=["national reports"],
    summary="The national roll-up: the four yearly reports' totals and each federation's figures",
    description="`totals`: for `registrations`, `awards`, `initiatives` and `works`, the figures the "
    "national report heads with. `by_federation`: each federation standing on `as_of`, in code "
    "order, with `federation_name` and, per report, the figures its own report heads with (as in "
    "the national reports' `by_federation`). One grouped statement per report. National scope.",
)
async def roll_up(caller: Caller, request: Request, year: Year, as_of: AsOf = None) -> Any:
    scope = await checked_scope(request, caller, None, None, as_of, year)
    return JSONResponse(await national.roll_up(reads_of(request), scope.as_of, year))


@router.get(FED + "/reports/targets", tags=["reports"], summary="Target completion per unit")
async def targets_report(
    federation: str,
    caller: Caller,
    request: Request,
    year: Year,
    programme: Annotated[str, Query(examples=["initiatives"])] = "initiatives",
    unit: Unit = None,
    as_of: AsOf = None,
    format: Format = "json",
) -> Any:
    scope = await checked_scope(request, caller, federation, unit, as_of, year)
    report = await place_units(
        request, await activities.targets(reads_of(request), scope, year, programme), scope
    )
    return await answer(request, caller, federation, report, format, f"Chỉ tiêu {federation} {year}")


@router.get(FED + "/reports/term", tags=["reports"], summary="A term of several years (e.g. 2018–2023)")
async def term_report(
    federation: str,
    caller: Caller,
    request: Request,
    from_year: Annotated[int, Query(alias="from", ge=1945, le=2100)],
    to_year: Annotated[int, Query(alias="to", ge=1945, le=2100)],
    unit: Unit = None,
    as_of: AsOf = None,
    format: Format = "json",
) -> Any:
    if to_year < from_year or to_year - from_year > 20:
        raise Invalid.on("to", "a term runs from `from` to a `to` at most 20 years later")
    scope = await checked_scope(request, caller, federation, unit, as_of, to_year)
    report = await place_units(request, await term.term(reads_of(request), scope, from_year, to_year), scope)
    title = f"Nhiệm kỳ {federation} {from_year}-{to_year}"
    return await answer(request, caller, federation, report, format, title)


@router.get(
    FED + "/reports/rotation",
    tags=["reports"],
    summary="Who received each block's Cờ thi đua each year; strict rotation flagged",
)
async def rotation_report(
    federation: str,
    caller: Caller,
    request: Request,
    from_year: Annotated[int, Query(alias="from", ge=1945, le=2100)],
    to_year: Annotated[int, Query(alias="to", ge=1945, le=2100)],
    format: Format = "json",
) -> Any:
    caller.require("read", federation)
    if caller.unit_path:  # the federation's blocks and every unit that signed with them
        raise Forbidden("the rotation report covers the federation's blocks; it needs a federation token")
    report = await term.rotation(reads_of(request), federation, from_year, to_year)
    return await answer(request, caller, federation, report, format, f"Luân phiên Cờ thi đua {federation}")


@router.get(
    FED + "/history/{subject_kind}/{code}",
    tags=["history"],
    summary="Every pledge, nomination, grant and revocation of a member or unit",
    description="Each line: `happened_on` (the day it took effect: a grant's decision date, a revocation's "
    "`revoked_on`, a rating's year end …; else the day recorded) and `recorded_at` (= `occurred_at`). "
    "`as_of`: the lines that happened by then, whenever recorded, in the order they happened.",
)
async def subject_history(
    federation: str,
    subject_kind: Literal["member", "unit"],
    code: str,
    caller: Caller,
    request: Request,
    as_of: Annotated[Date | None, Query(description="what had happened by this date (happened_on)")] = None,
    format: Format = "json",
) -> Any:
    caller.require("read", federation)
    reads = reads_of(request)
    missing = unknown_subject(federation, subject_kind, code)
    placed = await subject_placement(reads, federation, subject_kind, code, as_of or clock.today())
    if placed is None or not caller.covers_unit(federation, tuple(placed[1])):
        raise missing  # never in the federation, or outside the caller's subtree (I5)
    covers = (lambda fed, path: caller.covers_unit(fed, tuple(path))) if caller.unit_path else None
    report = await history.history(reads, federation, subject_kind, code, as_of, placed, covers)
    return await answer(
        request, caller, federation, report, format, f"Lịch sử {subject_kind} {code}", missing
    )
