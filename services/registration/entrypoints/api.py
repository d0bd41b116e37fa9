"""Registration's HTTP API: federations and units (members in members_api.py, included in this
router); the public contract is described in docs/architecture.md."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.registration.application import commands as c
from services.registration.application.scope import unknown_unit
from services.registration.application.service import RegistrationApplication
from services.registration.entrypoints import headcounts_api, lists_api, members_api
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import (
    FED,
    AsOf,
    Limit,
    answer,
    app_of,
    caught_up,
    correction_doc,
    queries,
    read,
    visible,
)
from shared.kernel.errors import Forbidden
from shared.store.eventstore import CommandResult, jsonable
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")


@router.post(
    "/federations",
    status_code=201,
    tags=["federations"],
    summary="Create a federation (national scope)",
    responses=ok("federation", 201),
)
async def create_federation(
    body: c.CreateFederation, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("federation.create")
    if not caller.is_national:
        raise Forbidden("only national staff create federations")
    app = app_of(request)
    return await execute(app, ctx, app.create_federation, body)


@router.get(
    "/federations",
    tags=["federations"],
    summary="The federations (national scope), by code, page by page",
    responses=ok("federations"),
    description="Each federation's `code`, `name`, and `merged_into` and `merged_on` once merged into "
    "another; merged ones only with `include_merged=true`. `next_cursor` (null on the last page) "
    "is the next page's `cursor`. A federation's token is 403.",
)
async def list_federations(
    caller: Caller,
    request: Request,
    include_merged: bool = False,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the page before")] = None,
    limit: Limit = 100,
) -> JSONResponse:
    if not caller.is_national:
        raise Forbidden("the federations are listed for national staff")
    caller.require("read")
    page = await (await queries(request)).federations(include_merged, cursor, limit)
    return JSONResponse(jsonable(page))


@router.get(FED, tags=["federations"], summary="A federation", responses=ok("federation"))
async def get_federation(federation: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(app_of(request).federation, federation)


@router.post(
    FED + ":merge",
    tags=["federations"],
    summary="Merge the federation into another (national scope)",
    responses=ok("federation"),
    description="Every top unit moves, with its subtree, to the receiving federation on `effective_on`; "
    "its staff then reach the units, members and pledges. Reads as of an earlier date are unchanged.",
)
async def merge_federation(
    federation: str, body: c.MergeFederation, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("federation.merge")
    if not caller.is_national:
        raise Forbidden("only national staff merge federations")
    q = await queries(request)
    clashes = await q.clashing_codes(federation, body.into)
    if clashes:
        from shared.kernel.errors import Conflict, FieldError

        raise Conflict(
            f"codes used in both federations: {', '.join(clashes)}", [FieldError("into", "codes clash")]
        )
    top = await q.top_units(federation, body.effective_on)
    app = app_of(request)
    return await execute(app, ctx, app.merge_federation, federation, body, top)


@router.post(
    FED + ":correct",
    tags=["federations"],
    summary="Correct a federation's stored name (admin of the federation or national)",
    responses=ok("federation"),
    description=correction_doc("federation-corrected", "federation"),
)
async def correct_federation(
    federation: str, body: c.CorrectName, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("federation.create", federation)
    app = app_of(request)
    return await execute(app, ctx, app.correct_federation, federation, body)


@router.post(
    FED + "/units", status_code=201, tags=["units"], summary="Register a unit", responses=ok("unit", 201)
)
async def register_unit(
    federation: str, body: c.RegisterUnit, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.register_unit, federation, body)


@router.get(FED + "/units", tags=["units"], summary="The tree's units as of a date", responses=ok("units"))
async def list_units(
    federation: str,
    caller: Caller,
    request: Request,
    as_of: AsOf = None,
    kind: str | None = None,
    parent: Annotated[str | None, Query(description="children of this unit; '' for top units")] = None,
    q: Annotated[
        str | None, Query(description="a part of the name or code; 'Truong A' finds 'Trường A'")
    ] = None,
    cursor: str | None = None,
    limit: Limit = 100,
) -> JSONResponse:
    caller.require("read", federation)
    await asyncio.to_thread(app_of(request).federation, federation)
    page = await (await queries(request)).units(
        federation, as_of or app_of(request).today(), kind, parent, cursor, limit, list(caller.unit_path), q
    )
    return JSONResponse(jsonable(page))


@router.get(FED + "/units/{code}", tags=["units"], summary="A unit by its code", responses=ok("unit"))
async def get_unit(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    app = app_of(request)

    def load() -> tuple[Any, Any]:
        unit = app.unit(federation, code)
        return unit, app.placement(unit, app.today())

    unit, placed = await asyncio.to_thread(load)
    missing = unknown_unit(federation, code)
    visible(caller, federation, placed[1] if placed else unit.ancestry, missing)
    body = unit.as_dict(placed[1] if placed else None)
    if placed:
        body["federation"] = placed[0]  # the federation the unit is in today, after any merge
    return answer(caller, federation, body, unit.version, missing)


def _unit_change(
    name: str,
    model: type,
    doc: str,
    command: Callable[[RegistrationApplication], Callable[..., CommandResult]],
) -> None:
    """The route `:{name}` of a unit, running `command` (the application's method) on the body."""

    async def change(
        federation: str, code: str, body: Any, caller: Caller, ctx: Ctx, request: Request
    ) -> Any:
        caller.require("tree.write", federation)
        app = app_of(request)
        return await execute(app, ctx, command(app), federation, code, body)

    change.__annotations__["body"] = model
    change.__name__ = f"{name}_unit"
    router.add_api_route(
        FED + "/units/{code}:" + name,
        change,
        methods=["POST"],
        tags=["units"],
        responses=ok("unit"),
        summary=doc,
        description="Takes effect on `effective_on`; reads as of an earlier date are unchanged. "
        "Send `If-Match` with the unit's ETag to refuse a stale change.",
    )


_unit_change(
    "move", c.MoveUnit, "Move a unit (with its subtree) under another parent", lambda app: app.move_unit
)


@router.post(
    FED + "/units/{code}:merge",
    tags=["units"],
    summary="Merge a unit into another; its members and subunits follow",
    responses=ok("unit"),
    description="Takes effect on `effective_on`; reads as of an earlier date are unchanged. The "
    "unit's own members are transferred to the receiving unit that day (`member-transferred`, the "
    "merge as `reason`). Send `If-Match` with the unit's ETag to refuse a stale change.",
)
async def merge_unit(
    federation: str, code: str, body: c.MergeUnit, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    reads, seen = await caught_up(request)
    members = await reads.unit_members(federation, code, since=body.effective_on)
    app = app_of(request)
    return await execute(app, ctx, app.merge_unit, federation, code, body, members, seen)


@router.post(
    FED + "/units/{code}:dissolve",
    tags=["units"],
    summary="Dissolve a unit once nobody is left in it",
    responses=ok("unit"),
    description="Takes effect on `effective_on`; reads as of an earlier date are unchanged. Refused "
    "(422 naming `effective_on`) while members are in the unit or units under it that day or after. "
    "Send `If-Match` with the unit's ETag to refuse a stale change.",
)
async def dissolve_unit(
    federation: str, code: str, body: c.DissolveUnit, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    reads, seen = await caught_up(request)
    members = await reads.unit_members(federation, code, since=body.effective_on)
    subunits = await reads.subunits(federation, code)
    app = app_of(request)
    return await execute(app, ctx, app.dissolve_unit, federation, code, body, members, subunits, seen)


@router.post(
    FED + "/units/{code}:recode",
    tags=["units"],
    summary="Change a unit's code; the old code stays findable and leads to the new one",
    status_code=201,
    responses=ok("unit"),
    description="From `effective_on` the unit goes on under `code` (a new unit whose `former_codes` "
    "name the old one): its own members are transferred to it that day (`member-transferred`) and "
    "its direct subunits moved under it (`unit-moved`), the change as `reason`; the old code ends "
    "with `unit-recoded` and its `recoded_to` names the new one. What was recorded under the old "
    "code stays under it. A reason is required (`reason` or `X-Reason`). Send `If-Match` with the "
    "unit's ETag to refuse a stale change.",
)
async def recode_unit(
    federation: str, code: str, body: c.RecodeUnit, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    reads, seen = await caught_up(request)
    members, subunits = await reads.unit_members(federation, code), await reads.subunits(federation, code)
    app = app_of(request)
    return await execute(app, ctx, app.recode_unit, federation, code, body, members, subunits, seen)


@router.post(
    FED + "/units/{code}:correct",
    tags=["units"],
    summary="Correct a unit's stored name",
    responses=ok("unit"),
    description=correction_doc("unit-corrected", "unit")
    + " A unit's code is its identity (members, pledges and subunits name it): it is not corrected "
    "here, and a body naming `code` is refused (422 naming `code`).",
)
async def correct_unit(
    federation: str, code: str, body: c.CorrectName, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.correct_unit, federation, code, body)


# The members' routes are in members_api; this router serves them too.
router.include_router(members_api.router)
router.include_router(headcounts_api.router)
router.include_router(lists_api.router)
