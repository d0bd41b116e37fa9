"""Registration's HTTP API (ENGINEERING.md section 2)."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from shared.errors import Forbidden
from shared.web import Caller, Ctx, execute, runtime

router = APIRouter(prefix="/v1")
FED = "/federations/{federation}"


def app_of(request: Request) -> RegistrationApplication:
    app = runtime(request).application
    assert isinstance(app, RegistrationApplication)
    return app


async def read(request: Request, method: str, *args: Any) -> JSONResponse:
    aggregate = await asyncio.to_thread(getattr(app_of(request), method), *args)
    return JSONResponse(_json(aggregate.as_dict()), headers={"ETag": f'"{aggregate.version}"'})


def _json(body: dict) -> dict:
    from shared.eventstore import jsonable

    return jsonable(body)  # type: ignore[no-any-return]


@router.post(
    "/federations", status_code=201, tags=["federations"], summary="Create a federation (national scope)"
)
async def create_federation(
    body: c.CreateFederation, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("federation.create")
    if not caller.is_national:
        raise Forbidden("only national staff create federations")
    app = app_of(request)
    return await execute(app, ctx, app.create_federation, body)


@router.get(FED, tags=["federations"], summary="A federation")
async def get_federation(federation: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(request, "federation", federation)


@router.post(FED + "/units", status_code=201, tags=["units"], summary="Register a unit")
async def register_unit(
    federation: str, body: c.RegisterUnit, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.register_unit, federation, body)


@router.get(FED + "/units/{code}", tags=["units"], summary="A unit by its code")
async def get_unit(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(request, "unit", federation, code)


@router.post(FED + "/members", status_code=201, tags=["members"], summary="Register a member")
async def register_member(
    federation: str, body: c.RegisterMember, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.register_member, federation, body)


@router.get(FED + "/members/{code}", tags=["members"], summary="A member by code")
async def get_member(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(request, "member", federation, code)


@router.post(FED + "/movements", status_code=201, tags=["movements"], summary="Launch a movement")
async def launch_movement(
    federation: str, body: c.LaunchMovement, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("movement.launch", federation)
    app = app_of(request)
    return await execute(app, ctx, app.launch_movement, federation, body)


@router.get(FED + "/movements/{code}", tags=["movements"], summary="A movement by code")
async def get_movement(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(request, "movement", federation, code)


@router.post(FED + "/pledges", status_code=201, tags=["pledges"], summary="Register a pledge")
async def register_pledge(
    federation: str, body: c.RegisterPledge, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """A unit registers itself, a collective or a member for an award in a movement."""
    caller.require("pledge.submit", federation)
    app = app_of(request)
    return await execute(app, ctx, app.register_pledge, federation, body)


def _transition(action: Literal["accept", "return", "resubmit", "withdraw"], permission: str) -> Any:
    async def transition(
        federation: str,
        pledge_id: str,
        caller: Caller,
        ctx: Ctx,
        request: Request,
        body: c.PledgeDecision | None = None,
    ) -> JSONResponse:
        caller.require(permission, federation)
        app = app_of(request)
        return await execute(
            app, ctx, app.transition_pledge, federation, pledge_id, action, body or c.PledgeDecision()
        )

    transition.__name__ = f"{action}_pledge"
    return transition


for _action, _permission in (
    ("accept", "pledge.review"),
    ("return", "pledge.review"),
    ("resubmit", "pledge.submit"),
    ("withdraw", "pledge.submit"),
):
    router.add_api_route(
        FED + "/pledges/{pledge_id}:" + _action,
        _transition(_action, _permission),  # type: ignore[arg-type]
        methods=["POST"],
        tags=["pledges"],
        summary=f"{_action.capitalize()} a pledge",
        description="Send `If-Match` with the pledge's ETag to refuse a stale change.",
    )


@router.get(FED + "/pledges/{pledge_id}", tags=["pledges"], summary="A pledge")
async def get_pledge(federation: str, pledge_id: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(request, "pledge", federation, pledge_id)
