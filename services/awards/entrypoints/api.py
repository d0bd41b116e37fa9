"""Awards' HTTP API (ENGINEERING.md section 2): catalogue, rule sets, policy, decisions, grants.
Ratings, discipline, eligibility, nominations and councils are in `cycle_api`."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from services.awards.adapters import grant_sheet
from services.awards.adapters.directory import Directory
from services.awards.application import commands as c
from services.awards.application.base import Outside, Subjects
from services.awards.application.service import AwardsApplication
from shared.auth import Principal
from shared.errors import FieldError, Invalid, NotFound
from shared.eventstore import fingerprint, jsonable
from shared.web import Caller, Ctx, execute, runtime

router = APIRouter(prefix="/v1")
FED = "/federations/{federation}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def app_of(request: Request) -> AwardsApplication:
    app = runtime(request).application
    assert isinstance(app, AwardsApplication)
    return app


def directory(request: Request) -> Directory:
    return runtime(request).extras["directory"]  # type: ignore[no-any-return]


async def subjects(request: Request, federation: str, keys: Sequence[tuple[str, str]]) -> Subjects:
    return await directory(request).outsides(federation, list(keys))


async def read(request: Request, method: str, *args: Any, caller: Principal | None = None) -> JSONResponse:
    """`caller`: a unit-scoped user sees only what concerns its own subtree."""
    aggregate = await asyncio.to_thread(getattr(app_of(request), method), *args)
    if caller is not None and not caller.covers_unit(args[0], tuple(getattr(aggregate, "unit_path", ()))):
        raise NotFound(f"{method} '{args[1]}' does not exist")
    return JSONResponse(jsonable(aggregate.as_dict()), headers={"ETag": f'"{aggregate.version}"'})


def require_subject(caller: Principal, federation: str, found: Subjects, kind: str, code: str) -> Outside:
    """The subject, if the caller's scope covers it; otherwise it does not exist for them."""
    subject = found.get((kind, code))
    if subject is None or not caller.covers_unit(federation, tuple(subject.unit_path)):
        raise Invalid.on("subject_code", f"unknown {kind} '{code}' in federation '{federation}'")
    return subject


# -- catalogue, rule sets, policy --------------------------------------------------------------


@router.get(FED + "/catalogue", tags=["catalogue"], summary="Awards a federation can use")
async def catalogue(federation: str, caller: Caller, request: Request) -> list[dict]:
    """The defaults of DOMAIN.md section 6 and the federation's own awards, with their terms."""
    caller.require("read", federation)
    awards = await asyncio.to_thread(app_of(request).catalogue, federation)
    return [a.as_dict() for a in awards.values()]


@router.post(FED + "/catalogue", status_code=201, tags=["catalogue"], summary="Define an award")
async def define_award(
    federation: str, body: c.DefineAward, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Emits `award-defined`. A federation's own awards are decided at its own level."""
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
    One `award-granted` per subject, stored with the decision in one transaction."""
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
    return await execute(
        app, ctx, app.issue_decision, federation, body, await subjects(request, federation, keys)
    )


@router.get(FED + "/decisions/{decision_id}", tags=["decisions"], summary="A decision")
async def get_decision(federation: str, decision_id: str, caller: Caller, request: Request) -> JSONResponse:
    caller.require("read", federation)
    return await read(request, "decision", federation, decision_id)


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
    return await read(request, "grant", federation, grant_id, caller=caller)


IMPORT_BODY = {
    "content": {
        "application/json": {"schema": c.ImportGrants.model_json_schema()},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {
            "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
    }
}


@router.post(
    FED + "/grants:import",
    status_code=201,
    tags=["grants"],
    summary="Import historical and state awards (JSON or .xlsx)",
    openapi_extra={"requestBody": IMPORT_BODY},
)
async def import_grants(federation: str, caller: Caller, ctx: Ctx, request: Request) -> JSONResponse:
    """`award-granted` with source `import` per row. The .xlsx's first row names the columns:
    subject_kind, subject_code, award, year, decision_number, decision_date, authority, and
    optionally signer, occasion (regular/thematic/ad-hoc), nomination. A bad row refuses the
    whole list and is reported by row number."""
    caller.require("grant.import", federation)
    content, raw = await _import_body(request)
    ctx = dataclasses.replace(ctx, fingerprint=fingerprint("POST", request.url.path, content))
    try:
        cmd = c.ImportGrants.model_validate(raw)
    except ValidationError as exc:
        raise Invalid(
            "some rows are not valid",
            [
                FieldError(
                    ".".join(str(p) for p in e["loc"][2:]) or "grants",
                    e["msg"],
                    int(e["loc"][1]) + 1 if len(e["loc"]) > 1 and isinstance(e["loc"][1], int) else None,
                )
                for e in exc.errors()
            ],
        ) from None
    keys = [(g.subject_kind, g.subject_code) for g in cmd.grants]
    app = app_of(request)
    return await execute(
        app, ctx, app.import_grants, federation, cmd, await subjects(request, federation, keys)
    )


@router.get(
    FED + "/grants:template",
    tags=["grants"],
    summary="The .xlsx template for grants:import",
    responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def import_template(federation: str, caller: Caller) -> Response:
    caller.require("read", federation)
    return Response(
        grant_sheet.template(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="khen-thuong-lich-su.xlsx"'},
    )


async def _import_body(request: Request) -> tuple[bytes, Any]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Invalid.on("file", "send the .xlsx sheet as the form field 'file'")
        content = await upload.read()
        return content, {"grants": grant_sheet.read_rows(content)}
    content = await request.body()
    if kind == XLSX:
        return content, {"grants": grant_sheet.read_rows(content)}
    try:
        data = json.loads(content)
    except ValueError:
        raise Invalid.on("body", "the body is not valid JSON") from None
    return content, data
