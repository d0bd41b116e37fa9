"""Stored details corrected with a reason from the record's page: a member's details, a unit's
name. One form each; registration keeps the old value in the history beside the reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import corrections
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of

router = APIRouter()


async def _record(request: Request, federation: str, path: str) -> tuple[str, dict]:
    """The person's token and the record, if this person may change the tree (registration
    answers "not found" for one outside their subtree)."""
    session, person = federation_page(request, federation)
    require(person, "tree.write")
    assert session.token is not None
    record = await services_of(request).registration.get(
        f"/v1/federations/{federation}/{path}", session.token
    )
    return session.token, record


async def _send(
    request: Request, federation: str, path: str, token: str, body: dict[str, Any], version: str
) -> tuple[FormErrors | None, dict]:
    """Registration's answer: None and the record, or the refusal beside the fields and the
    record as stored now (its version in the form, if it changed meanwhile)."""
    services = services_of(request)
    try:
        stored = await services.registration.post(
            f"/v1/federations/{federation}/{path}:correct",
            token,
            body,
            headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
        )
        return None, stored
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 412, 422):
            raise
        fresh = await services.registration.get(f"/v1/federations/{federation}/{path}", token)
        return corrections.correction_errors(exc.status, exc.body), fresh


def _form(
    request: Request,
    template: str,
    federation: str,
    record: dict,
    values: dict,
    errors: Any,
    status: int = 200,
) -> Response:
    name = "member" if template == "member_correct.html" else "unit"
    return render(
        request,
        template,
        status=status,
        federation=federation,
        active="tree",
        values=values,
        errors=errors,
        **{name: record},
    )


@router.get("/f/{federation}/members/{code}/correct")
async def member_correction_form(request: Request, federation: str, code: str) -> Response:
    _, member = await _record(request, federation, f"members/{code}")
    values = corrections.values_of(member) | {"version": str(member.get("version", "")), "reason": ""}
    return _form(request, "member_correct.html", federation, member, values, None)


@router.post("/f/{federation}/members/{code}/correct")
async def correct_member(request: Request, federation: str, code: str) -> Response:
    token, member = await _record(request, federation, f"members/{code}")
    form = await request.form()
    values, body, errors = corrections.correction(member, {k: str(v) for k, v in form.items()})
    if not errors:
        refused, member = await _send(request, federation, f"members/{code}", token, body, values["version"])
        if refused is None:
            session, _ = federation_page(request, federation)
            session.notice(
                f"Đã đính chính thông tin của {member.get('full_name', '')}. Lịch sử vẫn giữ thông tin cũ "
                "và lý do."
            )
            return redirect(f"/f/{federation}/members/{code}")
        errors, values["version"] = refused, str(member.get("version", values["version"]))
    return _form(request, "member_correct.html", federation, member, values, errors, 422)


@router.get("/f/{federation}/units/{code}/correct")
async def unit_correction_form(request: Request, federation: str, code: str) -> Response:
    _, unit = await _record(request, federation, f"units/{code}")
    values = {"name": str(unit.get("name", "")), "reason": "", "version": str(unit.get("version", ""))}
    return _form(request, "unit_correct.html", federation, unit, values, None)


@router.post("/f/{federation}/units/{code}/correct")
async def correct_unit(request: Request, federation: str, code: str) -> Response:
    token, unit = await _record(request, federation, f"units/{code}")
    form = await request.form()
    values, body, errors = corrections.unit_correction(unit, {k: str(v) for k, v in form.items()})
    if not errors:
        refused, unit = await _send(request, federation, f"units/{code}", token, body, values["version"])
        if refused is None:
            session, _ = federation_page(request, federation)
            session.notice(
                f"Đã đính chính tên đơn vị thành {unit.get('name', '')}. Lịch sử vẫn giữ tên cũ và lý do."
            )
            return redirect(f"/f/{federation}/units/{code}")
        errors, values["version"] = refused, str(unit.get("version", values["version"]))
    return _form(request, "unit_correct.html", federation, unit, values, errors, 422)
