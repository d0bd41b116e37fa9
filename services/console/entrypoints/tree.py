"""The tree as it stood on any date, member search, a member, and registering a member."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import tree
from services.console.application.formatting import date_vn, parse_date_vn
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from shared import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]


def _as_of(text: str | None, errors: FormErrors) -> date:
    if not text:
        return clock.today()
    parsed = parse_date_vn(text)
    if parsed is None:
        errors.add("as_of", "Nhập ngày theo dạng dd/mm/yyyy")
        return clock.today()
    return parsed


@router.get("/f/{federation}/units")
async def units(
    request: Request, federation: str, as_of: Text = None, q: Text = None, cursor: Text = None
) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    if person.unit and not q:
        # a unit's clerk starts at their own unit: nothing above it is theirs to browse
        suffix = f"?as_of={as_of}" if as_of else ""
        return redirect(f"/f/{federation}/units/{person.unit}{suffix}")
    errors = FormErrors()
    on = _as_of(as_of, errors)
    services = services_of(request)
    results = None
    if q:
        results = await tree.search_members(services, session.token, federation, q.strip(), on, cursor)
    tops = [] if person.unit else await tree.top_units(services, session.token, federation, on)
    return render(
        request,
        "units.html",
        federation=federation,
        active="tree",
        title="Cây tổ chức",
        tops=tops,
        results=results,
        q=q or "",
        as_of_text=as_of if errors else date_vn(on),
        on=on,
        errors=errors,
    )


@router.get("/f/{federation}/units/{code}")
async def unit(
    request: Request, federation: str, code: str, as_of: Text = None, cursor: Text = None
) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    errors = FormErrors()
    on = _as_of(as_of, errors)
    view = await tree.unit_view(services_of(request), session.token, person, federation, code, on, cursor)
    return render(
        request,
        "unit.html",
        federation=federation,
        active="tree",
        view=view,
        as_of_text=as_of if errors else date_vn(on),
        as_of_query=date_vn(on),
        on=on,
        errors=errors,
    )


@router.get("/f/{federation}/members/new")
async def new_member(request: Request, federation: str, unit: Text = None) -> Response:
    _, person = federation_page(request, federation)
    require(person, "tree.write")
    values = {"unit": unit or person.unit or ""}
    return render(
        request, "member_new.html", federation=federation, active="member-new", values=values, errors=None
    )


@router.post("/f/{federation}/members/new")
async def register_member(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "tree.write")
    assert session.token is not None
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in tree.MEMBER_FIELDS}
    body = tree.member_body(values)
    try:
        created = await services_of(request).registration.post(
            f"/v1/federations/{federation}/members", session.token, body
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 422):
            raise
        errors = from_problem(exc.status, exc.body)
        return render(
            request,
            "member_new.html",
            status=422 if exc.status != 409 else 409,
            federation=federation,
            active="member-new",
            values=values,
            errors=errors,
        )
    session.notice(f"Đã lưu đoàn viên {created.get('full_name', '')} (mã {created.get('code', '')}).")
    return redirect(f"/f/{federation}/members/{created.get('code', values['code'])}")


@router.get("/f/{federation}/members/{code}")
async def member(request: Request, federation: str, code: str) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    body = await services_of(request).registration.get(
        f"/v1/federations/{federation}/members/{code}", session.token
    )
    return render(request, "member.html", federation=federation, active="tree", member=body)
