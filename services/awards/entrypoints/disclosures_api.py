"""Public disclosure over HTTP: the federation's public board (`/v1/public/…`, no token: the gate
lets /v1/public through) and the objections its staff record, read by the council."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request

from services.awards.application.disclosures import RecordObjection
from services.awards.entrypoints.context import FED, app_of, facts_of
from shared.kernel.errors import NotFound
from shared.store.eventstore import jsonable
from shared.web import scope_guard
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")
PUBLIC_FIELDS = ("subject_kind", "subject_name", "award", "award_name", "year", "starts_on", "ends_on")


@router.get(
    "/public" + FED + "/disclosures",
    tags=["disclosure"],
    summary="Nominations under public disclosure (public, no token)",
)
async def public_board(federation: str, request: Request) -> dict:
    """The federation's nominations under public disclosure today or announced to start, soonest
    end first: only what the law asks to disclose — the name, the unit (code and name), the award
    proposed and the disclosure's first and last day — and the nomination's id, to cite when
    sending an objection to the federation. Objections are made to the federation in writing or in
    person; its staff record them."""
    facts = facts_of(request)
    if not await facts.knows_federation(federation):
        raise NotFound(f"federation '{federation}' does not exist")
    notices = await asyncio.to_thread(app_of(request).disclosure_board, federation)
    names = await facts.unit_names(federation, sorted({n["unit"] for n in notices if n.get("unit")}))
    items = [
        {
            "nomination": n["nomination"],
            **{k: n[k] for k in PUBLIC_FIELDS},
            "unit": n.get("unit"),
            "unit_name": names.get(n.get("unit") or "", n.get("unit")),
        }
        for n in notices
    ]
    return jsonable({"federation": federation, "items": items})  # type: ignore[no-any-return]


@router.post(
    FED + "/nominations/{nomination_id}/objections",
    status_code=201,
    tags=["disclosure"],
    summary="Record an objection received during disclosure",
)
async def record_objection(
    federation: str, nomination_id: str, body: RecordObjection, caller: Caller, ctx: Ctx, request: Request
) -> Any:
    """Staff record an objection the federation received (a letter, in person, by e-mail or
    phone) about a disclosed nomination: who made it, the day received and what it says. At most
    200 per nomination. The council sees them on the nomination."""
    caller.require("nomination.forward", federation)
    app = app_of(request)
    nomination = await asyncio.to_thread(app.nomination, federation, nomination_id)
    scope_guard.require_inside(nomination.as_dict(), caller, federation, _unknown(nomination_id))
    return await execute(app, ctx, app.record_objection, federation, nomination_id, body)


@router.get(FED + "/nominations/{nomination_id}/objections", tags=["disclosure"], summary="Objections")
async def objections(federation: str, nomination_id: str, caller: Caller, request: Request) -> dict:
    """The objections recorded about a nomination, in the order received, for the council and staff."""
    caller.require("read", federation)
    app = app_of(request)
    nomination = await asyncio.to_thread(app.nomination, federation, nomination_id)
    scope_guard.require_inside(nomination.as_dict(), caller, federation, _unknown(nomination_id))
    items = await asyncio.to_thread(app.objections, federation, nomination_id)
    return jsonable({"nomination": nomination_id, "items": items})  # type: ignore[no-any-return]


def _unknown(nomination_id: str) -> NotFound:
    return NotFound(f"nomination '{nomination_id}' does not exist")
