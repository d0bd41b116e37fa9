"""Awards' HTTP API of nominations (submitted, withdrawn, forwarded, disclosed) and the paged
lists of nominations and grants, read from awards' index of its own log (adapters/index_lists.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from services.awards.adapters.list_order import DESCRIPTION as SORT_DOC
from services.awards.adapters.list_order import Order, Sort, since_of
from services.awards.application import commands as c
from services.awards.entrypoints.context import FED, app_of, lists_of, read, subjects, year_end
from shared.kernel.errors import Forbidden, NotFound
from shared.store.eventstore import jsonable
from shared.web.app import SEQUENCE_MAX, Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")


# -- nominations -------------------------------------------------------------------------------


@router.post(FED + "/nominations", status_code=201, tags=["nominations"], summary="Submit a nomination")
async def submit_nomination(
    federation: str, body: c.SubmitNomination, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `nomination-submitted` with the verdict of the rules in force today attached."""
    caller.require("nomination.submit", federation)
    app = app_of(request)
    as_of = year_end(body.year, app.today())
    found = await subjects(request, federation, [(body.subject_kind, body.subject_code)], as_of)
    return await execute(app, ctx, app.submit_nomination, federation, body, found)


Year = Annotated[int | None, Query(ge=1945, le=2100)]


@dataclass
class Paging:
    cursor: str | None
    after: int


def paging(
    cursor: Annotated[str | None, Query(description="`next_cursor` of the page before")] = None,
    after: Annotated[
        int,
        Query(
            ge=0,
            le=SEQUENCE_MAX,
            deprecated=True,
            description="deprecated, use `cursor`: `next_after` of the page before (in the order created)",
        ),
    ] = 0,
) -> Paging:
    """One cursor style with registration's: `cursor` in, `next_cursor` out; `after` and
    `next_after` kept for one deprecation period (docs/contract-changelog.md, 2026-12-06)."""
    return Paging(cursor, after)


def position(page: Annotated[Paging, Depends(paging)]) -> int:
    """The row a list in the order created goes on after: the cursor's, else `after`."""
    return since_of(page.cursor) if page.cursor is not None else page.after


After = Annotated[int, Depends(position)]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get(FED + "/nominations", tags=["nominations"], summary="Nominations, page by page")
async def list_nominations(
    federation: str,
    caller: Caller,
    request: Request,
    year: Year = None,
    award: str | None = None,
    state: Literal["submitted", "withdrawn"] | None = None,
    outcome: Annotated[
        Literal["pending", "passed", "failed"] | None,
        Query(description="the council's result: `pending` while no council has resolved it"),
    ] = None,
    on_open_council: Annotated[
        bool | None, Query(description="true: only those on a council still voting; false: only those not")
    ] = None,
    granted: Annotated[
        bool | None, Query(description="true: only those a grant (not revoked) names; false: only those not")
    ] = None,
    with_total: Annotated[
        bool, Query(description="also `total`: how many match the filters on every page together")
    ] = False,
    sort: Annotated[Sort | None, Query(description=SORT_DOC)] = None,
    page: Annotated[Paging, Depends(paging)] = Paging(None, 0),
    limit: Limit = 100,
) -> dict:
    """In the order they were submitted, or sorted (`sort`); `passed` is the council's result
    once resolved. Each page has `next_cursor` (null on the last) for `cursor` (with the same
    `sort`), and in the order submitted also, deprecated, `next_after` for `after`. Projected
    from the log, so a nomination appears a moment after it is stored. Waiting for a council:
    `state=submitted&outcome=pending&on_open_council=false`; passed and not yet granted:
    `state=submitted&outcome=passed&granted=false`."""
    caller.require("read", federation)
    filters = {"year": year, "award": award, "state": state}
    stage = {"outcome": outcome, "on_open_council": on_open_council, "granted": granted}
    order = Order(sort, page.cursor)
    lists, within = lists_of(request), caller.unit_path
    return await lists.nominations(federation, filters, page.after, limit, within, stage, with_total, order)


