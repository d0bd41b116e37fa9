"""A returned pledge resubmitted, as it was or with corrections and the reason (issue 18)."""

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
    FED + "/pledges/{pledge_id}:resubmit",
    tags=["pledges"],
    summary="Resubmit a pledge, as it was or corrected",
    responses=ok("pledge"),
)
async def resubmit_pledge(
    federation: str,
    pledge_id: str,
    caller: Caller,
    ctx: Ctx,
    request: Request,
    body: c.ResubmitPledge | None = None,
) -> JSONResponse:
    """A returned (or withdrawn) pledge sent again. A returned one may carry corrections — its
    `pledged_on`, `phase` or `submitted_by` — with the `reason` (or `X-Reason`): they are checked
    as a new pledge's values are, the subject's unit follows where it sat on the corrected date, and
    `pledge-resubmitted` names the fields corrected. Refused corrections store nothing; a pledge in
    another state answers 409 naming it. Send `If-Match` with the pledge's ETag to refuse a stale
    change, and an `Idempotency-Key`."""
    caller.require("pledge.submit", federation)
    app = app_of(request)
    return await execute(app, ctx, app.resubmit_pledge, federation, pledge_id, body or c.ResubmitPledge())
