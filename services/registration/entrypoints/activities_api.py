"""Registration's HTTP API: covenants, targets, initiatives and works."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.registration.application import activity_commands as ac
from services.registration.application.activities import (
    unknown_covenant,
    unknown_initiative,
    unknown_target,
    unknown_work,
)
from services.registration.application.service import RegistrationApplication
from services.registration.entrypoints import activity_corrections_api
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import FED, Limit, answer, app_of, path_today, queries, visible
from shared.kernel.commands import Year
from shared.store.eventstore import CommandResult, jsonable
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")
COVENANT = FED + "/covenants/{block}/{year}"


@router.post(
    FED + "/covenants",
    status_code=201,
    tags=["covenants"],
    summary="Sign a block's covenant",
    responses=ok("covenant", 201),
)
async def sign_covenant(
    federation: str, body: ac.SignCovenant, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """The units of an emulation block sign the year's covenant with its scoring sheet."""
    caller.require("covenant.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.sign_covenant, federation, body)


@router.get(COVENANT, tags=["covenants"], summary="A block's covenant for a year", responses=ok("covenant"))
async def get_covenant(
    federation: str, block: str, year: Year, caller: Caller, request: Request
) -> JSONResponse:
    caller.require("read", federation)
    app = app_of(request)

    def load() -> tuple[Any, list[str]]:
        covenant = app.covenant(federation, block, year)
        return covenant, path_today(app, federation, covenant.block)

    covenant, path = await asyncio.to_thread(load)
    # the block's: its units' scores are the federation's to read, or the block's own token's
    missing = unknown_covenant(block, year)
    visible(caller, federation, path, missing)
    return answer(caller, federation, covenant.as_dict(), covenant.version, missing)


@router.post(
    COVENANT + ":score", tags=["covenants"], summary="Score the block's units", responses=ok("covenant")
)
async def score_block(
    federation: str, block: str, year: Year, body: ac.ScoreBlock, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("covenant.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.score_block, federation, block, year, body)


@router.post(
    COVENANT + ":acclaim",
    tags=["covenants"],
    summary="Acclaim the block's leader(s)",
    responses=ok("covenant"),
)
async def acclaim_leader(
    federation: str,
    block: str,
    year: Year,
    body: ac.AcclaimLeader,
    caller: Caller,
    ctx: Ctx,
    request: Request,
) -> JSONResponse:
    caller.require("covenant.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.acclaim_leader, federation, block, year, body)


@router.post(
    FED + "/targets",
    status_code=201,
    tags=["targets"],
    summary="Assign or self-register a target",
    responses=ok("target", 201),
)
async def assign_target(
    federation: str, body: ac.AssignTarget, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """An upper level (or the federation) assigns a unit its target for a programme and year; the
    unit may register a higher target of its own (`origin: self`)."""
    caller.require("target.assign", federation)
    app = app_of(request)
    return await execute(app, ctx, app.assign_target, federation, body)


@router.get(
    FED + "/targets/{unit}/{programme}/{year}",
    tags=["targets"],
    summary="A unit's target",
    responses=ok("target"),
)
async def get_target(
    federation: str, unit: str, programme: str, year: Year, caller: Caller, request: Request
) -> JSONResponse:
    caller.require("read", federation)
    app = app_of(request)

    def load() -> tuple[Any, list[str]]:
        target = app.target(federation, unit, programme, year)
        return target, path_today(app, federation, target.unit)

    target, path = await asyncio.to_thread(load)
    missing = unknown_target(unit)
    visible(caller, federation, path, missing)
    body = {**target.as_dict(), "unit_path": "/".join(path)}
    return answer(caller, federation, body, target.version, missing)


@router.post(
    FED + "/initiatives",
    status_code=201,
    tags=["initiatives"],
    summary="Register an initiative",
    responses=ok("initiative", 201),
)
async def register_initiative(
    federation: str, body: ac.RegisterInitiative, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("initiative.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.register_initiative, federation, body)


@router.get(
    FED + "/initiatives/{code}", tags=["initiatives"], summary="An initiative", responses=ok("initiative")
)
async def get_initiative(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    initiative = await asyncio.to_thread(app_of(request).initiative, federation, code)
    missing = unknown_initiative(code)
    visible(caller, federation, initiative.unit_path, missing)
    body = {**initiative.as_dict(), "unit_path": "/".join(initiative.unit_path)}  # as the list says
    return answer(caller, federation, body, initiative.version, missing)


@router.post(
    FED + "/works",
    status_code=201,
    tags=["works"],
    summary="Register a dedicated work",
    responses=ok("work", 201),
)
async def register_work(
    federation: str, body: ac.RegisterWork, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("work.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.register_work, federation, body)


@router.get(FED + "/works/{code}", tags=["works"], summary="A dedicated work", responses=ok("work"))
async def get_work(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    work = await asyncio.to_thread(app_of(request).work, federation, code)
    missing = unknown_work(code)
    visible(caller, federation, work.unit_path, missing)
    body = {**work.as_dict(), "unit_path": "/".join(work.unit_path)}  # as the list says
    return answer(caller, federation, body, work.version, missing)


def _step(
    resource: str,
    action: str,
    model: type,
    command: Callable[[RegistrationApplication], Callable[..., CommandResult]],
    permission: str,
    example: str,
) -> None:
    """The route `:{action}` of a resource, running `command` (the application's method) with
    the action and the body."""

    async def step(federation: str, code: str, body: Any, caller: Caller, ctx: Ctx, request: Request) -> Any:
        caller.require(permission, federation)
        app = app_of(request)
        return await execute(app, ctx, command(app), federation, code, action, body)

    step.__annotations__["body"] = model
    step.__name__ = f"{action}_{resource[:-1]}"
    router.add_api_route(
        FED + f"/{resource}/{{code}}:{action}",
        step,
        methods=["POST"],
        tags=[resource],
        summary=f"{action.capitalize()} a {resource[:-1]}",
        description="Send `If-Match` with the ETag to refuse a stale change.",
        responses=ok(example),
    )


_step(
    "initiatives",
    "recognise",
    ac.DecideInitiative,
    lambda app: app.decide_initiative,
    "initiative.recognise",
    "initiative",
)
_step(
    "initiatives",
    "reject",
    ac.DecideInitiative,
    lambda app: app.decide_initiative,
    "initiative.recognise",
    "initiative",
)
_step("works", "complete", ac.WorkStep, lambda app: app.advance_work, "work.write", "work")
_step("works", "plaque", ac.WorkStep, lambda app: app.advance_work, "work.write", "work")


def _list(resource: str) -> None:
    async def listing(
        federation: str,
        caller: Caller,
        request: Request,
        year: Year | None = None,
        state: str | None = None,
        unit: Annotated[str | None, Query(description="of this unit's subtree")] = None,
        cursor: str | None = None,
        limit: Limit = 100,
    ) -> JSONResponse:
        caller.require("read", federation)
        await asyncio.to_thread(app_of(request).federation, federation)
        filters = {"year": year, "state": state, "unit": unit}
        page = await (await queries(request)).listing(
            resource, federation, filters, cursor, limit, list(caller.unit_path)
        )
        return JSONResponse(jsonable(page))

    listing.__name__ = f"list_{resource}"
    router.add_api_route(
        FED + f"/{resource}",
        listing,
        methods=["GET"],
        tags=[resource],
        summary=f"The {resource}, paged by cursor",
        responses=ok(resource),
    )


for _resource in ("movements", "initiatives", "works"):
    _list(_resource)


# The corrections' routes are in activity_corrections_api; this router serves them too.
router.include_router(activity_corrections_api.router)
