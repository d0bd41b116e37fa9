"""The year-end cycle over HTTP: ratings and discipline, eligibility, nominations, councils."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.awards.adapters import sheets
from services.awards.adapters.index import Index
from services.awards.application import commands as c
from services.awards.application.councils import unknown_council
from services.awards.entrypoints.api import FED, app_of, placed, read, require_subject, subjects, year_end
from services.awards.entrypoints.lists import list_body, openapi_body
from shared import screen
from shared.commands import Code, Date
from shared.errors import NotFound
from shared.eventstore import fingerprint, jsonable
from shared.web import SEQUENCE_MAX, Caller, Ctx, execute, runtime

router = APIRouter(prefix="/v1")


# -- ratings and discipline --------------------------------------------------------------------


@router.post(FED + "/ratings", status_code=201, tags=["history"], summary="Record a yearly rating")
async def record_rating(
    federation: str, body: c.RecordRating, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `rating-recorded`; a later rating for the same year corrects the earlier one."""
    return await _ratings(federation, c.RecordRatings(ratings=[body]), caller, ctx, request, True)


@router.post(
    FED + "/ratings:batch",
    status_code=201,
    tags=["history"],
    summary="Record a list of ratings (JSON or .xlsx)",
    openapi_extra=openapi_body(c.RecordRatings),
)
async def record_ratings(federation: str, caller: Caller, ctx: Ctx, request: Request) -> JSONResponse:
    """All stored in one transaction, or none: a bad row is reported by its number. The .xlsx
    names its columns in the first row (`ratings:template`)."""
    content, body = await list_body(request, c.RecordRatings, "ratings", sheets.RATINGS)
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, content))
    return await _ratings(federation, body, caller, ctx, request, False)


async def _ratings(
    federation: str, body: c.RecordRatings, caller: Caller, ctx: Ctx, request: Request, single: bool
) -> JSONResponse:
    caller.require("history.record", federation)
    found = await subjects(request, federation, [(r.subject_kind, r.subject_code) for r in body.ratings])
    app = app_of(request)
    return await execute(app, ctx, app.record_ratings, federation, body, found, single)


