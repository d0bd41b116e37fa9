"""The home page of a federation's year, and national staff's list of federations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.application import overview
from services.console.entrypoints.common import NotFoundPage, federation_page, render, services_of, signed_in
from shared.kernel import clock

router = APIRouter()
Year = Annotated[int | None, Query(ge=1945, le=2100)]


@router.get("/quoc-gia")
async def national(request: Request, year: Year = None) -> Response:
    session = signed_in(request)
    if session.principal is None or not session.principal.is_national:
        raise NotFoundPage
    year = year or clock.today().year
    assert session.token is not None
    rows = await overview.federations(services_of(request), session.token, year)
    return render(request, "national.html", active="national", year=year, federations=rows)


@router.get("/f/{federation}")
async def home(request: Request, federation: str, year: Year = None) -> Response:
    session, person = federation_page(request, federation)
    today = clock.today()
    year = year or today.year
    assert session.token is not None
    view = await overview.year_overview(services_of(request), session.token, federation, year, today)
    return render(
        request, "home.html", federation=federation, active="home", year=year, view=view, unit=person.unit
    )
