"""Registration's HTTP API: units' headcounts (workers and members, as declared on a date)."""

from __future__ import annotations

import asyncio
import functools

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.registration.application import commands as c
from services.registration.application.headcounts import record_headcounts
from services.registration.application.scope import unknown_unit
from services.registration.domain.headcounts import Headcount
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import FED, answer, app_of, path_today, visible
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter()  # included in api.router, under its /v1 prefix


@router.post(
    FED + "/headcounts",
    status_code=201,
    tags=["units"],
    summary="Record units' headcounts",
    responses=ok("headcounts-recorded", 201),
)
async def record(
    federation: str, body: c.RecordHeadcounts, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Each unit's workers (CNVCLĐ) and, of them, union members as counted on a day; one event
    `unit-headcount-recorded` per row that changes something. The unit must be in the tree on
    that day and, for a unit-scoped token, in its subtree. One bad row refuses the list, each
    named `headcounts.<row>.<field>`. New figures for a day already counted replace them and
    need a reason (`reason` or `X-Reason`). Honours Idempotency-Key."""
    caller.require("tree.write", federation)
    app = app_of(request)
    return await execute(app, ctx, functools.partial(record_headcounts, app.tree, app), federation, body)


@router.get(
    FED + "/units/{code}/headcounts",
    tags=["units"],
    summary="A unit's headcounts over time",
    responses=ok("headcounts"),
)
async def headcounts(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    app = app_of(request)

    def load() -> tuple[list[str], Headcount | None]:
        return path_today(app, federation, code), app.find(Headcount, Headcount.id_for(federation, code))

    path, found = await asyncio.to_thread(load)
    missing = unknown_unit(federation, code)
    visible(caller, federation, path, missing)
    body = found.as_dict() if found else {"federation": federation, "unit": code, "counts": [], "version": 0}
    body["unit_path"] = path
    return answer(caller, federation, body, found.version if found else 0, missing)
