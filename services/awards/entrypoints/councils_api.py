"""Awards' HTTP API of councils: convened with members, quorum and agenda, votes (secret ballots
sealed, see the README's "Councils and secret ballots"), resolution."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.awards.application import commands as c
from services.awards.application.lookups import unknown_council
from services.awards.entrypoints.context import FED, app_of, lists_of
from services.awards.entrypoints.nominations_api import After, Limit, Year
from shared.store.eventstore import fingerprint, jsonable
from shared.web import scope_guard
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")


# -- councils ----------------------------------------------------------------------------------


@router.post(FED + "/councils", status_code=201, tags=["councils"], summary="Convene a council")
async def convene_council(
    federation: str, body: c.ConveneCouncil, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Members, quorum and agenda. Recusals (a member's own or their unit's nomination) are
    worked out and recorded here. A secret-ballot council's key is stored with it wrapped under
    the services' key-encryption key (never in clear), so any replica resolves it; the answer
    also carries `ballot_secret`, the key itself, once: the teller's copy, needed only if that
    key-encryption key is lost (whoever holds it and the raw event table could pair voters and
    choices)."""
    caller.require("council.manage", federation)
    app = app_of(request)
    return await execute(app, ctx, app.convene_council, federation, body)


@router.get(FED + "/councils", tags=["councils"], summary="Councils, page by page")
async def list_councils(
    federation: str,
    caller: Caller,
    request: Request,
    year: Year = None,
    member: Annotated[str | None, Query(max_length=200, description="a member's user (token `sub`)")] = None,
    resolved: bool | None = None,
    after: After = 0,
    limit: Limit = 100,
) -> dict:
    """In the order they were convened: code, name, year, meeting day, secret ballot, members,
    the agenda's nomination ids and whether the council has resolved. A unit-scoped token sees
    only councils whose members all sit in its subtree, as with one council. Projected from the
    log, so a council appears a moment after it is convened."""
    caller.require("read", federation)
    page = await lists_of(request).councils(federation, year, member, resolved, after, limit)
    if caller.unit_path:
        page["items"] = [i for i in page["items"] if not scope_guard.outside(i, caller, federation)]
    return jsonable(page)  # type: ignore[no-any-return]


@router.get(FED + "/councils/{code}", tags=["councils"], summary="A council")
async def get_council(federation: str, code: str, caller: Caller, request: Request) -> JSONResponse:
    """Members, agenda, recusals, who voted on each nomination (never how, under secret
    ballot), and `results` once resolved. An unresolved secret-ballot council also says
    `ballot_key_held`: false when this service cannot open its stored key (convened before keys
    were stored, or wrapped under another key-encryption key), so resolving needs the
    `ballot_secret` handed out then."""
    caller.require("read", federation)
    app = app_of(request)
    council, body = await asyncio.to_thread(app.council_read, federation, code)
    if council.secret_ballot and council.ballot_key is not None and council.results is None:
        # Whether resolving needs the teller's copy of the key.
        body["ballot_key_held"] = app.ballot_key_held(council)
    # the federation's: a unit-scoped token reads one only if all its members sit in its subtree
    scope_guard.require_inside(body, caller, federation, unknown_council(federation, code))
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


@router.post(
    FED + "/councils/{code}/votes:batch",
    status_code=201,
    tags=["councils"],
    summary="Vote on many nominations of the agenda at once",
)
async def cast_agenda(
    federation: str, code: str, body: c.CastAgenda, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """A member's votes on the agenda (all of it or part), one row per nomination, stored in one
    transaction: all or none. Each row that cannot be recorded (not on the agenda, recused,
    already voted, listed twice) is named as `votes.<i>.nomination` and nothing is stored. With
    `member`, staff record an absent member's written votes. The answer names the nominations
    voted, never the choices; under secret ballot only the fact of voting is linked to the member."""
    written = body.member is not None
    caller.require("council.manage" if written else "council.vote", federation)
    if ctx.fingerprint:
        # As for one vote: the stored fingerprint covers who and on what, never how.
        who = "\x1e".join(v.nomination for v in body.votes) + f"\x1f{body.member or ''}"
        ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, who.encode()))
    app = app_of(request)
    return await execute(app, ctx, app.cast_agenda, federation, code, body, written)


@router.post(
    FED + "/councils/{code}/recusals",
    status_code=201,
    tags=["councils"],
    summary="Step aside from a nomination",
)
async def recuse(
    federation: str, code: str, body: c.Recuse, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """A council member steps aside from a nomination on the agenda before voting on it (a
    conflict of interest the automatic recusals of a member's own or their unit's nomination do
    not catch). From then on the member is not counted among that nomination's voters; the
    council's `recusals` lists it. Refused once the member has voted or the council resolved."""
    caller.require("council.vote", federation)
    app = app_of(request)
    return await execute(app, ctx, app.recuse, federation, code, body)


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
    ballot's sealed choices are opened with the council's stored key, unwrapped with the
    key-encryption key, or with the `ballot_secret` handed out at convening if one is sent
    (409 if neither is there, naming the key-encryption key's id when it is another)."""
    caller.require("council.manage", federation)
    app = app_of(request)
    return await execute(app, ctx, app.resolve_council, federation, code, body)
