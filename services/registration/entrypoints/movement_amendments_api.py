"""A movement amended while open: its name, theme, phases, awards or deadline, with the reason (issue 18)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.registration.application import commands as c
from services.registration.entrypoints.examples import ok
from services.registration.entrypoints.parts import FED, app_of
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter()  # included by pledges_api's router, under its /v1


@router.post(
    FED + "/movements/{code}:amend",
    tags=["movements"],
    summary="Amend an open movement, with the reason",
    responses=ok("movement"),
)
async def amend_movement(
    federation: str, code: str, body: c.AmendMovement, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Change an open movement's `name`, `theme`, `phases` (all of them, as they are to be),
    `awards` open for new pledges or `registration_deadline`, with the `reason` (or `X-Reason`):
    `movement-amended` names what changed. Pledges already made stay — also for an award no longer
    open or after a deadline moved earlier — but a phase pledges name cannot be removed (422 naming
    `phases`); a closed movement answers 409. Send `If-Match` with the movement's ETag and an
    `Idempotency-Key`."""
    caller.require("movement.launch", federation)
    app = app_of(request)
    return await execute(app, ctx, app.amend_movement, federation, code, body)
