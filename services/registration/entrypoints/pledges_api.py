"""Registration's HTTP API: movements and pledges, one by one or as a list (JSON or .xlsx)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from services.registration.adapters import pledge_sheet
from services.registration.application import commands as c
from services.registration.entrypoints import movement_amendments_api, pledge_corrections_api
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import FED, Limit, app_of, parts_of, queries, read
from shared.kernel.commands import Year
from shared.kernel.errors import Invalid, NotFound
from shared.ops.gc_pause import paused_throughout
from shared.store.eventstore import fingerprint, jsonable
from shared.web import scope_guard
from shared.web.app import Ctx, context, execute, respond
from shared.web.asgi import FastHandler
from shared.web.caller import Caller, principal

router = APIRouter(prefix="/v1")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post(
    FED + "/movements",
    status_code=201,
    tags=["movements"],
    summary="Launch a movement",
    responses=ok("movement", 201),
)
async def launch_movement(
    federation: str, body: c.LaunchMovement, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("movement.launch", federation)
    app = app_of(request)
    return await execute(app, ctx, app.launch_movement, federation, body)


@router.get(
    FED + "/movements/{code}", tags=["movements"], summary="A movement by code", responses=ok("movement")
)
async def get_movement(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(app_of(request).movement, federation, code)


@router.post(
    FED + "/movements/{code}:close", tags=["movements"], summary="Close a movement", responses=ok("movement")
)
async def close_movement(
    federation: str, code: str, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("movement.launch", federation)
    app = app_of(request)
    return await execute(app, ctx, app.close_movement, federation, code)


@router.post(
    FED + "/pledges",
    status_code=201,
    tags=["pledges"],
    summary="Register a pledge",
    responses=ok("pledge", 201),
)
async def register_pledge(
    federation: str, body: c.RegisterPledge, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """A unit registers itself, a collective or a member for an award in a movement."""
    caller.require("pledge.submit", federation)
    return respond(await parts_of(request).pledges.submit((ctx, federation, body)))


async def register_pledge_fast(request: Request, path: dict[str, str]) -> Response | None:
    """`register_pledge` without FastAPI's routing and dependencies (shared.web.asgi.FastLane): the
    same steps in the same order; anything but a valid JSON pledge is left to the route."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return None
    try:
        body = c.RegisterPledge.model_validate(json.loads(await request.body()))
    except (ValueError, RecursionError):  # not JSON, or not a pledge: the route answers it
        return None
    caller = await principal(request)
    ctx = await context(request, caller)
    return await register_pledge(path["federation"], body, caller, ctx, request)


FAST: list[tuple[str, str, FastHandler]] = [
    ("POST", r"/v1/federations/(?P<federation>[^/]+)/pledges", register_pledge_fast)
]


