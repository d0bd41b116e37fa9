"""Awards' HTTP API (the public contract of docs/architecture.md): catalogue, rule sets, policy,
decisions, grants. Ratings, discipline and eligibility are in `history_api`, nominations and the
lists in `nominations_api`, councils in `councils_api`."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from services.awards.adapters import sheet_template, sheets
from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.domain.authorities import Issuer
from services.awards.domain.catalogue import Award
from services.awards.entrypoints import amendments_api
from services.awards.entrypoints.context import FED, app_of, lists_of, read, subjects, year_end
from services.awards.entrypoints.lists import XLSX, list_body, openapi_body, sheet_errors
from services.awards.entrypoints.nominations_api import After, Limit, Year
from shared.kernel.commands import Date
from shared.kernel.errors import NotFound
from shared.ops.gc_pause import paused_throughout
from shared.store.eventstore import fingerprint, jsonable
from shared.web import scope_guard
from shared.web.app import Ctx, execute
from shared.web.caller import Caller

router = APIRouter(prefix="/v1")


# -- catalogue, rule sets, policy --------------------------------------------------------------


@router.get(FED + "/catalogue", tags=["catalogue"], summary="Awards a federation can use")
async def catalogue(
    federation: str,
    caller: Caller,
    request: Request,
    on: Annotated[Date | None, Query(description="only the awards in force that day, as they were")] = None,
) -> list[dict]:
    """The defaults of docs/domain.md section 6 and the federation's own awards, with their terms
    and dates (`effective_from`, `effective_until` once retired): each in its latest version, the
    retired too, or with `on` those in force that day as they were."""
    caller.require("read", federation)
    awards = await asyncio.to_thread(app_of(request).catalogue, federation, on)
    return [a.as_dict() for a in awards.values()]


@router.post(FED + "/catalogue", status_code=201, tags=["catalogue"], summary="Define an award")
async def define_award(
    federation: str, body: c.DefineAward, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `award-defined`. A federation's own awards are decided at its own level; one above
    it (national, ministry, state: `authority` names who grants it) is recorded with grants:import."""
    caller.require("catalogue.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.define_award, federation, body)


@router.get(FED + "/rules", tags=["catalogue"], summary="Rule sets, defaults and the federation's own")
async def rules(federation: str, caller: Caller, request: Request, award: str | None = None) -> list[dict]:
    caller.require("read", federation)
    found = await asyncio.to_thread(app_of(request).rule_sets, federation)
    return [r for r in found if award is None or r["award"] == award]


@router.post(FED + "/rules", status_code=201, tags=["catalogue"], summary="Publish a rule set")
async def publish_rule_set(
    federation: str, body: c.PublishRuleSet, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `rule-set-published`. From `effective_from` on, it decides the award's verdicts;
    proposals dated before keep the rule set that was in force then."""
    caller.require("catalogue.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.publish_rule_set, federation, body)


@router.get(FED + "/policy", tags=["catalogue"], summary="The federation's award policy")
async def policy(federation: str, caller: Caller, request: Request) -> dict:
    caller.require("read", federation)
    return jsonable(await asyncio.to_thread(app_of(request).policy, federation))  # type: ignore[no-any-return]


@router.post(FED + "/policy", tags=["catalogue"], summary="Change the federation's award policy")
async def set_policy(
    federation: str, body: c.SetPolicy, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Pledges required, ratio caps (e.g. `{"cstd-co-so": 0.15}` of the unit's `ldtt`), holidays
    and the number of working days of public disclosure."""
    caller.require("policy.write", federation)
    app = app_of(request)
    return await execute(app, ctx, app.set_policy, federation, body)


# -- decisions and grants ----------------------------------------------------------------------


@router.post(
    FED + "/decisions", status_code=201, tags=["decisions"], summary="Issue a decision granting awards"
)
async def issue_decision(
    federation: str, body: c.IssueDecision, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Grants passed nominations (re-checked against the rules on the signing date, and after
    public disclosure where the award needs it) or direct awards where the catalogue allows.
    One `award-granted` per subject, stored with the decision in one transaction. `authority`:
    `unit:<code>` (an approver whose scope covers the unit: the catalogue's unit titles, to the
    unit's subtree), `ldld:<federation>` (federation staff: its own awards and its units'
    titles) or `tld` (national staff: national awards on forwarded nominations); each line's
    award must be one its issuer grants (README, "Decisions at every level")."""
    caller.require("decision.issue", federation)
    app = app_of(request)
    keys: list[tuple[str, str]] = []
    for line in body.grants:
        if line.nomination is not None:
            with_key = await asyncio.to_thread(app.find_nomination_key, federation, line.nomination)
            if with_key is not None:
                keys.append(with_key)
        elif line.subject_kind and line.subject_code:
            keys.append((line.subject_kind, line.subject_code))
    issuer = Issuer.of(body.authority or (f"unit:{caller.unit}" if caller.unit else "tld"))
    if issuer.kind == "unit" and issuer.code:
        keys.append(("unit", issuer.code))  # the issuing unit: where its subtree is
    found = await subjects(request, federation, keys, year_end(body.year, body.signed_on))
    return await execute(app, ctx, app.issue_decision, federation, body, found)


@router.get(FED + "/decisions", tags=["decisions"], summary="Decisions, page by page")
async def list_decisions(
    federation: str, caller: Caller, request: Request, year: Year = None, after: After = 0, limit: Limit = 100
) -> dict:
    """Decisions granting awards in the federation, in the order they were issued: id, number,
    signing day, signer, year, title, authority, and how many grants (`grants`) and of them
    revoked (`revoked`). A unit-scoped token sees only decisions with a grant in its subtree,
    counting only those. Projected from the log, so a decision appears a moment after it is
    issued; its grants are `grants?decision=<id>`."""
    caller.require("read", federation)
    page = await lists_of(request).decisions(federation, year, after, limit, caller.unit_path)
    return jsonable(page)  # type: ignore[no-any-return]


@router.get(FED + "/decisions/{decision_id}", tags=["decisions"], summary="A decision")
async def get_decision(federation: str, decision_id: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    app = app_of(request)
    body, version = await asyncio.to_thread(app.decision_seen_by, federation, decision_id, caller.scope)
    return JSONResponse(jsonable(body), headers={"ETag": f'"{version}"'})


@router.post(FED + "/grants/{grant_id}:revoke", tags=["grants"], summary="Revoke a grant")
async def revoke_grant(
    federation: str, grant_id: str, body: c.RevokeGrant, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `award-revoked`; every later eligibility check treats the award as never granted."""
    caller.require("grant.revoke", federation)
    app = app_of(request)
    return await execute(app, ctx, app.revoke_grant, federation, grant_id, body)


@router.get(FED + "/grants/{grant_id}", tags=["grants"], summary="A grant")
async def get_grant(federation: str, grant_id: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    missing = NotFound(f"grant '{grant_id}' does not exist")  # as decisions.grant says it
    return await read(app_of(request).grant, federation, grant_id, caller, missing)


@router.post(
    FED + "/grants:import",
    status_code=201,
    tags=["grants"],
    summary="Import historical and state awards (JSON or .xlsx)",
    openapi_extra=openapi_body(c.ImportGrants),
)
@paused_throughout  # thousands of rows made and freed: nothing to collect
async def import_grants(federation: str, caller: Caller, ctx: Ctx, request: Request) -> JSONResponse:
    """`award-granted` with source `import` per row. The .xlsx's first row names the columns
    (`grants:template`, Vietnamese headings; the English field names of the first template still
    read): subject kind (Cá nhân/Tập thể or member/unit), subject code, award (its name or code),
    year, decision number, decision date (dd/mm/yyyy, a date cell, or ISO), authority, and
    optionally signer, occasion, nomination. A bad row refuses the whole list; from an .xlsx it
    is named by its sheet row and column heading, in Vietnamese."""
    caller.require("grant.import", federation)
    app = app_of(request)
    names = sheets.award_names((a.code, a.name) for a in (await _catalogue(app, federation)))
    content, cmd, listed = await list_body(request, c.ImportGrants, "grants", sheets.GRANTS, names)
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, content))
    keys = [(g.subject_kind, g.subject_code) for g in cmd.grants]
    with sheet_errors(listed):
        found = await subjects(request, federation, keys, members=False)  # an import reads no members
        return await execute(app, ctx, app.import_grants, federation, cmd, found)


async def _catalogue(app: AwardsApplication, federation: str) -> list[Award]:
    return list((await asyncio.to_thread(app.catalogue, federation)).values())


TEMPLATES = {
    "grants": sheets.GRANTS,
    "ratings": sheets.RATINGS,
    "disciplines": sheets.DISCIPLINES,
    "nominations": sheets.NOMINATIONS,
}


@router.get(
    FED + "/{resource}:template",
    tags=["grants"],
    summary="The .xlsx template of grants:import, ratings:batch, disciplines:batch or nominations:batch",
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def list_template(
    federation: str,
    resource: Literal["grants", "ratings", "disciplines", "nominations"],
    caller: Caller,
    request: Request,
) -> Response:
    """Vietnamese headings, an example row, dd/mm/yyyy date columns, drop-down lists (subject
    kinds; the federation's awards by name and code; ratings, discipline levels, occasions) and
    a sheet of instructions."""
    caller.require("read", federation)
    scope_guard.vouch(request.scope, None, caller, federation)  # headings and catalogue: no records
    awards = [(a.code, a.name) for a in await _catalogue(app_of(request), federation)]
    return Response(
        await asyncio.to_thread(sheet_template.template, TEMPLATES[resource], awards),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{resource}.xlsx"'},
    )


router.include_router(amendments_api.router)  # decisions/{id}:amend and :cancel
