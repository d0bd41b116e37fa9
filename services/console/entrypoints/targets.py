"""Targets: each unit's targets for a programme and year with their progress (and its .xlsx), and
the form that sets a unit's target."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import activities as a
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.activities import CONTEXT
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from shared.kernel import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=1945, le=2100)]


@router.get("/f/{federation}/targets")
async def targets(request: Request, federation: str, year: Year = None, programme: Text = None) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    year = year or clock.today().year
    programme = programme if programme in a.PROGRAMMES else "initiatives"
    report = await a.progress(services_of(request), session.token, federation, year, programme)
    return render(
        request,
        "targets.html",
        federation=federation,
        active="targets",
        year=year,
        programme=programme,
        report=report,
        **CONTEXT,
    )


@router.get("/f/{federation}/targets.xlsx")
async def targets_xlsx(
    request: Request, federation: str, year: Year = None, programme: Text = None
) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    year = year or clock.today().year
    programme = programme if programme in a.PROGRAMMES else "initiatives"
    content = await a.progress_xlsx(services_of(request), session.token, federation, year, programme)
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="chi-tieu-{programme}-{year}.xlsx"',
            "Cache-Control": "no-store",
        },
    )


def _target_page(
    request: Request, federation: str, values: dict[str, str], errors: FormErrors | None, status: int = 200
) -> Response:
    return render(
        request,
        "target_new.html",
        status=status,
        federation=federation,
        active="targets",
        values=values,
        errors=errors,
        **CONTEXT,
    )


@router.get("/f/{federation}/targets/new")
async def new_target(
    request: Request, federation: str, unit: Text = None, programme: Text = None
) -> Response:
    _, person = federation_page(request, federation)
    require(person, "target.assign")
    values = {
        "unit": unit or person.unit or "",
        "programme": programme if programme in a.PROGRAMMES else "initiatives",
        "year": str(clock.today().year),
        "origin": "self" if person.unit else "assigned",
    }
    return _target_page(request, federation, values, None)


@router.post("/f/{federation}/targets/new")
async def set_target(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "target.assign")
    assert session.token is not None
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in a.TARGET_FIELDS}
    body = a.target_body(values)
    try:
        stored = await services_of(request).registration.post(
            f"/v1/federations/{federation}/targets", session.token, body
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 422):
            raise
        errors = a.missing_as_missing(from_problem(exc.status, exc.body), values)
        return _target_page(request, federation, values, errors, 422)
    figure = f"{stored.get('target') or body['target']:,}".replace(",", ".")
    session.notice(
        f"Đã lưu chỉ tiêu {a.PROGRAMMES.get(str(body['programme']), '').lower()} năm {body['year']} "
        f"của đơn vị {body['unit']}: {figure}. Tiến độ bên dưới cập nhật sau ít giây."
    )
    return redirect(f"/f/{federation}/targets?year={body['year']}&programme={body['programme']}")