@router.get(
    "/nominations/forwarded",
    tags=["nominations"],
    summary="Nominations forwarded upward from every federation (national scope)",
)
async def list_forwarded_nominations(
    caller: Caller,
    request: Request,
    year: Year = None,
    award: str | None = None,
    to: Annotated[
        Literal["national", "state"] | None, Query(description="only those forwarded to this level")
    ] = None,
    federation: Annotated[str | None, Query(max_length=64, description="only this federation's")] = None,
    state: Annotated[
        Literal["submitted", "withdrawn"] | None, Query(description="only those in this state")
    ] = None,
    after: After = 0,
    limit: Limit = 100,
) -> dict:
    """What the national union receives: every federation's nominations its council passed and
    forwarded upward (`nomination-forwarded`), each with its `federation`, in the order they were
    submitted; `passed` is the federation council's result. Only a national-scope token may ask
    (403 otherwise). Filtered by year, award, level (`to`), federation and state. The national
    union's councils and decisions over them are under `/v1/national`. Projected from the log,
    so a nomination appears a moment after it is forwarded."""
    caller.require("read")
    if not caller.is_national:
        raise Forbidden("the nominations forwarded from every federation need a national-scope token")
    filters = {"year": year, "award": award, "forwarded_to": to, "federation": federation, "state": state}
    return await lists_of(request).forwarded(filters, after, limit)


@router.get(FED + "/grants", tags=["grants"], summary="Grants, page by page")
async def list_grants(
    federation: str,
    caller: Caller,
    request: Request,
    year: Year = None,
    award: str | None = None,
    subject_kind: Literal["member", "unit"] | None = None,
    subject_code: str | None = None,
    decision: Annotated[UUID | None, Query(description="the id of the decision that granted them")] = None,
    after: After = 0,
    limit: Limit = 100,
) -> dict:
    """Grants of decisions and imports, in the order they were stored; revoked ones carry
    `revoked_on`; a decision's grants carry its id as `decision`."""
    caller.require("read", federation)
    filters = {
        "year": year,
        "award": award,
        "subject_kind": subject_kind,
        "subject_code": subject_code,
        "decision": decision,
    }
    page = await lists_of(request).grants(federation, filters, after, limit, caller.unit_path)
    return jsonable(page)  # type: ignore[no-any-return]


@router.get(FED + "/nominations/{nomination_id}", tags=["nominations"], summary="A nomination")
async def get_nomination(
    federation: str, nomination_id: str, caller: Caller, request: Request
) -> JSONResponse:
    caller.require("read", federation)
    missing = NotFound(f"nomination '{nomination_id}' does not exist")  # as lookups.nomination says
    return await read(app_of(request).nomination, federation, nomination_id, caller, missing)


@router.post(FED + "/nominations/{nomination_id}:withdraw", tags=["nominations"], summary="Withdraw")
async def withdraw_nomination(
    federation: str, nomination_id: str, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("nomination.submit", federation)
    app = app_of(request)
    return await execute(app, ctx, app.withdraw_nomination, federation, nomination_id)


@router.post(FED + "/nominations/{nomination_id}:forward", tags=["nominations"], summary="Forward upward")
async def forward_nomination(
    federation: str, nomination_id: str, body: c.ForwardNomination, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `nomination-forwarded`: a passed nomination for a national or state award goes up,
    keeping its id, so the higher level's decision and grant link back to it."""
    caller.require("nomination.forward", federation)
    app = app_of(request)
    return await execute(app, ctx, app.forward_nomination, federation, nomination_id, body)


@router.post(
    FED + "/nominations/{nomination_id}:disclose", tags=["nominations"], summary="Start public disclosure"
)
async def disclose_nomination(
    federation: str,
    nomination_id: str,
    body: c.DiscloseNomination,
    caller: Caller,
    ctx: Ctx,
    request: Request,
) -> JSONResponse:
    """The decision may be signed only after the disclosure's last working day."""
    caller.require("nomination.forward", federation)
    app = app_of(request)
    return await execute(app, ctx, app.disclose_nomination, federation, nomination_id, body)
