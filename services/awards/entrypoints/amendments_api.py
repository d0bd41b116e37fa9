"""A decision amended or cancelled (application/amendments.py); included by api.py's router."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.awards.application import amendments
from services.awards.application.amendment_commands import AmendDecision, CancelDecision
from services.awards.application.app import AwardsApplication
from services.awards.domain.authorities import Issuer
from services.awards.entrypoints.context import FED, app_of, subjects, year_end
from shared.store.eventstore import CommandResult, Context
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter()


async def _keys(app: AwardsApplication, federation: str, decision_id: str, body: AmendDecision | None) -> Any:
    """The decision, and the subjects its added lines and its issuing unit are checked against."""
    found = await asyncio.to_thread(app.decision, federation, decision_id)
    keys: list[tuple[str, str]] = []
    for line in body.add if body else []:
        if line.nomination is not None:
            with_key = await asyncio.to_thread(app.find_nomination_key, federation, line.nomination)
            if with_key is not None:
                keys.append(with_key)
        elif line.subject_kind and line.subject_code:
            keys.append((line.subject_kind, line.subject_code))
    issuer = Issuer.of(found.authority)
    if issuer.kind == "unit" and issuer.code:
        keys.append(("unit", issuer.code))
    return found, keys


@router.post(FED + "/decisions/{decision_id}:amend", tags=["decisions"], summary="Amend a decision")
async def amend_decision(
    federation: str, decision_id: str, body: AmendDecision, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Adds lines (checked as an issued decision's: nominations passed, eligible by the rules on
    the decision's signing day, an award its authority grants, subjects in the issuer's subtree;
    `award-granted` each), removes grants (`grant-cancelled`: counted as never granted, reported
    as cancelled, not revoked) and corrects grantees' names as printed (`grant-corrected`: the
    grant keeps its id), all with the `reason` (or `X-Reason`) in `decision-amended`. Only who may
    issue the decision's authority amends it; a cancelled decision answers 409. Send `If-Match`
    with the decision's ETag. Nothing is stored if any part is refused."""
    caller.require("decision.issue", federation)
    app = app_of(request)
    found, keys = await _keys(app, federation, decision_id, body)
    seen = await subjects(request, federation, keys, year_end(found.year, found.signed_on))

    def run(ctx: Context, *args: Any) -> CommandResult:
        return amendments.amend_decision(app, app.today(), ctx, *args)

    return await execute(app, ctx, run, federation, decision_id, body, seen)


@router.post(FED + "/decisions/{decision_id}:cancel", tags=["decisions"], summary="Cancel a decision")
async def cancel_decision(
    federation: str, decision_id: str, body: CancelDecision, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Every standing grant of the decision cancelled (`grant-cancelled` each, `decision-cancelled`
    with the `reason` or `X-Reason`): never granted for every later check, reported as cancelled
    apart from revocations (revoked grants stay revoked). The number stays taken; a cancelled
    decision cannot be amended or cancelled again (409). Send `If-Match` with the decision's ETag."""
    caller.require("decision.issue", federation)
    app = app_of(request)
    found, keys = await _keys(app, federation, decision_id, None)
    seen = await subjects(request, federation, keys, year_end(found.year, found.signed_on))

    def run(ctx: Context, *args: Any) -> CommandResult:
        return amendments.cancel_decision(app, app.today(), ctx, *args)

    return await execute(app, ctx, run, federation, decision_id, body, seen)
