"""Registration's HTTP API: members — registered, listed and searched, read, transferred, leaving
and corrected."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.registration.application import commands as c
from services.registration.application.scope import unknown_member
from services.registration.domain.members import Member
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import (
    FED,
    AsOf,
    Limit,
    answer,
    app_of,
    correction_doc,
    path_today,
    queries,
    visible,
)
from shared.store.eventstore import jsonable
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter()  # included in api.router, under its /v1 prefix


@router.post(
    FED + "/members",
    status_code=201,
    tags=["members"],
    summary="Register a member",
    responses=ok("member", 201),
)
async def register_member(
    federation: str, body: c.RegisterMember, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.register_member, federation, body)


@router.get(
    FED + "/members",
    tags=["members"],
    summary="Members as of a date; search by name",
    responses=ok("members"),
)
async def list_members(
    federation: str,
    caller: Caller,
    request: Request,
    q: Annotated[str | None, Query(description="name or code; 'Nguyen Van An' finds 'Nguyễn Văn An'")] = None,
    unit: Annotated[str | None, Query(description="members of this unit's subtree")] = None,
    as_of: AsOf = None,
    cursor: str | None = None,
    limit: Limit = 100,
) -> JSONResponse:
    caller.require("read", federation)
    await asyncio.to_thread(app_of(request).federation, federation)
    page = await (await queries(request)).members(
        federation, as_of or app_of(request).today(), unit, q, cursor, limit, list(caller.unit_path)
    )
    return JSONResponse(jsonable(page))


@router.get(FED + "/members/{code}", tags=["members"], summary="A member by code", responses=ok("member"))
async def get_member(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    app = app_of(request)

    def load() -> tuple[Member, list[str], list[dict[str, Any]]]:
        member = app.member(federation, code)
        _, path = app.known_placement(member, app.today())
        placements = []
        for p in member.as_dict()["placements"]:
            placements.append({**p, "unit_path": path_today(app, member.federation, p["unit"])})
        return member, path, placements

    member, path, placements = await asyncio.to_thread(load)
    missing = unknown_member(federation, code)
    visible(caller, federation, path, missing)
    body = member.as_dict()
    body["unit_path"] = "/".join(path)  # where the member is today, as the members list says
    # a unit-scoped caller sees the member's time in its own subtree, not where it was before
    body["placements"] = [
        {**p, "unit_path": "/".join(p["unit_path"])}
        for p in placements
        if caller.covers_unit(federation, tuple(p["unit_path"]))
    ]
    return answer(caller, federation, body, member.version, missing)


@router.post(
    FED + "/members/{code}:transfer",
    tags=["members"],
    summary="Transfer a member to another unit",
    responses=ok("member"),
)
async def transfer_member(
    federation: str, code: str, body: c.TransferMember, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """The member's history (pledges, awards) stays with the member. A unit that has ended
    (dissolved, merged or recoded) takes nobody, from any day: 422 naming `unit`."""
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.transfer_member, federation, code, body)


@router.post(
    FED + "/members/{code}:leave",
    tags=["members"],
    summary="Record that a member left the union",
    responses=ok("member"),
)
async def member_leaves(
    federation: str, code: str, body: c.MemberLeaves, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.member_leaves, federation, code, body)


@router.post(
    FED + "/members/{code}:correct",
    tags=["members"],
    summary="Correct a member's stored details (full name, birth year, gender, position)",
    responses=ok("member"),
    description=correction_doc("member-corrected", "member")
    + " Give the details to correct (at least one; null clears `birth_year`, `gender` or `position`); "
    "`birth_year` must not be after this year. The event names them in `corrected`.",
)
async def correct_member(
    federation: str, code: str, body: c.CorrectMember, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.correct_member, federation, code, body)
