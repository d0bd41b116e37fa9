"""Awards' HTTP API of councils: convened with members, quorum and agenda, votes (secret ballots
sealed, see the README's "Councils and secret ballots"), resolution."""

from __future__ import annotations

import asyncio
import dataclasses

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.awards.application import commands as c
from services.awards.application.lookups import unknown_council
from services.awards.entrypoints.context import FED, app_of
from shared import screen
from shared.eventstore import fingerprint, jsonable
from shared.web import Caller, Ctx, execute

router = APIRouter(prefix="/v1")


# -- councils ----------------------------------------------------------------------------------


@router.post(FED + "/councils", status_code=201, tags=["councils"], summary="Convene a council")
async def convene_council(
    federation: str, body: c.ConveneCouncil, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Members, quorum and agenda. Recusals (a member's own or their unit's nomination) are
    worked out and recorded here. A secret-ballot council's answer carries `ballot_secret`, the
    key its sealed ballots open with, once: the service never stores it (keep it to resolve
    after a restart; whoever holds it and the raw event table could pair voters and choices)."""
    caller.require("council.manage", federation)
    app = app_of(request)
    return await execute(app, ctx, app.convene_council, federation, body)


@router.get(FED + "/councils/{code}", tags=["councils"], summary="A council")
async def get_council(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    council = await asyncio.to_thread(app_of(request).council, federation, code)
    body = council.as_dict()
    # the federation's: a unit-scoped token reads one only if all its members sit in its subtree
    screen.require_inside(body, caller, federation, unknown_council(federation, code))
    return JSONResponse(jsonable(body), headers={"ETag": f'"{council.version}"'})


@router.post(FED + "/councils/{code}/votes", status_code=201, tags=["councils"], summary="Vote")
async def cast_vote(
    federation: str, code: str, body: c.CastVote, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """A council member votes once per nomination. With `member`, staff record an absent
    member's written vote. Under secret ballot only the fact of voting is linked to the member."""
    written = body.member is not None
    caller.require("council.manage" if written else "council.vote", federation)
    if ctx.fingerprint:
        # The stored fingerprint must not reveal a secret choice: it covers who and what, not how.
        who = f"{body.nomination}\x1f{body.member or ''}".encode()
        ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, who))
    app = app_of(request)
    return await execute(app, ctx, app.cast_vote, federation, code, body, written)


@router.post(FED + "/councils/{code}:resolve", tags=["councils"], summary="Close the vote and resolve")
async def resolve_council(
    federation: str,
    code: str,
    caller: Caller,
    ctx: Ctx,
    request: Request,
    body: c.ResolveCouncil | None = None,
) -> JSONResponse:
    """Emits `council-resolved` with each nomination's tally, threshold and result. A secret
    ballot's sealed choices are opened with the council's key, held in memory since it was
    convened, or, after a restart, the `ballot_secret` handed out then."""
    caller.require("council.manage", federation)
    app = app_of(request)
    return await execute(app, ctx, app.resolve_council, federation, code, body)
