"""People and access nationally (/quoc-gia/nguoi-dung): national admins invite people (and
service accounts) nationally, grant national roles and a federation's roles (its admins among
them), revoke them; national auditors read the list and the histories. A federation's staff,
whatever their role, are told these pages do not exist. Registration decides every change."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import national_people, people
from services.console.application.national_people import BASE
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import (
    NotFoundPage,
    redirect,
    render,
    require,
    services_of,
    signed_in,
)
from shared.kernel import clock

router = APIRouter()
CHANGE_REFUSED = (400, 403, 404, 409, 412, 422)


def _national(request: Request, action: str) -> str:
    """The token of a national person whose role allows `action`; anyone else: "not found"."""
    session = signed_in(request)
    person = session.principal
    if person is None or not person.is_national or session.token is None:
        raise NotFoundPage
    require(person, action)
    return session.token


async def _person(request: Request, token: str, person_id: str) -> dict[str, Any]:
    if len(person_id) > 64:
        raise NotFoundPage
    found: dict[str, Any] = await services_of(request).registration.get(
        f"/v1/access/people/{person_id}", token
    )
    return found


def _show(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    return render(request, template, status=status, active="national-people", people_base=BASE, **context)


@router.get(BASE)
async def people_list(request: Request, revoked: bool = False) -> Response:
    token = _national(request, "access.read")
    services = services_of(request)
    names = await national_people.federations(services, token)
    rows = [
        (p, [national_people.place_of(a, names) for a in p.get("assignments") or []])
        for p in await national_people.everyone(services, token, revoked)
    ]
    return _show(request, "people_national.html", rows=rows, revoked=revoked)


@router.get(BASE + "/moi")
async def invite_page(request: Request) -> Response:
    _national(request, "access.manage")
    values = {"name": "", "email": "", "unit": "", "kind": "person"}
    return _show(request, "person_invite.html", values=values, units=None, errors=None)


@router.post(BASE + "/moi")
async def invite(request: Request) -> Response:
    token = _national(request, "access.manage")
    form = await request.form()
    values = {k: str(form.get(k) or "")[:300] for k in people.INVITE_FIELDS}
    values["unit"] = ""
    errors = FormErrors()
    body = people.invite_body(values, errors)
    if not errors:
        try:
            created = await services_of(request).registration.post("/v1/access/people", token, body)
        except ServiceError as exc:
            if exc.status not in CHANGE_REFUSED:
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            signed_in(request).notice(people.invited_notice(created))
            return redirect(f"{BASE}/{created['id']}")
    return _show(request, "person_invite.html", status=422, values=values, units=None, errors=errors)


@router.get(BASE + "/{person_id}")
async def person_page(request: Request, person_id: str) -> Response:
    token = _national(request, "access.read")
    found = await _person(request, token, person_id)
    names = await national_people.federations(services_of(request), token)
    held = [national_people.place_of(a, names) for a in found.get("assignments") or []]
    return _show(request, "person.html", found=found, held=held, kinds=people.KINDS)


async def _grant_form(
    request: Request, token: str, found: dict[str, Any], values: dict[str, str], errors: FormErrors | None
) -> Response:
    federations = await national_people.federations(services_of(request), token)
    return _show(
        request,
        "person_grant_national.html",
        status=422 if errors else 200,
        found=found,
        values=values,
        federations=federations,
        errors=errors,
    )


@router.get(BASE + "/{person_id}/cap-vai-tro")
async def grant_page(request: Request, person_id: str) -> Response:
    token = _national(request, "access.manage")
    found = await _person(request, token, person_id)
    values = {k: "" for k in national_people.GRANT_FIELDS}
    return await _grant_form(request, token, found, values, None)


@router.post(BASE + "/{person_id}/cap-vai-tro")
async def grant(request: Request, person_id: str) -> Response:
    token = _national(request, "access.manage")
    services = services_of(request)
    found = await _person(request, token, person_id)
    form = await request.form()
    values = {k: str(form.get(k) or "")[:1000] for k in national_people.GRANT_FIELDS}
    errors = FormErrors()
    known = await national_people.federations(services, token)
    path, body = national_people.grant(str(found["id"]), values, clock.today(), known, errors)
    if not errors:
        try:
            await services.registration.post(path, token, body)
        except ServiceError as exc:
            if exc.status not in CHANGE_REFUSED:
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            signed_in(request).notice(f"Đã giao vai trò cho {found.get('name', '')}.")
            return redirect(f"{BASE}/{found['id']}")
    return await _grant_form(request, token, found, values, errors)


def _assignment(found: dict[str, Any], assignment: str) -> dict[str, Any]:
    target = people.assignment_of(found, assignment)
    if target is None:
        raise NotFoundPage
    return target


async def _revoke_form(
    request: Request,
    token: str,
    found: dict[str, Any],
    assignment: str,
    reason: str,
    errors: FormErrors | None,
) -> Response:
    names = await national_people.federations(services_of(request), token)
    shown = national_people.place_of(_assignment(found, assignment), names)
    return _show(
        request,
        "person_revoke.html",
        status=422 if errors else 200,
        found=found,
        held=shown,
        values={"reason": reason},
        errors=errors,
    )


@router.get(BASE + "/{person_id}/thu-hoi/{assignment}")
async def revoke_page(request: Request, person_id: str, assignment: str) -> Response:
    token = _national(request, "access.manage")
    found = await _person(request, token, person_id)
    return await _revoke_form(request, token, found, assignment, "", None)


@router.post(BASE + "/{person_id}/thu-hoi/{assignment}")
async def revoke(request: Request, person_id: str, assignment: str) -> Response:
    """With the person's version (If-Match): a change made meanwhile is refused, not overwritten."""
    token = _national(request, "access.manage")
    found = await _person(request, token, person_id)
    _assignment(found, assignment)
    form = await request.form()
    reason = str(form.get("reason") or "").strip()[:1000]
    version = str(form.get("version") or "")
    errors = FormErrors()
    if not reason:
        errors.add("reason", "Nhập lý do thu hồi (được lưu trong lịch sử truy cập)")
    else:
        try:
            await services_of(request).registration.post(
                f"/v1/access/assignments/{assignment}:revoke",
                token,
                {"reason": reason},
                headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
            )
        except ServiceError as exc:
            if exc.status not in CHANGE_REFUSED:
                raise
            errors = from_problem(exc.status, exc.body)
        else:
            signed_in(request).notice(f"Đã thu hồi vai trò của {found.get('name', '')}.")
            return redirect(f"{BASE}/{found['id']}")
    return await _revoke_form(request, token, found, assignment, reason, errors)


@router.get(BASE + "/{person_id}/lich-su")
async def history_page(request: Request, person_id: str) -> Response:
    token = _national(request, "audit.read")
    found = await _person(request, token, person_id)
    body = await services_of(request).registration.get(f"/v1/access/people/{found['id']}/history", token)
    return _show(request, "person_history.html", found=found, lines=people.history(body, {}))
