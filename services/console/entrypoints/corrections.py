"""Stored details corrected with a reason from the record's page: a member's details, a unit's
name. One form each; registration keeps the old value in the history beside the reason."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.application import corrections
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from services.console.entrypoints.registration_changes import stored_or_refused

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
        refused, member = await stored_or_refused(
            request,
            token,
            federation,
            f"members/{code}",
            "correct",
            body,
            values,
            corrections.correction_errors,
        )
        if refused is None:
            session, _ = federation_page(request, federation)
            session.notice(
                f"Đã đính chính thông tin của {member.get('full_name', '')}. Lịch sử vẫn giữ thông tin cũ "
                "và lý do."
            )
            return redirect(f"/f/{federation}/members/{code}")
        errors = refused
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
        refused, unit = await stored_or_refused(
            request,
            token,
            federation,
            f"units/{code}",
            "correct",
            body,
            values,
            corrections.correction_errors,
        )
        if refused is None:
            session, _ = federation_page(request, federation)
            session.notice(
                f"Đã đính chính tên đơn vị thành {unit.get('name', '')}. Lịch sử vẫn giữ tên cũ và lý do."
            )
            return redirect(f"/f/{federation}/units/{code}")
        errors = refused
    return _form(request, "unit_correct.html", federation, unit, values, errors, 422)
