"""Awards' HTTP API of the national union (national scope `*` only) over the nominations every
federation forwarded to it (`GET /v1/nominations/forwarded`, its inbox): its own councils and
its decisions (`tld`) granting them across federations. Stored under the national key
(domain.authorities.NATIONAL_KEY); each agenda item and grant names its federation."""

from __future__ import annotations

import asyncio
import dataclasses

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.awards.application import commands as c
from services.awards.application.subjects import Subjects
from services.awards.domain.authorities import NATIONAL_KEY
from services.awards.entrypoints.context import app_of, subjects, year_end
from shared.auth.principal import Principal
from shared.kernel.errors import Forbidden
from shared.store.eventstore import fingerprint, jsonable
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1/national", tags=["national"])
COUNCIL = "/councils/{code}"


def _national(caller: Principal, action: str) -> None:
    caller.require(action)
    if not caller.is_national:
        raise Forbidden("the national union's councils and decisions need a national-scope token")


@router.post("/councils", status_code=201, summary="Convene a national council over forwarded nominations")
async def convene_national_council(
    body: c.ConveneCouncil, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """As a federation's council (members, quorum, secret ballot), its agenda nominations any
    federations forwarded to the national union (each item names its `federation`), of the
    council's year, not yet resolved by another national council. Its result is recorded on
    each nomination as `national_council`; one it did not pass is never granted by `tld`."""
    _national(caller, "council.manage")
    app = app_of(request)
    return await execute(app, ctx, app.convene_council, NATIONAL_KEY, body)


@router.get(COUNCIL, summary="A national council")
async def get_national_council(code: str, caller: Caller, request: Request) -> JSONResponse:
    _national(caller, "read")
    council, body = await asyncio.to_thread(app_of(request).council_read, NATIONAL_KEY, code)
    return JSONResponse(jsonable(body), headers={"ETag": f'"{council.version}"'})


@router.post(COUNCIL + "/votes", status_code=201, summary="Vote in a national council")
async def cast_national_vote(
    code: str, body: c.CastVote, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    written = body.member is not None
    _national(caller, "council.manage" if written else "council.vote")
    if ctx.fingerprint:
        # as a federation's council: the stored fingerprint covers who and what, never how
        who = f"{body.nomination}\x1f{body.member or ''}".encode()
        ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, who))
    app = app_of(request)
    return await execute(app, ctx, app.cast_vote, NATIONAL_KEY, code, body, written)


@router.post(COUNCIL + "/votes:batch", status_code=201, summary="Vote on a national council's agenda at once")
async def cast_national_agenda(
    code: str, body: c.CastAgenda, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    written = body.member is not None
    _national(caller, "council.manage" if written else "council.vote")
    if ctx.fingerprint:
        who = "\x1e".join(v.nomination for v in body.votes) + f"\x1f{body.member or ''}"
        ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, who.encode()))
    app = app_of(request)
    return await execute(app, ctx, app.cast_agenda, NATIONAL_KEY, code, body, written)


@router.post(COUNCIL + ":resolve", summary="Close a national council's vote and resolve")
async def resolve_national_council(
    code: str, caller: Caller, ctx: Ctx, request: Request, body: c.ResolveCouncil | None = None
) -> JSONResponse:
    _national(caller, "council.manage")
    app = app_of(request)
    return await execute(app, ctx, app.resolve_council, NATIONAL_KEY, code, body)


@router.post("/decisions", status_code=201, summary="Issue a national decision over forwarded nominations")
async def issue_national_decision(
    body: c.IssueDecision, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Authority `tld`; every line a nomination forwarded to the national union by any
    federation, passed by its federation's council (and by the national council, if one voted
    on it), of a national award, re-checked against the rules on the signing date. Each grant is
    stored in its nomination's federation (`award-granted`), all in one transaction."""
    _national(caller, "decision.issue")
    app = app_of(request)
    keys: dict[str, list[tuple[str, str]]] = {}
    for line in body.grants:
        found = (
            await asyncio.to_thread(app.forwarded_nomination, line.nomination) if line.nomination else None
        )
        if found is not None:
            keys.setdefault(found.federation, []).append((found.subject_kind, found.subject_code))
    as_of = year_end(body.year, body.signed_on)
    by_federation: dict[str, Subjects] = {
        federation: await subjects(request, federation, wanted, as_of) for federation, wanted in keys.items()
    }
    return await execute(app, ctx, app.issue_national_decision, body, by_federation)


@router.get("/decisions/{decision_id}", summary="A national decision")
async def get_national_decision(decision_id: str, caller: Caller, request: Request) -> JSONResponse:
    """Each line names its grant; the grants are read in their federations (`grants/{id}`)."""
    _national(caller, "read")
    found = await asyncio.to_thread(app_of(request).decision, NATIONAL_KEY, decision_id)
    return JSONResponse(jsonable(found.as_dict()), headers={"ETag": f'"{found.version}"'})
