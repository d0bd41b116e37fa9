"""Who could (the auditor's question, README "Access"): choose an action, a day and optionally a
unit; the page shows every assignment that allowed it that day — person, role, place, from and
until, who granted it and why — from registration's …/access/who-could. A federation's admins
and auditors ask about their federation (/f/{federation}/ai-duoc-phep); national ones also
nationally (/quoc-gia/ai-duoc-phep). Anyone else is told the page does not exist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import people, who_could
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    render,
    require,
    services_of,
    signed_in,
)
from shared.kernel import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]


async def _ask(
    request: Request, path: str, token: str, values: dict[str, str], names: dict[str, str]
) -> tuple[dict[str, Any] | None, FormErrors]:
    """Registration's answer to the question on the form, or the errors naming its fields."""
    errors = FormErrors()
    question = who_could.read(values, clock.today(), errors)
    if question is None:
        return None, errors
    services = services_of(request)
    try:
        body: dict[str, Any] = await services.registration.get(path, token, **who_could.params(question))
    except ServiceError as exc:
        if exc.status not in (400, 404, 422):
            raise
        errors = from_problem(exc.status, exc.body)
        if exc.status == 404 and not errors.fields and question.unit:
            errors.add("unit", "Đơn vị này không có trong liên đoàn vào ngày đã chọn")
        return None, errors
    return body, errors


def _page(request: Request, answer: dict[str, Any] | None, errors: FormErrors, **context: Any) -> Response:
    names, federation_names = context.pop("names"), context.pop("federation_names")
    return render(
        request,
        "who_could.html",
        status=422 if errors else 200,
        active="people" if context.get("federation") else "national-people",
        actions=who_could.ACTION_LABELS,
        answer=answer,
        holders=who_could.holders(answer, names, federation_names) if answer else [],
        roles=who_could.roles_of(answer) if answer else [],
        errors=errors or None,
        **context,
    )


@router.get("/f/{federation}/ai-duoc-phep")
async def in_federation(
    request: Request, federation: str, action: Text = None, on: Text = None, unit: Text = None
) -> Response:
    session, person = federation_page(request, federation)
    require(person, "audit.read")
    assert session.token is not None
    services = services_of(request)
    units = await people.units(services, session.token, federation)
    names = people.unit_names(units)
    fed_name = await people.federation_name(services, session.token, federation)
    values = {"action": action or "", "on": on or "", "unit": unit or ""}
    path = f"/v1/federations/{federation}/access/who-could"
    answer, errors = await _ask(request, path, session.token, values, names)
    return _page(
        request,
        answer,
        errors,
        federation=federation,
        action_url=f"/f/{federation}/ai-duoc-phep",
        place=names.get(unit or "", fed_name) if unit else fed_name,
        back=f"/f/{federation}/nguoi-dung",
        values=values,
        units=units,
        names=names,
        federation_names={federation: fed_name},
    )


@router.get("/quoc-gia/ai-duoc-phep")
async def nationally(request: Request, action: Text = None, on: Text = None) -> Response:
    session = signed_in(request)
    person = session.principal
    if person is None or not person.is_national or session.token is None:
        raise NotFoundPage
    require(person, "audit.read")
    values = {"action": action or "", "on": on or "", "unit": ""}
    answer, errors = await _ask(request, "/v1/access/who-could", session.token, values, {})
    return _page(
        request,
        answer,
        errors,
        action_url="/quoc-gia/ai-duoc-phep",
        place="Toàn quốc",
        back="/quoc-gia/nguoi-dung",
        values=values,
        units=None,
        names={},
        federation_names={},
    )
