"""Awards' HTTP API: a list of nominations at once (`nominations:batch`, JSON or .xlsx)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.awards.adapters import sheets
from services.awards.application import commands as c
from services.awards.application.subjects import Subjects
from services.awards.entrypoints.context import FED, app_of, subjects, year_end
from services.awards.entrypoints.lists import list_body, openapi_body, sheet_errors
from shared.ops.gc_pause import paused_throughout
from shared.store.eventstore import fingerprint
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")


@router.post(
    FED + "/nominations:batch",
    status_code=201,
    tags=["nominations"],
    summary="Submit a list of nominations (JSON or .xlsx)",
    openapi_extra=openapi_body(c.SubmitNominations),
)
@paused_throughout  # thousands of rows made and freed: nothing to collect
async def submit_nominations(
    federation: str,
    caller: Caller,
    ctx: Ctx,
    request: Request,
    mode: Annotated[
        Literal["all-or-nothing", "keep-good-rows"],
        Query(description="refuse the whole list if one row is refused, or store the good rows"),
    ] = "all-or-nothing",
) -> JSONResponse:
    """Up to 10,000 nominations, each as `POST …/nominations` takes it (`{"nominations": [...]}`)
    or the .xlsx template (`nominations:template`), each with the verdict of the rules in force,
    stored in one transaction. The answer reports every row; a refused row names its row, field
    and (from an .xlsx) column. A row that is not well-formed refuses the list in either mode.
    Send an `Idempotency-Key`: the same list again has no second effect."""
    caller.require("nomination.submit", federation)
    app = app_of(request)
    catalogue = await asyncio.to_thread(app.catalogue, federation)
    names = sheets.award_names((a.code, a.name) for a in catalogue.values())
    content, cmd, listed = await list_body(
        request, c.SubmitNominations, "nominations", sheets.NOMINATIONS, names
    )
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path + "?" + mode, content))
    today = app.today()
    members = await asyncio.to_thread(app.nominations_read_members, federation, cmd)

    async def outside() -> dict[int, Subjects]:
        by_year: dict[int, Subjects] = {}
        for year in sorted({n.year for n in cmd.nominations}):
            keys = [(n.subject_kind, n.subject_code) for n in cmd.nominations if n.year == year]
            by_year[year] = await subjects(request, federation, keys, year_end(year, today), members)
        return by_year

    # Awards' own reads of the list and registration's facts of its subjects, at once.
    staged, by_year = await asyncio.gather(
        asyncio.to_thread(app.stage_nominations, federation, cmd), outside()
    )
    with sheet_errors(listed):
        answer = await execute(
            app, ctx, app.submit_nominations, federation, cmd, by_year, mode, staged, members
        )
    return answer if listed is None else _as_sheet(answer, listed)


def _as_sheet(answer: JSONResponse, listed: sheets.Listed) -> JSONResponse:
    """The answer's rows numbered as the sheet's, refused cells named by their headings."""
    body = json.loads(bytes(answer.body))
    for result in body["results"]:
        for error in result.get("errors", []):
            error["column"] = listed.sheet.heading(error["field"])
            error["row"] = listed.row_of(error["row"])
        result["row"] = listed.row_of(result["row"])
    headers = {k: v for k, v in answer.headers.items() if k.lower() in ("etag", "idempotent-replayed")}
    return JSONResponse(body, status_code=answer.status_code, headers=headers)
