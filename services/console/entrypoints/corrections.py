"""Stored details corrected with a reason from the record's page: a member's details, a unit's
name, an initiative's or a work's details. One form each; registration keeps the old value in
the history beside the reason."""

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
            corrections.values_of,
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
            lambda fresh: {"name": str(fresh.get("name", ""))},
        )
        if refused is None:
            session, _ = federation_page(request, federation)
            session.notice(
                f"Đã đính chính tên đơn vị thành {unit.get('name', '')}. Lịch sử vẫn giữ tên cũ và lý do."
            )
            return redirect(f"/f/{federation}/units/{code}")
        errors = refused
    return _form(request, "unit_correct.html", federation, unit, values, errors, 422)


# An initiative's or a work's details, each at its literal path (a path parameter for the
# resource would catch other pages' URLs), before activities' /{code}/{action} steps.
ACTIVITIES = {
    "initiatives": ("initiative.write", "sáng kiến", "title"),
    "works": ("work.write", "công trình", "name"),
}


async def _activity(request: Request, federation: str, resource: str, code: str) -> tuple[str, dict]:
    session, person = federation_page(request, federation)
    require(person, ACTIVITIES[resource][0])
    assert session.token is not None
    path = f"/v1/federations/{federation}/{resource}/{code}"
    return session.token, await services_of(request).registration.get(path, session.token)


def _activity_form(
    request: Request, federation: str, resource: str, item: dict, values: dict, errors: Any, status: int = 200
) -> Response:
    return render(
        request,
        "activity_correct.html",
        status=status,
        federation=federation,
        active=resource,
        resource=resource,
        noun=ACTIVITIES[resource][1],
        name=item.get(ACTIVITIES[resource][2]) or item.get("code", ""),
        fields=corrections.activity_fields(resource, item),
        item=item,
        values=values,
        errors=errors,
    )


async def activity_correction_form(request: Request, federation: str, resource: str, code: str) -> Response:
    _, item = await _activity(request, federation, resource, code)
    values = corrections.activity_values(resource, item)
    values |= {"version": str(item.get("version", "")), "reason": ""}
    return _activity_form(request, federation, resource, item, values, None)


async def correct_activity(request: Request, federation: str, resource: str, code: str) -> Response:
    token, item = await _activity(request, federation, resource, code)
    form = await request.form()
    typed = {k: str(v) for k, v in form.items()}
    values, body, errors = corrections.activity_correction(resource, item, typed)
    if not errors:
        path, refusal = f"{resource}/{code}", corrections.correction_errors
        refused, item = await stored_or_refused(
            request, token, federation, path, "correct", body, values, refusal,
            lambda fresh: corrections.activity_values(resource, fresh),
        )  # fmt: skip
        if refused is None:
            session, _ = federation_page(request, federation)
            name = item.get(ACTIVITIES[resource][2]) or code
            noun = ACTIVITIES[resource][1]
            session.notice(f"Đã đính chính thông tin {noun} “{name}”. Lịch sử vẫn giữ thông tin cũ và lý do.")
            return redirect(f"/f/{federation}/{resource}/{code}")
        errors = refused
    return _activity_form(request, federation, resource, item, values, errors, 422)


def _activity_routes(resource: str) -> None:
    async def form(request: Request, federation: str, code: str) -> Response:
        return await activity_correction_form(request, federation, resource, code)

    async def correct(request: Request, federation: str, code: str) -> Response:
        return await correct_activity(request, federation, resource, code)

    path = f"/f/{{federation}}/{resource}/{{code}}/correct"
    for handler, method in ((form, "GET"), (correct, "POST")):
        handler.__name__ = f"{resource}_correction_{handler.__name__}"
        router.add_api_route(path, handler, methods=[method])


for _resource in ACTIVITIES:
    _activity_routes(_resource)