@router.post(FED + "/disciplines", status_code=201, tags=["history"], summary="Record a discipline")
async def record_discipline(
    federation: str, body: c.RecordDiscipline, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `discipline-recorded`. Level `review` puts the subject on hold until a later record;
    `cleared` ends the hold when the case closes without sanction."""
    cmd = c.RecordDisciplines(disciplines=[body])
    return await _disciplines(federation, cmd, caller, ctx, request, True)


@router.post(
    FED + "/disciplines:batch",
    status_code=201,
    tags=["history"],
    summary="Record a list of disciplines (JSON or .xlsx)",
    openapi_extra=openapi_body(c.RecordDisciplines),
)
async def record_disciplines(federation: str, caller: Caller, ctx: Ctx, request: Request) -> JSONResponse:
    """All stored in one transaction, or none: a bad row is reported by its number."""
    content, body = await list_body(request, c.RecordDisciplines, "disciplines", sheets.DISCIPLINES)
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, content))
    return await _disciplines(federation, body, caller, ctx, request, False)


async def _disciplines(
    federation: str, body: c.RecordDisciplines, caller: Caller, ctx: Ctx, request: Request, single: bool
) -> JSONResponse:
    caller.require("history.record", federation)
    keys = [(r.subject_kind, r.subject_code) for r in body.disciplines]
    found = await subjects(request, federation, keys)
    app = app_of(request)
    return await execute(app, ctx, app.record_disciplines, federation, body, found, single)


@router.get(FED + "/records/{subject_kind}/{subject_code}", tags=["history"], summary="A subject's record")
async def record(
    federation: str,
    subject_kind: Literal["member", "unit"],
    subject_code: str,
    caller: Caller,
    request: Request,
) -> dict:
    """Ratings, discipline and grants (revoked ones marked) as the rules see them."""
    caller.require("read", federation)
    found = await subjects(request, federation, [(subject_kind, subject_code)])
    subject = require_subject(caller, federation, found, subject_kind, subject_code)
    history = await asyncio.to_thread(app_of(request).history, federation, subject_kind, subject_code)
    if history is None:
        body = {"subject_kind": subject_kind, "subject_code": subject_code, "ratings": {}, "grants": []}
    else:
        body = history.as_dict()
    return jsonable({**body, **placed(subject)})  # type: ignore[no-any-return]


# -- eligibility -------------------------------------------------------------------------------


@router.get(FED + "/eligibility", tags=["eligibility"], summary="Dry-run verdict for a subject and award")
async def eligibility(
    federation: str,
    caller: Caller,
    request: Request,
    subject_kind: Literal["member", "unit"],
    subject_code: Code,
    award: Code,
    year: Annotated[int, Query(ge=1945, le=2100)],
    on: Annotated[Date | None, Query(description="the proposal date; defaults to today")] = None,
) -> dict:
    """Every clause of the rule set in force on `on`, passed or failed, with the facts it used
    (which years, which ratings, which awards held and which not counted, and why)."""
    caller.require("read", federation)
    app = app_of(request)
    on = on or app.today()
    found = await subjects(request, federation, [(subject_kind, subject_code)], year_end(year, on))
    subject = require_subject(caller, federation, found, subject_kind, subject_code)
    await asyncio.to_thread(app.award, federation, award)
    verdict = await asyncio.to_thread(
        app.verdict, federation, subject_kind, subject_code, award, year, on, subject
    )
    subject_of = {"subject_kind": subject_kind, "subject_code": subject_code, **placed(subject)}
    return {**subject_of, **verdict.as_dict()}


# -- nominations -------------------------------------------------------------------------------


@router.post(FED + "/nominations", status_code=201, tags=["nominations"], summary="Submit a nomination")
async def submit_nomination(
    federation: str, body: c.SubmitNomination, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `nomination-submitted` with the verdict of the rules in force today attached."""
    caller.require("nomination.submit", federation)
    app = app_of(request)
    as_of = year_end(body.year, app.today())
    found = await subjects(request, federation, [(body.subject_kind, body.subject_code)], as_of)
    return await execute(app, ctx, app.submit_nomination, federation, body, found)


Year = Annotated[int | None, Query(ge=1945, le=2100)]
After = Annotated[
    int, Query(ge=0, le=SEQUENCE_MAX, description="the cursor: `next_after` of the previous page")
]
Limit = Annotated[int, Query(ge=1, le=1000)]


@router.get(FED + "/nominations", tags=["nominations"], summary="Nominations, page by page")
async def list_nominations(
    federation: str,
    caller: Caller,
    request: Request,
    year: Year = None,
    award: str | None = None,
    state: Literal["submitted", "withdrawn"] | None = None,
    after: After = 0,
    limit: Limit = 100,
) -> dict:
    """In the order they were submitted; `passed` is the council's result once resolved.
    Projected from the log, so a nomination appears a moment after it is stored."""
    caller.require("read", federation)
    filters = {"year": year, "award": award, "state": state}
    return await index(request).nominations(federation, filters, after, limit, caller.unit_path)


@router.get(FED + "/grants", tags=["grants"], summary="Grants, page by page")
async def list_grants(
    federation: str,
    caller: Caller,
    request: Request,
    year: Year = None,
    award: str | None = None,
    subject_kind: Literal["member", "unit"] | None = None,
    subject_code: str | None = None,
    after: After = 0,
    limit: Limit = 100,
) -> dict:
    """Grants of decisions and imports, in the order they were stored; revoked ones carry
    `revoked_on`."""
    caller.require("read", federation)
    filters = {"year": year, "award": award, "subject_kind": subject_kind, "subject_code": subject_code}
    page = await index(request).grants(federation, filters, after, limit, caller.unit_path)
    return jsonable(page)  # type: ignore[no-any-return]


def index(request: Request) -> Index:
    return runtime(request).extras["index"]  # type: ignore[no-any-return]


@router.get(FED + "/nominations/{nomination_id}", tags=["nominations"], summary="A nomination")
async def get_nomination(
    federation: str, nomination_id: str, caller: Caller, request: Request
) -> JSONResponse:
    caller.require("read", federation)
    missing = NotFound(f"nomination '{nomination_id}' does not exist")  # as Nominating.nomination says
    return await read(request, "nomination", federation, nomination_id, caller, missing)


@router.post(FED + "/nominations/{nomination_id}:withdraw", tags=["nominations"], summary="Withdraw")
async def withdraw_nomination(
    federation: str, nomination_id: str, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("nomination.submit", federation)
    app = app_of(request)
    return await execute(app, ctx, app.withdraw_nomination, federation, nomination_id)


@router.post(FED + "/nominations/{nomination_id}:forward", tags=["nominations"], summary="Forward upward")
async def forward_nomination(
    federation: str, nomination_id: str, body: c.ForwardNomination, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `nomination-forwarded`: a passed nomination for a national or state award goes up,
    keeping its id, so the higher level's decision and grant link back to it."""
    caller.require("nomination.forward", federation)
    app = app_of(request)
    return await execute(app, ctx, app.forward_nomination, federation, nomination_id, body)


@router.post(
    FED + "/nominations/{nomination_id}:disclose", tags=["nominations"], summary="Start public disclosure"
)
async def disclose_nomination(
    federation: str,
    nomination_id: str,
    body: c.DiscloseNomination,
    caller: Caller,
    ctx: Ctx,
    request: Request,
) -> JSONResponse:
    """The decision may be signed only after the disclosure's last working day."""
    caller.require("nomination.forward", federation)
    app = app_of(request)
    return await execute(app, ctx, app.disclose_nomination, federation, nomination_id, body)


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
