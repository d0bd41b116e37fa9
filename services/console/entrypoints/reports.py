"""The reports: a list of every report of the reporting service, each report's page (its filters
in the URL, the headline figures, a chart beside each table where a picture helps) and its .xlsx
download passed through from the reporting service with the person's token.

A report outside the person's scope (another federation, another unit's subtree, the rotation
report for a unit's clerk) answers "not found", as a missing one does."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import report_kinds, report_query, report_view
from services.console.application.formatting import date_vn
from services.console.entrypoints.common import NotFoundPage, federation_page, render, services_of, signed_in
from shared.auth.principal import Principal
from shared.kernel import clock

router = APIRouter()
FILTER_NAMES = ("year", "from", "to", "unit", "as_of", "programme", "period")


def _typed(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "")[:200] for k in FILTER_NAMES}


def _kind(name: str, person: Principal, national: bool) -> report_kinds.ReportKind:
    kind = report_kinds.BY_NAME.get(name)
    if kind is None or (national and not kind.national) or (person.unit and not kind.unit_scoped):
        raise NotFoundPage
    return kind


def _national(request: Request) -> tuple[str, Principal]:
    session = signed_in(request)
    if session.principal is None or not session.principal.is_national or session.token is None:
        raise NotFoundPage
    return session.token, session.principal


@router.get("/f/{federation}/reports")
async def index(request: Request, federation: str) -> Response:
    _, person = federation_page(request, federation)
    kinds = [k for k in report_kinds.REPORTS if k.unit_scoped or not person.unit]
    return render(
        request,
        "reports.html",
        federation=federation,
        active="reports",
        title="Báo cáo",
        kinds=kinds,
        national=False,
        year=clock.today().year,
    )


@router.get("/reports")
async def national_index(request: Request) -> Response:
    _national(request)
    kinds = [k for k in report_kinds.REPORTS if k.national]
    return render(
        request,
        "reports.html",
        active="reports",
        title="Báo cáo toàn quốc",
        kinds=kinds,
        national=True,
        year=clock.today().year,
    )


async def _page(
    request: Request, federation: str | None, name: str, token: str, person: Principal
) -> Response:
    national = federation is None
    kind = _kind(name, person, national)
    filters = report_query.read_filters(kind, _typed(request), clock.today())
    try:
        report = await report_query.fetch(services_of(request), token, federation, kind, filters)
    except ServiceError as exc:
        if exc.status in (403, 404):  # another unit's subtree, or a unit the tree did not hold
            raise NotFoundPage from None
        raise
    base = f"/f/{federation}/reports/{name}" if federation else f"/reports/{name}"

    def unit_link(code: str) -> str | None:
        if national:  # a national report groups by federation: that federation's report
            return f"/f/{code}/reports/{name}?" + urlencode(filters.query())
        if "unit" not in kind.filters or code == report.get("unit"):
            return None
        return f"{base}?" + urlencode(filters.query(unit=code))

    view = report_view.view(kind, report, national, unit_link)
    download = f"{base}/xlsx?" + urlencode(filters.query())
    return render(
        request,
        "report.html",
        federation=federation,
        active="national-reports" if national else "reports",
        title=kind.title,
        kind=kind,
        view=view,
        filters=filters,
        errors=filters.errors,
        national=national,
        base=base,
        download=download,
        as_of_text=filters.typed.get("as_of") or (date_vn(report["as_of"]) if report.get("as_of") else ""),
        programmes=report_kinds.PROGRAMMES,
    )


@router.get("/f/{federation}/reports/{name}")
async def report_page(request: Request, federation: str, name: str) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    return await _page(request, federation, name, session.token, person)


@router.get("/reports/{name}")
async def national_report_page(request: Request, name: str) -> Response:
    token, person = _national(request)
    return await _page(request, None, name, token, person)


async def _download(
    request: Request, federation: str | None, name: str, token: str, person: Principal
) -> Response:
    kind = _kind(name, person, federation is None)
    filters = report_query.read_filters(kind, _typed(request), clock.today())
    if filters.errors:
        raise NotFoundPage
    try:
        answer = await report_query.workbook(services_of(request), token, federation, kind, filters)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise NotFoundPage from None
        raise
    headers: dict[str, Any] = {"Cache-Control": "no-store"}
    disposition = answer.headers.get("content-disposition")
    if disposition:
        headers["Content-Disposition"] = disposition
    return Response(answer.content, media_type=answer.headers.get("content-type"), headers=headers)


@router.get("/f/{federation}/reports/{name}/xlsx")
async def report_xlsx(request: Request, federation: str, name: str) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    return await _download(request, federation, name, session.token, person)


@router.get("/reports/{name}/xlsx")
async def national_report_xlsx(request: Request, name: str) -> Response:
    token, person = _national(request)
    return await _download(request, None, name, token, person)
