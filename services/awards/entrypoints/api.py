"""Awards' HTTP API (ENGINEERING.md section 2)."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.awards.adapters.directory import Directory
from services.awards.application import commands as c
from services.awards.application.service import AwardsApplication
from shared.catalogue import DEFAULT_AWARDS
from shared.eventstore import jsonable
from shared.web import Caller, Ctx, execute, runtime

router = APIRouter(prefix="/v1")
FED = "/federations/{federation}"


def app_of(request: Request) -> AwardsApplication:
    app = runtime(request).application
    assert isinstance(app, AwardsApplication)
    return app


def directory(request: Request) -> Directory:
    return runtime(request).extras["directory"]  # type: ignore[no-any-return]


async def read(request: Request, method: str, *args: Any) -> JSONResponse:
    aggregate = await asyncio.to_thread(getattr(app_of(request), method), *args)
    return JSONResponse(jsonable(aggregate.as_dict()), headers={"ETag": f'"{aggregate.version}"'})


@router.get(FED + "/catalogue", tags=["catalogue"], summary="Awards a federation can use")
async def catalogue(federation: str, caller: Caller) -> list[dict]:
    caller.require("read", federation)
    return [asdict(a) for a in DEFAULT_AWARDS]


@router.post(
    FED + "/decisions", status_code=201, tags=["decisions"], summary="Issue a decision granting awards"
)
async def issue_decision(
    federation: str, body: c.IssueDecision, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """One `award-granted` event per subject, all stored with the decision in one transaction."""
    caller.require("decision.issue", federation)
    subjects = await directory(request).subjects(
        federation, [(g.subject_kind, g.subject_code) for g in body.grants]
    )
    app = app_of(request)
    return await execute(app, ctx, app.issue_decision, federation, body, subjects)


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
    return await read(request, "grant", federation, grant_id)
