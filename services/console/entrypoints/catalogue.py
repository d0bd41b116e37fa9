"""The federation's catalogue of awards, read only: each award with its level, who grants it and
its dates (in force from, last day once retired), as of a chosen day or in its latest version."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.application.formatting import parse_date_vn
from services.console.entrypoints.common import federation_page, render, services_of
from shared.kernel.words import AUTHORITIES, LEVELS

router = APIRouter()
# who grants the defaults, beside the authorities of shared.kernel.words
GRANTED_BY = {**AUTHORITIES, "unit": "Đơn vị cơ sở", "federation": "LĐLĐ tỉnh", "national": "Tổng Liên đoàn"}


def granted_by(authority: str) -> str:
    return "LĐLĐ tỉnh" if authority.startswith("ldld:") else GRANTED_BY.get(authority, authority)


@router.get("/f/{federation}/catalogue")
async def catalogue(
    request: Request, federation: str, on: Annotated[str | None, Query(max_length=20)] = None
) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    day = parse_date_vn(on)
    params = {"on": day.isoformat()} if day else {}
    path = f"/v1/federations/{federation}/catalogue"
    awards = await services_of(request).awards.get(path, session.token, **params)
    return render(
        request,
        "catalogue.html",
        federation=federation,
        active="home",
        awards=awards,
        on=on or "",
        day=day,
        bad_day=bool(on and on.strip()) and day is None,
        LEVELS=LEVELS,
        granted_by=granted_by,
    )
