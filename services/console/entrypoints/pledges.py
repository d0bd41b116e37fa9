"""Pledges: list with filters in the URL and cursor paging, one pledge with accept/return
(staff) or resubmit (clerk), a pledge by form, and the Excel list upload."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import access, pledges
from services.console.application.formatting import date_vn
from services.console.application.list_columns import PLEDGES
from services.console.application.list_paging import page_of
from services.console.application.list_sorting import list_query, table_view
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from shared.kernel import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/f/{federation}/pledges")
async def pledge_list(
    request: Request,
    federation: str,
    movement: Text = None,
    award: Text = None,
    state: Text = None,
    subject_kind: Text = None,
    unit: Text = None,
    year: Annotated[int | None, Query(ge=1945, le=2100)] = None,
    cursor: Text = None,
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
    services = services_of(request)
    table = table_view(PLEDGES, f"/f/{federation}/pledges", filters, sort)
    if table["sort"]:  # sorted by a column: the whole filtered list, paged here
        page = await page_of(
            services.registration,
            f"/v1/federations/{federation}/pledges",
            session.token,
            filters,
            PLEDGES,
            table["sort"],
            cursor,
            50,
        )
    else:
        page = await pledges.listing(services, session.token, federation, filters, cursor)
    movement_list = await pledges.movements(services, session.token, federation, year)
    query = list_query(filters, table["sort"])
    return render(
        request,
        "pledges.html",
        **table,
        federation=federation,
        active="pledges",
        filters=filters,
        page=page,
        cursor=cursor,
        query=query,
        movements=movement_list,
        awards=pledges.award_choices(movement_list),
    )


async def _form(
    request: Request, federation: str, values: dict[str, str], errors: FormErrors | None, status: int = 200
) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    movement_list = [
        m
        for m in await pledges.movements(services_of(request), session.token, federation, clock.today().year)
        if m.get("closed_on") is None
    ]
    return render(
        request,
        "pledge_new.html",
        status=status,
        federation=federation,
        active="pledges",
        values=values,
        errors=errors,
        movements=movement_list,
        awards=pledges.award_choices(movement_list),
        participation=(pledges.PARTICIPATION, pledges.PARTICIPATION_LABEL),
    )


@router.get("/f/{federation}/pledges/new")
async def new_pledge(
    request: Request, federation: str, subject_kind: Text = None, subject_code: Text = None
) -> Response:
    _, person = federation_page(request, federation)
    require(person, "pledge.submit")
    values = {
        "subject_kind": subject_kind if subject_kind in ("member", "unit") else "member",
        "subject_code": subject_code or "",
        "pledged_on": date_vn(clock.today()),
    }
    return await _form(request, federation, values, None)


@router.post("/f/{federation}/pledges/new")
async def submit_pledge(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "pledge.submit")
    assert session.token is not None
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in pledges.PLEDGE_FIELDS}
    body = pledges.pledge_body(values)
    try:
        created = await services_of(request).registration.post(
            f"/v1/federations/{federation}/pledges", session.token, body
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 422):
            raise
        return await _form(request, federation, values, from_problem(exc.status, exc.body), 422)
    session.notice(
        f"Đã gửi đăng ký thi đua của {created.get('subject_name') or created.get('subject_code')}."
    )
    return redirect(f"/f/{federation}/pledges/{created['id']}")


@router.get("/f/{federation}/pledges/upload")
async def upload_page(request: Request, federation: str) -> Response:
    _, person = federation_page(request, federation)
    require(person, "pledge.submit")
    return render(request, "upload.html", federation=federation, active="upload", result=None)


@router.get("/f/{federation}/pledges/template.xlsx")
async def template(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "pledge.submit")
    assert session.token is not None
    content = await pledges.template(services_of(request), session.token, federation)
    return Response(
        content,
        media_type=pledges.XLSX,
        headers={
            "Content-Disposition": 'attachment; filename="dang-ky-thi-dua.xlsx"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/f/{federation}/pledges/upload")
async def upload(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "pledge.submit")
    assert session.token is not None and session.person is not None
    form = await request.form()
    file = form.get("file")
    if file is None or isinstance(file, str) or not file.filename:
        errors = FormErrors()
        errors.add("file", "Chọn tệp danh sách .xlsx")
        return render(
            request,
            "upload.html",
            status=422,
            federation=federation,
            active="upload",
            result=None,
            errors=errors,
        )
    content = await file.read()
    new_members = form.get("new_members") == "register" and access.allowed(person, "tree.write")
    who, token, name = session.person.subject, session.token, file.filename
    result = await pledges.upload(services_of(request), token, who, federation, name, content, new_members)
    if result.problems or result.summary:
        return render(
            request,
            "upload.html",
            status=422,
            federation=federation,
            active="upload",
            result=result,
            filename=file.filename,
        )
    return render(
        request,
        "upload_done.html",
        federation=federation,
        active="upload",
        result=result,
        filename=file.filename,
    )


@router.get("/f/{federation}/pledges/{pledge_id}")
async def pledge(request: Request, federation: str, pledge_id: str) -> Response:
    return await _pledge_page(request, federation, pledge_id, None)


async def _pledge_page(
    request: Request,
    federation: str,
    pledge_id: str,
    errors: FormErrors | None,
    status: int = 200,
    reason: str = "",
    form: dict[str, str] | None = None,
) -> Response:
    """`form`: what the clerk typed in the resubmit form, shown again with its errors."""
    session, _ = federation_page(request, federation)
    assert session.token is not None
    services = services_of(request)
    body = await services.registration.get(f"/v1/federations/{federation}/pledges/{pledge_id}", session.token)
    deadline = None
    if body.get("state") in ("submitted", "returned") and body.get("movement"):
        # the movement's deadline, with the days left to (re)submit
        try:
            movement = await services.registration.get(
                f"/v1/federations/{federation}/movements/{body['movement']}", session.token
            )
        except ServiceError:
            movement = {}
        deadline = movement.get("registration_deadline")
    return render(
        request,
        "pledge.html",
        deadline=deadline,
        status=status,
        federation=federation,
        active="pledges",
        pledge=body,
        errors=errors,
        reason=reason,
        typed=form or {},
    )


ACTIONS = {
    "accept": ("pledge.review", "Đã chấp nhận đăng ký."),
    "return": ("pledge.review", "Đã trả lại đăng ký để đơn vị sửa."),
    "resubmit": ("pledge.submit", "Đã gửi lại đăng ký."),
}


@router.post("/f/{federation}/pledges/{pledge_id}/{action}")
async def transition(request: Request, federation: str, pledge_id: str, action: str) -> Response:
    session, person = federation_page(request, federation)
    if action not in ACTIONS:
        from services.console.entrypoints.common import NotFoundPage

        raise NotFoundPage
    permission, done = ACTIONS[action]
    require(person, permission)
    assert session.token is not None
    form = await request.form()
    reason = str(form.get("reason") or "").strip()
    version = str(form.get("version") or "")
    if action == "return" and not reason:
        errors = FormErrors()
        errors.add("reason", "Nhập lý do trả lại để đơn vị biết cần sửa gì")
        return await _pledge_page(request, federation, pledge_id, errors, 422)
    body: dict[str, Any] = {"reason": reason} if reason else {}
    if action == "resubmit":
        path = f"/v1/federations/{federation}/pledges/{pledge_id}"
        stored = await services_of(request).registration.get(path, session.token)
        values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        body, reason_missing = pledges.resubmit_body(values, stored)
        if reason_missing:
            errors = FormErrors()
            errors.add("reason", "Nhập lý do sửa để người xét biết vì sao thông tin khác đi")
            return await _pledge_page(request, federation, pledge_id, errors, 422, form=values)
    try:
        await services_of(request).registration.post(
            f"/v1/federations/{federation}/pledges/{pledge_id}:{action}",
            session.token,
            body,
            headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
        )
    except ServiceError as exc:
        if exc.status not in (400, 409, 412, 422):
            raise
        typed = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        return await _pledge_page(
            request, federation, pledge_id, from_problem(exc.status, exc.body), 409, reason, typed
        )
    session.notice(done + (f" Lý do: {reason}" if action == "return" else ""))
    return redirect(f"/f/{federation}/pledges/{pledge_id}")
