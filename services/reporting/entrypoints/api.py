"""Reporting's HTTP API (ENGINEERING.md section 2)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from services.reporting.application.reports import Reports
from shared.web import Caller, runtime

router = APIRouter(prefix="/v1")
FED = "/federations/{federation}"


def reports(request: Request) -> Reports:
    return runtime(request).extras["reports"]  # type: ignore[no-any-return]


@router.get(FED + "/reports/registrations", tags=["reports"], summary="Pledges by award and subject kind")
async def registrations(
    federation: str, caller: Caller, request: Request, year: Annotated[int, Query(ge=1945, le=2100)]
) -> dict[str, Any]:
    caller.require("read", federation)
    return await reports(request).registrations(federation, year)


@router.get(
    FED + "/history/{subject_kind}/{code}",
    tags=["history"],
    summary="Every pledge, grant and revocation of a member or unit",
)
async def history(
    federation: str,
    subject_kind: Literal["member", "unit"],
    code: str,
    caller: Caller,
    request: Request,
    as_of: Annotated[date | None, Query(description="as it stood on this date")] = None,
) -> dict[str, Any]:
    caller.require("read", federation)
    return await reports(request).history(federation, subject_kind, code, as_of)
