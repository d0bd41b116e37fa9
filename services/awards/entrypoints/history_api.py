"""Awards' HTTP API of a subject's history: yearly ratings and discipline (one, or a list as JSON
or .xlsx), a subject's record as the rules see it, and the dry-run eligibility verdict."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.awards.adapters import sheets
from services.awards.application import commands as c
from services.awards.domain.rules import judged_on
from services.awards.entrypoints.context import FED, app_of, placed, require_subject, subjects, year_end
from services.awards.entrypoints.lists import list_body, openapi_body, sheet_errors
from shared.kernel.commands import Code, Date
from shared.ops.gc_pause import paused_throughout
from shared.store.eventstore import fingerprint, jsonable
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

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
@paused_throughout  # thousands of rows made and freed: nothing to collect
async def record_ratings(federation: str, caller: Caller, ctx: Ctx, request: Request) -> JSONResponse:
    """All stored in one transaction, or none: a bad row is reported by its number. The .xlsx
    names its columns in the first row (`ratings:template`)."""
    content, body, listed = await list_body(request, c.RecordRatings, "ratings", sheets.RATINGS)
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, content))
    with sheet_errors(listed):
        return await _ratings(federation, body, caller, ctx, request, False)


async def _ratings(
    federation: str, body: c.RecordRatings, caller: Caller, ctx: Ctx, request: Request, single: bool
) -> JSONResponse:
    caller.require("history.record", federation)
    keys = [(r.subject_kind, r.subject_code) for r in body.ratings]
    found = await subjects(request, federation, keys, members=False)  # a rating reads no members
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
@paused_throughout  # thousands of rows made and freed: nothing to collect
async def record_disciplines(federation: str, caller: Caller, ctx: Ctx, request: Request) -> JSONResponse:
    """All stored in one transaction, or none: a bad row is reported by its number."""
    content, body, listed = await list_body(request, c.RecordDisciplines, "disciplines", sheets.DISCIPLINES)
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, content))
    with sheet_errors(listed):
        return await _disciplines(federation, body, caller, ctx, request, False)


async def _disciplines(
    federation: str, body: c.RecordDisciplines, caller: Caller, ctx: Ctx, request: Request, single: bool
) -> JSONResponse:
    caller.require("history.record", federation)
    keys = [(r.subject_kind, r.subject_code) for r in body.disciplines]
    found = await subjects(request, federation, keys, members=False)  # a discipline reads no members
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
    """Ratings, discipline and grants (revoked and cancelled ones marked) as the rules see them:
    with those recorded under the federations merged into this one and, for a unit, under its
    earlier codes, each of those saying where (`recorded_under`)."""
    caller.require("read", federation)
    found = await subjects(request, federation, [(subject_kind, subject_code)])
    subject = require_subject(caller, federation, found, subject_kind, subject_code)
    body = await asyncio.to_thread(app_of(request).record, federation, subject_kind, subject_code, subject)
    return jsonable({**body, **placed(subject)})  # type: ignore[no-any-return]


ON_HELP = "the proposal date, whose rules judge; by default the year's last day, or today in the year"

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
    on: Annotated[Date | None, Query(description=ON_HELP)] = None,
) -> dict:
    """Every clause of the rule set in force on `on`, passed or failed, with the facts it used
    (which years, which ratings, which awards held and which not counted, and why)."""
    caller.require("read", federation)
    app = app_of(request)
    on = on or judged_on(year, app.today())
    found = await subjects(request, federation, [(subject_kind, subject_code)], year_end(year, on))
    subject = require_subject(caller, federation, found, subject_kind, subject_code)
    await asyncio.to_thread(app.award, federation, award)
    verdict = await asyncio.to_thread(
        app.verdict, federation, subject_kind, subject_code, award, year, on, subject
    )
    subject_of = {"subject_kind": subject_kind, "subject_code": subject_code, **placed(subject)}
    return {**subject_of, **verdict.as_dict()}
