"""National staff's pages: the national roll-up with each federation's figures, and the
nominations forwarded upward from every federation. Anyone else is told they do not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.application import national
from services.console.application.list_columns import FORWARDED
from services.console.application.list_sorting import list_query, sorted_rows, table_view
from services.console.entrypoints.common import NotFoundPage, render, services_of, signed_in
from shared.kernel import clock
from shared.kernel.catalogue import DEFAULT_AWARDS

router = APIRouter()
Year = Annotated[int | None, Query(ge=1945, le=2100)]
Text = Annotated[str | None, Query(max_length=200)]
LEVELS = {"national": "Tổng Liên đoàn", "state": "Nhà nước"}


def _national_token(request: Request) -> str:
    session = signed_in(request)
    if session.principal is None or not session.principal.is_national or session.token is None:
        raise NotFoundPage
    return session.token


@router.get("/quoc-gia/tong-hop")
async def roll_up(request: Request, year: Year = None) -> Response:
    token = _national_token(request)
    year = year or clock.today().year
    view = await national.roll_up(services_of(request), token, year)
    return render(
        request,
        "national_rollup.html",
        active="national-rollup",
        year=year,
        view=view,
        columns=national.COLUMNS,
    )


@router.get("/quoc-gia/de-nghi")
async def forwarded(
    request: Request,
    year: Year = None,
    award: Text = None,
    to: Text = None,
    cursor: Text = None,
    sort: Text = None,
) -> Response:
    token = _national_token(request)
    year = year or clock.today().year
    filters = {"year": year, "award": award or None, "to": to if to in LEVELS else None}
    page = await national.forwarded(services_of(request), token, filters, cursor or None)
    table = table_view(FORWARDED, "/quoc-gia/de-nghi", filters, sort)
    page["items"] = sorted_rows(page.get("items", []), FORWARDED, table["sort"])
    query = list_query(filters, table["sort"])
    upward = [(a.code, a.name) for a in DEFAULT_AWARDS if a.level in ("national", "state")]
    return render(
        request,
        "national_nominations.html",
        **table,
        active="national-nominations",
        year=year,
        filters=filters,
        page=page,
        cursor=cursor,
        query=query,
        levels=LEVELS,
        awards=upward,
    )
