"""People and access (admins; auditors read): the federation's people per unit with their
assignments, inviting a person by e-mail, granting an assignment (role, unit, from date,
reason), revoking one (with the reason), and a person's access history (who, when, why).
Registration decides every change (its access endpoints); these pages only ask and show."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError, Services
from services.console.application import people
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from shared.kernel import clock

router = APIRouter()
BASE = "/f/{federation}/nguoi-dung"
Text = Annotated[str | None, Query(max_length=200)]
PersonId = Annotated[str, Query(max_length=64)]


async def _federation_name(services: Services, token: str, federation: str) -> str:
    try:
        body = await services.registration.get(f"/v1/federations/{federation}", token)
    except ServiceError:
        return federation
    return str(body.get("name") or federation)


async def _person(services: Services, token: str, federation: str, person_id: str) -> dict[str, Any]:
    """The person, if they belong to this federation's list (invited in it, or holding an
    assignment in it); anyone else is "not found", as registration answers a stranger."""
    if len(person_id) > 64:
        raise NotFoundPage
    found: dict[str, Any] = await services.registration.get(f"/v1/access/people/{person_id}", token)
    mine = found.get("invited_in") == federation or any(
        a.get("federation") == federation for a in found.get("assignments") or []
    )
    if not mine:
        raise NotFoundPage
    return found


@router.get(BASE)
async def people_list(
    request: Request, federation: str, unit: Text = None, revoked: bool = False
) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.read")
    assert session.token is not None
    services = services_of(request)
    units = await people.units(services, session.token, federation)
    names = people.unit_names(units)
    errors = FormErrors()
    try:
        page = await services.registration.get(
            f"/v1/federations/{federation}/access/people",
            session.token,
            unit=unit or None,
            include_revoked=str(revoked).lower(),
            limit=1000,
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 422) or not unit:
            raise
        errors.add("unit", "Không có đơn vị này trong phạm vi của bạn; chọn đơn vị trong danh sách")
        page = {"people": []}
    fed_name = await _federation_name(services, session.token, federation)
    rows = [
        (p, [people.held(a, names, fed_name) for a in p.get("assignments") or []])
        for p in page.get("people") or []
    ]
    return render(
        request,
        "people.html",
        federation=federation,
        active="people",
        rows=rows,
        units=units,
        unit=unit or "",
        revoked=revoked,
        errors=errors or None,
        federation_name=fed_name,
    )


@router.get(BASE + "/moi")
async def invite_page(request: Request, federation: str, unit: Text = None) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.manage")
    assert session.token is not None
    units = await people.units(services_of(request), session.token, federation)
    values = {"name": "", "email": "", "unit": unit or person.unit or ""}
    return render(
        request,
        "person_invite.html",
        federation=federation,
        active="people",
        values=values,
        units=units,
        errors=None,
    )


@router.post(BASE + "/moi")
async def invite(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.manage")
    assert session.token is not None
    services = services_of(request)
    form = await request.form()
    values = {k: str(form.get(k) or "")[:300] for k in people.INVITE_FIELDS}
    errors = FormErrors()
    body = people.invite_body(values, errors)
    if not errors:
        try:
            created = await services.registration.post(
                f"/v1/federations/{federation}/access/people", session.token, body
            )
        except ServiceError as exc:
            if exc.status not in (400, 403, 404, 409, 422):
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            session.notice(
                f"Đã mời {created.get('name', '')} ({created.get('email', '')}). Người này đăng nhập "
                "được khi tài khoản có cùng địa chỉ e-mail; hãy giao vai trò cho họ."
            )
            return redirect(f"/f/{federation}/nguoi-dung/{created['id']}")
    units = await people.units(services, session.token, federation)
    return render(
        request,
        "person_invite.html",
        status=422,
        federation=federation,
        active="people",
        values=values,
        units=units,
        errors=errors,
    )


@router.get(BASE + "/{person_id}")
async def person_page(request: Request, federation: str, person_id: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.read")
    assert session.token is not None
    services = services_of(request)
    found = await _person(services, session.token, federation, person_id)
    names = people.unit_names(await people.units(services, session.token, federation))
    fed_name = await _federation_name(services, session.token, federation)
    held = [people.held(a, names, fed_name) for a in found.get("assignments") or []]
    return render(
        request,
        "person.html",
        federation=federation,
        active="people",
        found=found,
        held=held,
        kinds=people.KINDS,
    )


async def _grant_form(
    request: Request,
    federation: str,
    found: dict[str, Any],
    values: dict[str, str],
    errors: FormErrors | None,
) -> Response:
    session = federation_page(request, federation)[0]
    assert session.token is not None
    units = await people.units(services_of(request), session.token, federation)
    return render(
        request,
        "person_grant.html",
        status=422 if errors else 200,
        federation=federation,
        active="people",
        found=found,
        values=values,
        units=units,
        errors=errors,
    )


@router.get(BASE + "/{person_id}/cap-vai-tro")
async def grant_page(request: Request, federation: str, person_id: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.manage")
    assert session.token is not None
    found = await _person(services_of(request), session.token, federation, person_id)
    values = {"role": "", "unit": person.unit or "", "valid_from": "", "reason": ""}
    return await _grant_form(request, federation, found, values, None)


@router.post(BASE + "/{person_id}/cap-vai-tro")
async def grant(request: Request, federation: str, person_id: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.manage")
    assert session.token is not None
    services = services_of(request)
    found = await _person(services, session.token, federation, person_id)
    form = await request.form()
    values = {k: str(form.get(k) or "")[:1000] for k in people.GRANT_FIELDS}
    errors = FormErrors()
    body = people.grant_body(str(found["id"]), values, clock.today(), errors)
    if not errors:
        try:
            await services.registration.post(
                f"/v1/federations/{federation}/access/assignments", session.token, body
            )
        except ServiceError as exc:
            if exc.status not in (400, 403, 404, 409, 422):
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            session.notice(f"Đã giao vai trò cho {found.get('name', '')}.")
            return redirect(f"/f/{federation}/nguoi-dung/{found['id']}")
    return await _grant_form(request, federation, found, values, errors)


def _assignment(found: dict[str, Any], assignment: str) -> dict[str, Any]:
    for a in found.get("assignments") or []:
        if a.get("id") == assignment:
            return a  # type: ignore[no-any-return]
    raise NotFoundPage


@router.get(BASE + "/{person_id}/thu-hoi/{assignment}")
async def revoke_page(request: Request, federation: str, person_id: str, assignment: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.manage")
    assert session.token is not None
    services = services_of(request)
    found = await _person(services, session.token, federation, person_id)
    names = people.unit_names(await people.units(services, session.token, federation))
    held = people.held(
        _assignment(found, assignment), names, await _federation_name(services, session.token, federation)
    )
    return render(
        request,
        "person_revoke.html",
        federation=federation,
        active="people",
        found=found,
        held=held,
        values={"reason": ""},
        errors=None,
    )


@router.post(BASE + "/{person_id}/thu-hoi/{assignment}")
async def revoke(request: Request, federation: str, person_id: str, assignment: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.manage")
    assert session.token is not None
    services = services_of(request)
    found = await _person(services, session.token, federation, person_id)
    target = _assignment(found, assignment)
    form = await request.form()
    reason = str(form.get("reason") or "").strip()[:1000]
    version = str(form.get("version") or "")
    errors = FormErrors()
    if not reason:
        errors.add("reason", "Nhập lý do thu hồi (được lưu trong lịch sử truy cập)")
    else:
        try:
            await services.registration.post(
                f"/v1/access/assignments/{assignment}:revoke",
                session.token,
                {"reason": reason},
                headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
            )
        except ServiceError as exc:
            if exc.status not in (400, 403, 404, 409, 412, 422):
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            session.notice(f"Đã thu hồi vai trò của {found.get('name', '')}.")
            return redirect(f"/f/{federation}/nguoi-dung/{found['id']}")
    names = people.unit_names(await people.units(services, session.token, federation))
    held = people.held(target, names, await _federation_name(services, session.token, federation))
    return render(
        request,
        "person_revoke.html",
        status=422,
        federation=federation,
        active="people",
        found=found,
        held=held,
        values={"reason": reason},
        errors=errors,
    )


@router.get(BASE + "/{person_id}/lich-su")
async def history_page(request: Request, federation: str, person_id: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "audit.read")
    assert session.token is not None
    services = services_of(request)
    found = await _person(services, session.token, federation, person_id)
    body = await services.registration.get(f"/v1/access/people/{found['id']}/history", session.token)
    names = people.unit_names(await people.units(services, session.token, federation))
    return render(
        request,
        "person_history.html",
        federation=federation,
        active="people",
        found=found,
        lines=people.history(body, names),
    )
