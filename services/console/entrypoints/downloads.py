"""Every list page's .xlsx: the page's URL with `.xlsx`, the same filters and order, the whole
filtered list (not only the page shown; at most workbook.MAX_ROWS rows, the sheet saying when it
was cut), the same columns and Vietnamese headings (application/list_columns.py). The same scope
as the page: what a person may not see as a page they cannot download either ("not found")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.application import (
    access,
    activities,
    audit_history,
    councils,
    decisions,
    national,
    nominations,
    tree,
)
from services.console.application.formatting import date_vn
from services.console.application.list_columns import (
    COUNCILS,
    DECISIONS,
    FORWARDED,
    GRANTS,
    HELD,
    HISTORY,
    INITIATIVES,
    MEMBERS,
    NOMINATIONS,
    PLEDGES,
    UNITS,
    WORKS,
)
from services.console.application.list_paging import every_row
from services.console.application.list_sorting import sorted_rows
from services.console.application.problems import FormErrors
from services.console.application.workbook import XLSX, Column, build, build_book, filename
from services.console.entrypoints.audit import _as_of as _history_as_of
from services.console.entrypoints.audit import _auditor
from services.console.entrypoints.common import NotFoundPage, federation_page, services_of
from services.console.entrypoints.council_access import is_staff
from services.console.entrypoints.decisions import _approver_page
from services.console.entrypoints.national import LEVELS, _national_token
from services.console.entrypoints.tree import _as_of as _tree_as_of
from shared.kernel import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=1945, le=2100)]


def xlsx(content: bytes, stem: str) -> Response:
    return Response(
        content,
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{filename(stem)}"',
            "Cache-Control": "no-store",
        },
    )


def sheet(title: str, stem: str, columns: Sequence[Column], rows: list[Any], cut: bool = False) -> Response:
    return xlsx(build(title, columns, rows, cut=cut), stem)


@router.get("/f/{federation}/pledges.xlsx")
async def pledges_xlsx(
    request: Request,
    federation: str,
    movement: Text = None,
    award: Text = None,
    state: Text = None,
    subject_kind: Text = None,
    unit: Text = None,
    year: Year = None,
    sort: Text = None,
) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    year = year or clock.today().year
    filters: dict[str, Any] = {
        "movement": movement or None,
        "award": award or None,
        "state": state or None,
        "subject_kind": subject_kind or None,
        "unit": unit or None,
        "year": year,
    }
    rows, cut = await every_row(
        services_of(request).registration, f"/v1/federations/{federation}/pledges", session.token, filters
    )
    rows = sorted_rows(rows, PLEDGES, sort)
    return sheet(f"Đăng ký thi đua {year}", f"dang-ky-thi-dua-{year}", PLEDGES, rows, cut)


async def _activities_xlsx(
    request: Request,
    federation: str,
    resource: str,
    year: int | None,
    state: str | None,
    unit: str | None,
    sort: str | None,
) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    states = activities.INITIATIVE_STATES if resource == "initiatives" else activities.WORK_STATES
    filters: dict[str, Any] = {
        "year": year or clock.today().year,
        "state": state if state in states else None,
        "unit": (unit or "").strip() or None,
    }
    rows, cut = await every_row(
        services_of(request).registration,
        f"/v1/federations/{federation}/{resource}",
        session.token,
        filters,
    )
    columns = INITIATIVES if resource == "initiatives" else WORKS
    title = "Sáng kiến" if resource == "initiatives" else "Công trình"
    stem = "sang-kien" if resource == "initiatives" else "cong-trinh"
    return sheet(
        f"{title} {filters['year']}",
        f"{stem}-{filters['year']}",
        columns,
        sorted_rows(rows, columns, sort),
        cut,
    )


@router.get("/f/{federation}/initiatives.xlsx")
async def initiatives_xlsx(
    request: Request,
    federation: str,
    year: Year = None,
    state: Text = None,
    unit: Text = None,
    sort: Text = None,
) -> Response:
    return await _activities_xlsx(request, federation, "initiatives", year, state, unit, sort)


@router.get("/f/{federation}/works.xlsx")
async def works_xlsx(
    request: Request,
    federation: str,
    year: Year = None,
    state: Text = None,
    unit: Text = None,
    sort: Text = None,
) -> Response:
    return await _activities_xlsx(request, federation, "works", year, state, unit, sort)


@router.get("/f/{federation}/nominations.xlsx")
async def nominations_xlsx(
    request: Request, federation: str, year: Year = None, sort: Text = None
) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    year = year or clock.today().year
    rows = await nominations.listing(services_of(request), session.token, federation, year)
    rows = sorted_rows(rows, NOMINATIONS, sort)
    return sheet(f"Đề nghị khen thưởng {year}", f"de-nghi-khen-thuong-{year}", NOMINATIONS, rows)


@router.get("/f/{federation}/councils.xlsx")
async def councils_xlsx(request: Request, federation: str, year: Year = None, sort: Text = None) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    if not (is_staff(person) or access.allowed(person, "council.vote")):
        raise NotFoundPage
    year = year or clock.today().year
    member = None if is_staff(person) else person.sub
    rows = await councils.listing(services_of(request), session.token, federation, year, member)
    rows = sorted_rows(rows, COUNCILS, sort)
    return sheet(f"Hội đồng TĐKT {year}", f"hoi-dong-{year}", COUNCILS, rows)


@router.get("/f/{federation}/decisions.xlsx")
async def decisions_xlsx(request: Request, federation: str, year: Year = None, sort: Text = None) -> Response:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    year = year or clock.today().year
    rows = await decisions.listing(services_of(request), session.token, federation, year)
    rows = sorted_rows(rows, DECISIONS, sort)
    return sheet(f"Quyết định khen thưởng {year}", f"quyet-dinh-{year}", DECISIONS, rows)


@router.get("/f/{federation}/decisions/{decision_id}/grants.xlsx")
async def grants_xlsx(request: Request, federation: str, decision_id: str, sort: Text = None) -> Response:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    body = await decisions.decision(services_of(request), session.token, federation, decision_id)
    rows = sorted_rows(body.get("lines", []), GRANTS, sort)
    number = str(body.get("number") or decision_id)
    return sheet(f"Quyết định {number}", f"khen-thuong-qd-{number}", GRANTS, rows)


@router.get("/f/{federation}/units.xlsx")
async def units_xlsx(
    request: Request, federation: str, as_of: Text = None, q: Text = None, sort: Text = None
) -> Response:
    """The tree page's list: the members found when searching, else the federation's top units."""
    session, person = federation_page(request, federation)
    assert session.token is not None
    on = _tree_as_of(as_of, FormErrors())
    services = services_of(request)
    if q and q.strip():
        rows, cut = await every_row(
            services.registration,
            f"/v1/federations/{federation}/members",
            session.token,
            {"q": q.strip(), "as_of": on.isoformat()},
        )
        rows = sorted_rows(rows, MEMBERS, sort)
        return sheet(f"Đoàn viên {date_vn(on)}", f"tim-doan-vien-{on.isoformat()}", MEMBERS, rows, cut)
    if person.unit:
        raise NotFoundPage
    units = await tree.top_units(services, session.token, federation, on)
    return sheet(f"Đơn vị {date_vn(on)}", f"don-vi-{on.isoformat()}", UNITS, sorted_rows(units, UNITS, sort))


@router.get("/f/{federation}/units/{code}/members.xlsx")
async def unit_members_xlsx(
    request: Request, federation: str, code: str, as_of: Text = None, sort: Text = None
) -> Response:
    """The members of a unit's subtree on a date, every one of them (the page shows them a page
    at a time)."""
    session, _ = federation_page(request, federation)
    assert session.token is not None
    on = _tree_as_of(as_of, FormErrors())
    services = services_of(request)
    base = f"/v1/federations/{federation}"
    unit = await services.registration.get(f"{base}/units/{code}", session.token)  # 404 outside scope
    rows, cut = await every_row(
        services.registration, f"{base}/members", session.token, {"unit": code, "as_of": on.isoformat()}
    )
    rows = sorted_rows(rows, MEMBERS, sort)
    title = f"Đoàn viên {unit.get('name') or code}"
    return sheet(title, f"doan-vien-{code}-{on.isoformat()}", MEMBERS, rows, cut)


@router.get("/quoc-gia/de-nghi.xlsx")
async def forwarded_xlsx(
    request: Request, year: Year = None, award: Text = None, to: Text = None, sort: Text = None
) -> Response:
    token = _national_token(request)
    year = year or clock.today().year
    filters: dict[str, Any] = {"year": year, "award": award or None, "to": to if to in LEVELS else None}
    services = services_of(request)
    rows, cut = await every_row(services.awards, "/v1/nominations/forwarded", token, filters)
    names = await national.federation_names(services, token) if rows else {}
    for row in rows:
        row["federation_name"] = names.get(row["federation"], row["federation"])
    rows = sorted_rows(rows, FORWARDED, sort)
    return sheet(f"Đề nghị chuyển lên {year}", f"de-nghi-chuyen-len-{year}", FORWARDED, rows, cut)


@router.get("/f/{federation}/audit/history.xlsx")
async def history_xlsx(
    request: Request, federation: str, kind: Text = None, code: Text = None, as_of: Text = None
) -> Response:
    """A subject's history as the auditor's page shows it: the awards held, then every event."""
    token = _auditor(request, federation)
    errors = FormErrors()
    on = _history_as_of(as_of, errors)
    if kind not in ("member", "unit") or not code or not code.strip() or errors:
        raise NotFoundPage
    view = await audit_history.history(services_of(request), token, federation, kind, code.strip(), on)
    until = date_vn(on) if on else date_vn(clock.today())
    content = build_book(
        [
            ("Khen thưởng còn hiệu lực", HELD, view.held, False),
            ("Toàn bộ diễn biến", HISTORY, view.lines, False),
        ]
    )
    return xlsx(content, f"lich-su-{code.strip()}-{until.replace('/', '-')}")
