"""Registration's HTTP API: an initiative's and a dedicated work's details corrected with a reason."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.registration.application import activity_commands as ac
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import FED, app_of, correction_doc
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter()  # included by activities_api's router, under its /v1


@router.post(
    FED + "/initiatives/{code}:correct",
    tags=["initiatives"],
    summary="Correct an initiative's stored details (title, field, benefit value)",
    responses=ok("initiative"),
    description=correction_doc("initiative-corrected", "initiative")
    + " Give the details to correct (at least one); the event names them in `corrected`. Its "
    "code, author, unit and year are its identity and are not corrected. Once a council has decided "
    "it, its `benefit_value` is the council's: only a caller who may recognise initiatives (422 "
    "naming `benefit_value` otherwise) corrects it.",
)
async def correct_initiative(
    federation: str, code: str, body: ac.CorrectInitiative, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("initiative.write", federation)
    app = app_of(request)
    may_decide = caller.may("initiative.recognise")
    return await execute(app, ctx, app.correct_initiative, federation, code, body, may_decide)


@router.post(
    FED + "/works/{code}:correct",
    tags=["works"],
    summary="Correct a dedicated work's stored details (name, value, occasion)",
    responses=ok("work"),
    description=correction_doc("work-corrected", "work")
    + " Give the details to correct (at least one); the event names them in `corrected`. Its "
    "code, unit and year are its identity and are not corrected.",
)
async def correct_work(
    federation: str, code: str, body: ac.CorrectWork, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("work.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.correct_work, federation, code, body)