BATCH_BODY: dict[str, Any] = {
    "content": {
        "application/json": {
            "schema": {"type": "array", "maxItems": pledge_sheet.MAX_ROWS, "items": {"type": "object"}},
            "example": [
                {
                    "movement": "td-2023",
                    "award": "bang-khen-ldld",
                    "subject_kind": "member",
                    "subject_code": "dv-0001",
                    "subject_name": "Nguyễn Văn An",
                    "pledged_on": "2023-02-01",
                },
                {
                    "movement": "td-2023",
                    "award": "co-thi-dua-ldld",
                    "subject_kind": "unit",
                    "subject_code": "cdcs-truong-a",
                    "pledged_on": "2023-02-01",
                },
            ],
        },
        XLSX: {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
    }
}


@router.post(
    FED + "/pledges:batch",
    status_code=201,
    tags=["pledges"],
    summary="Register a list of pledges (JSON array or .xlsx)",
    openapi_extra={"requestBody": BATCH_BODY},
    responses=ok("batch", 201),
)
@paused_throughout  # thousands of rows made and freed: nothing to collect
async def register_pledges(
    federation: str,
    caller: Caller,
    ctx: Ctx,
    request: Request,
    mode: Annotated[
        Literal["all-or-nothing", "keep-good-rows"],
        Query(description="refuse the whole list if one row is bad, or store the good rows"),
    ] = "all-or-nothing",
    new_members: Annotated[
        Literal["refuse", "register"],
        Query(
            description="a row naming a person who is not a member yet: refused, or registered first "
            "(`member-registered`) from its `subject_name`, `unit` and `birth_year`; needs `tree.write` too"
        ),
    ] = "refuse",
) -> JSONResponse:
    """Up to 10,000 rows, as a JSON array of pledges or the .xlsx template (`pledges:template`) sent
    as the body or as the `file` field of a form. The answer reports every row; a refused row names
    its row number, field and column. Send an `Idempotency-Key`: the same file again has no second effect."""
    caller.require("pledge.submit", federation)
    if new_members == "register":
        caller.require("tree.write", federation)
    content, rows = await _rows(request)
    # The key's fingerprint is the list itself, not the multipart envelope, whose boundary varies.
    register = new_members == "register"
    asked = f"{request.url.path}?{mode}" + ("&new_members=register" if register else "")
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", asked, content))
    app = app_of(request)
    return await execute(app, ctx, app.register_pledges, federation, rows, mode, register)


async def _rows(request: Request) -> tuple[bytes, list[tuple[int, dict[str, Any]]]]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Invalid.on("file", "send the .xlsx list as the form field 'file'")
        content = await upload.read()
        return content, pledge_sheet.read_rows(content)
    content = await request.body()
    if kind == XLSX:
        return content, pledge_sheet.read_rows(content)
    if kind != "application/json":
        raise Invalid.on("content-type", f"send application/json, {XLSX} or multipart/form-data")
    try:
        data = json.loads(content)
    except ValueError:
        raise Invalid.on("body", "the body is not valid JSON") from None
    if not isinstance(data, list):
        raise Invalid.on("body", "the body must be a JSON array of pledges")
    rows: list[tuple[int, dict[str, Any]]] = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise Invalid.on("body", "each row must be an object", row=i)
        rows.append((i, item))
    return content, rows


@router.get(
    FED + "/pledges:template",
    tags=["pledges"],
    summary="The .xlsx template for pledges:batch",
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def pledge_template(federation: str, caller: Caller, request: Request) -> Response:
    caller.require("read", federation)
    scope_guard.vouch(request.scope, None, caller, federation)  # headings and catalogue only: no records
    return Response(
        pledge_sheet.template(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="dang-ky-thi-dua.xlsx"'},
    )


@router.get(
    FED + "/pledges", tags=["pledges"], summary="Pledges, filtered, paged by cursor", responses=ok("pledges")
)
async def list_pledges(
    federation: str,
    caller: Caller,
    request: Request,
    movement: str | None = None,
    award: str | None = None,
    state: str | None = None,
    subject_kind: str | None = None,
    unit: Annotated[str | None, Query(description="pledges of this unit's subtree")] = None,
    year: Year | None = None,
    cursor: str | None = None,
    limit: Limit = 100,
) -> JSONResponse:
    caller.require("read", federation)
    import asyncio

    await asyncio.to_thread(app_of(request).federation, federation)
    filters = {
        "movement": movement,
        "award": award,
        "state": state,
        "subject_kind": subject_kind,
        "unit": unit,
        "year": year,
    }
    page = await (await queries(request)).pledges(federation, filters, cursor, limit, list(caller.unit_path))
    return JSONResponse(jsonable(page))


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
    ("withdraw", "pledge.submit"),
):
    router.add_api_route(
        FED + "/pledges/{pledge_id}:" + _action,
        _transition(_action, _permission),  # type: ignore[arg-type]
        methods=["POST"],
        tags=["pledges"],
        summary=f"{_action.capitalize()} a pledge",
        description="Send `If-Match` with the pledge's ETag to refuse a stale change.",
        responses=ok("pledge"),
    )
router.include_router(pledge_corrections_api.router)  # :resubmit, as it was or corrected
router.include_router(movement_amendments_api.router)  # movements/{code}:amend


@router.get(FED + "/pledges/{pledge_id}", tags=["pledges"], summary="A pledge", responses=ok("pledge"))
async def get_pledge(federation: str, pledge_id: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    pledge = await asyncio.to_thread(app_of(request).pledge, federation, pledge_id)
    if not caller.covers_unit(federation, tuple(pledge.unit_path)):  # I5: a unit sees its subtree
        raise NotFound(f"pledge '{pledge_id}' does not exist")
    return JSONResponse(jsonable(pledge.as_dict()), headers={"ETag": f'"{pledge.version}"'})
