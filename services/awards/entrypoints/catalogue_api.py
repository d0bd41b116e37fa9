"""The catalogue's versions over HTTP: a federation's own award amended from a date
(`award-amended`) or retired after one (`award-retired`); what was done before keeps the award
as it was. The catalogue itself (as of `on=`) and new awards are in `api`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.awards.application import commands as c
from services.awards.entrypoints.context import FED, app_of
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")


@router.post(FED + "/catalogue/{code}:amend", tags=["catalogue"], summary="Amend an own award from a date")
async def amend_award(
    federation: str, code: str, body: c.AmendAward, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `award-amended`: the name or terms given, from `effective_from` on (not before the
    award's latest version). Nominations, grants and pledges made before keep the old ones."""
    caller.require("catalogue.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.amend_award, federation, code, body)


@router.post(FED + "/catalogue/{code}:retire", tags=["catalogue"], summary="Retire an own award")
async def retire_award(
    federation: str, code: str, body: c.RetireAward, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `award-retired`: in force through `effective_until`, then never nominated, pledged
    or granted again; its grants and history stay as they were."""
    caller.require("catalogue.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.retire_award, federation, code, body)
