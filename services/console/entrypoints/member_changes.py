"""A member transferred to another unit or recorded as having left, from the member's page: a
form, a check page (nothing stored yet), then the change."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.application import member_changes as changes
from services.console.application import tree
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from services.console.entrypoints.registration_changes import stored_or_refused
from shared.kernel import clock

router = APIRouter()


async def _changeable(request: Request, federation: str, code: str, action: str) -> tuple[str, dict]:
    """The person's token and the member, if this person may change the tree and the member is
    theirs to see (registration answers "not found" otherwise) and has not left."""
    session, person = federation_page(request, federation)
    require(person, "tree.write")
    if action not in changes.ACTIONS:
        raise NotFoundPage
    assert session.token is not None
    member = await services_of(request).registration.get(
        f"/v1/federations/{federation}/members/{code}", session.token
    )
    if member.get("left_on"):
        raise NotFoundPage
    return session.token, member


async def _form(
    request: Request,
    federation: str,
    token: str,
    member: dict,
    change: changes.MemberChange,
    errors: FormErrors | None,
    status: int = 200,
) -> Response:
    options: list[dict] = []
    if change.action == "transfer":
        units = await tree.unit_options(services_of(request), token, federation, clock.today())
        options = [u for u in units if u.get("code") != member.get("unit")]
    return render(
        request,
        "member_change.html",
        status=status,
        federation=federation,
        active="tree",
        member=member,
        change=change,
        verb=changes.ACTIONS[change.action][0],
        options=options,
        values=change.values,
        errors=errors,
    )


@router.get("/f/{federation}/members/{code}/{action}")
async def member_change_form(request: Request, federation: str, code: str, action: str) -> Response:
    token, member = await _changeable(request, federation, code, action)
    change = changes.MemberChange(action, {"version": str(member.get("version", "")), "effective_on": ""})
    return await _form(request, federation, token, member, change, None)


@router.post("/f/{federation}/members/{code}/{action}")
async def change_member(request: Request, federation: str, code: str, action: str) -> Response:
    """step=check (the form's button): the check page; step=confirm: the change is sent;
    step=edit: back to the form with what was typed."""
    token, member = await _changeable(request, federation, code, action)
    form = await request.form()
    change = changes.change_from_form(action, {k: str(v) for k, v in form.items()})
    step = str(form.get("step") or "check")
    services = services_of(request)
    if step == "edit":
        return await _form(request, federation, token, member, change, None)
    errors = await changes.check_change(services, token, federation, member, change)
    if errors:
        return await _form(request, federation, token, member, change, errors, 422)
    verb, button = changes.ACTIONS[action]
    if step != "confirm":
        return render(
            request,
            "member_change_check.html",
            federation=federation,
            active="tree",
            member=member,
            change=change,
            verb=verb,
            button=button,
        )
    refused, fresh = await stored_or_refused(
        request,
        token,
        federation,
        f"members/{code}",
        action,
        change.body(),
        change.values,
        changes.change_errors,
    )
    if refused is not None:
        return await _form(request, federation, token, fresh, change, refused, 422)
    session, _ = federation_page(request, federation)
    session.notice(changes.change_notice(member, change))
    return redirect(f"/f/{federation}/members/{code}")
