"""People and access (admins; auditors read): the federation's people per unit with their
assignments, inviting a person by e-mail, granting an assignment (role, unit, from date,
reason), revoking one (with the reason), and a person's access history (who, when, why).
Registration decides every change (its access endpoints); these pages only ask and show."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import people
from services.console.application.problems import FormErrors, from_problem
from services.console.application.sessions import Session
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from shared.auth.principal import Principal
from shared.kernel import clock

router = APIRouter()


def _page(request: Request, federation: str, action: str) -> tuple[Session, Principal, str]:
    """A page of this federation for a person whose role allows `action`; their token."""
    session, person = federation_page(request, federation)
    require(person, action)
    assert session.token is not None
    return session, person, session.token


def _mine(found: dict[str, Any] | None) -> dict[str, Any]:
    if found is None:
        raise NotFoundPage
    return found


BASE = "/f/{federation}/nguoi-dung"
Text = Annotated[str | None, Query(max_length=200)]
PersonId = Annotated[str, Query(max_length=64)]


@router.get(BASE)
async def people_list(
    request: Request, federation: str, unit: Text = None, revoked: bool = False
) -> Response:
    _session, _person, token = _page(request, federation, "access.read")
    services = services_of(request)
    units = await people.units(services, token, federation)
    names = people.unit_names(units)
    errors = FormErrors()
    try:
        page = await services.registration.get(
            f"/v1/federations/{federation}/access/people",
            token,
            unit=unit or None,
            include_revoked=str(revoked).lower(),
            limit=1000,
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 422) or not unit:
            raise
        errors.add("unit", "Không có đơn vị này trong phạm vi của bạn; chọn đơn vị trong danh sách")
        page = {"people": []}
    fed_name = await people.federation_name(services, token, federation)
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
    _session, person, token = _page(request, federation, "access.manage")
    units = await people.units(services_of(request), token, federation)
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
    session, _person, token = _page(request, federation, "access.manage")
    services = services_of(request)
    form = await request.form()
    values = {k: str(form.get(k) or "")[:300] for k in people.INVITE_FIELDS}
    errors = FormErrors()
    body = people.invite_body(values, errors)
    if not errors:
        try:
            created = await services.registration.post(
                f"/v1/federations/{federation}/access/people", token, body
            )
        except ServiceError as exc:
            if exc.status not in (400, 403, 404, 409, 422):
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            session.notice(people.invited_notice(created))
            return redirect(f"/f/{federation}/nguoi-dung/{created['id']}")
    units = await people.units(services, token, federation)
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
    _session, _person, token = _page(request, federation, "access.read")
    services = services_of(request)
    found = _mine(await people.person_in(services, token, federation, person_id))
    names = people.unit_names(await people.units(services, token, federation))
    fed_name = await people.federation_name(services, token, federation)
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
    token = federation_page(request, federation)[0].token
    assert token is not None
    units = await people.units(services_of(request), token, federation)
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
    _session, person, token = _page(request, federation, "access.manage")
    found = _mine(await people.person_in(services_of(request), token, federation, person_id))
    values = {"role": "", "unit": person.unit or "", "valid_from": "", "reason": ""}
    return await _grant_form(request, federation, found, values, None)


@router.post(BASE + "/{person_id}/cap-vai-tro")
async def grant(request: Request, federation: str, person_id: str) -> Response:
    session, _person, token = _page(request, federation, "access.manage")
    services = services_of(request)
    found = _mine(await people.person_in(services, token, federation, person_id))
    form = await request.form()
    values = {k: str(form.get(k) or "")[:1000] for k in people.GRANT_FIELDS}
    errors = FormErrors()
    body = people.grant_body(str(found["id"]), values, clock.today(), errors)
    if not errors:
        try:
            await services.registration.post(f"/v1/federations/{federation}/access/assignments", token, body)
        except ServiceError as exc:
            if exc.status not in (400, 403, 404, 409, 422):
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            session.notice(f"Đã giao vai trò cho {found.get('name', '')}.")
            return redirect(f"/f/{federation}/nguoi-dung/{found['id']}")
    return await _grant_form(request, federation, found, values, errors)


async def _revoke_form(
    request: Request,
    federation: str,
    found: dict[str, Any],
    target: dict[str, Any],
    reason: str,
    errors: FormErrors | None,
) -> Response:
    token = federation_page(request, federation)[0].token
    assert token is not None
    services = services_of(request)
    names = people.unit_names(await people.units(services, token, federation))
    held = people.held(target, names, await people.federation_name(services, token, federation))
    return render(
        request,
        "person_revoke.html",
        status=422 if errors else 200,
        federation=federation,
        active="people",
        found=found,
        held=held,
        values={"reason": reason},
        errors=errors,
    )


@router.get(BASE + "/{person_id}/thu-hoi/{assignment}")
async def revoke_page(request: Request, federation: str, person_id: str, assignment: str) -> Response:
    _session, _person, token = _page(request, federation, "access.manage")
    found = _mine(await people.person_in(services_of(request), token, federation, person_id))
    return await _revoke_form(
        request, federation, found, _mine(people.assignment_of(found, assignment)), "", None
    )


@router.post(BASE + "/{person_id}/thu-hoi/{assignment}")
async def revoke(request: Request, federation: str, person_id: str, assignment: str) -> Response:
    """With the person's version (If-Match): a change made meanwhile is refused, not overwritten."""
    session, _person, token = _page(request, federation, "access.manage")
    services = services_of(request)
    found = _mine(await people.person_in(services, token, federation, person_id))
    target = _mine(people.assignment_of(found, assignment))
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
                token,
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
    return await _revoke_form(request, federation, found, target, reason, errors)


@router.get(BASE + "/{person_id}/lich-su")
async def history_page(request: Request, federation: str, person_id: str) -> Response:
    _session, _person, token = _page(request, federation, "audit.read")
    services = services_of(request)
    found = _mine(await people.person_in(services, token, federation, person_id))
    body = await services.registration.get(f"/v1/access/people/{found['id']}/history", token)
    names = people.unit_names(await people.units(services, token, federation))
    return render(
        request,
        "person_history.html",
        federation=federation,
        active="people",
        found=found,
        lines=people.history(body, names),
    )
