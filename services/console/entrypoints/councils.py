"""Councils: a member's councils and agenda, one nomination with its verdict and the ballot,
stepping aside; staff record an absent member's written vote. Convening is in
council_convening, resolving in council_resolving, who may see a council in council_access.

No page shows how anyone voted, only whether they did."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import access, councils, disclosure, nominations
from services.console.application.award_problems import form_errors
from services.console.application.list_columns import COUNCILS
from services.console.application.list_sorting import sorted_rows, table_view
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import (
    FORM_FIELDS,
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from services.console.entrypoints.council_access import HANDLED, council_for, is_staff
from shared.kernel import clock

router = APIRouter()
YearQuery = Annotated[int | None, Query(ge=1945, le=2100)]


@router.get("/f/{federation}/councils")
async def council_list(
    request: Request,
    federation: str,
    year: YearQuery = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    if not (is_staff(person) or access.allowed(person, "council.vote")):
        raise NotFoundPage
    year = year or clock.today().year
    member = None if is_staff(person) else person.sub
    items = await councils.listing(services_of(request), session.token, federation, year, member)
    table = table_view(COUNCILS, f"/f/{federation}/councils", {"year": year}, sort)
    items = sorted_rows(items, COUNCILS, table["sort"])
    return render(
        request, "councils.html", federation=federation, active="councils", year=year, items=items, **table
    )


@router.get("/f/{federation}/councils/{code}")
async def council_page(request: Request, federation: str, code: str) -> Response:
    return await _council_view(request, federation, code)


async def _council_view(
    request: Request,
    federation: str,
    code: str,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    _, person, body = await council_for(request, federation, code)
    return render(
        request,
        "council.html",
        status=status,
        federation=federation,
        active="councils",
        council=body,
        items=councils.agenda(body, person.sub),
        present=councils.present(body),
        staff=is_staff(person),
        member=councils.sits_on(body, person.sub),
        CHOICES=councils.CHOICES,
        errors=errors,
    )


@router.post("/f/{federation}/councils/{code}/agenda")
async def vote_agenda(request: Request, federation: str, code: str) -> Response:
    """A member's ballot for the whole agenda from one form: each nomination they chose for."""
    session, person = federation_page(request, federation)
    assert session.token is not None
    require(person, "council.vote")
    form = await request.form(max_fields=FORM_FIELDS)
    chosen = {
        key.removeprefix("choice-"): str(value)
        for key, value in form.items()
        if key.startswith("choice-") and str(value) in councils.CHOICES
    }
    if not chosen:
        errors = FormErrors()
        errors.add("agenda", "Chọn phương án cho ít nhất một đề nghị")
        return await _council_view(request, federation, code, errors, 422)
    try:
        answer = await councils.vote_agenda(services_of(request), session.token, federation, code, chosen)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        rows = list(chosen)
        errors = form_errors(exc.status, exc.body)
        for problem in errors.fields:  # votes.<i>.nomination: the row's own choice
            parts = problem.field.split(".")
            if parts[0] == "votes" and len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
                problem.field = "choice-" + rows[int(parts[1])]
        # The form comes back empty: a choice is never shown again, even to its voter.
        return await _council_view(request, federation, code, errors, 409 if exc.status == 409 else 422)
    # Never the choices: the next person at this screen must not learn them.
    session.notice(f"Đã ghi nhận phiếu của bạn cho {answer['recorded']} đề nghị.")
    return redirect(f"/f/{federation}/councils/{code}")


async def _item_page(
    request: Request,
    federation: str,
    code: str,
    nomination_id: str,
    errors: FormErrors | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    session, person, body = await council_for(request, federation, code)
    assert session.token is not None
    found = [i for i in councils.agenda(body, person.sub) if i.nomination == nomination_id]
    if not found:
        raise NotFoundPage
    nomination = await services_of(request).awards.get(
        f"/v1/federations/{federation}/nominations/{nomination_id}", session.token
    )
    shown = await disclosure.status(services_of(request), session.token, federation, nomination)
    return render(
        request,
        "council_item.html",
        status=status,
        federation=federation,
        active="councils",
        council=body,
        item=found[0],
        nomination=nomination,
        verdict=nomination.get("verdict"),
        clause_label=nominations.clause_label,
        facts=nominations.facts,
        staff=is_staff(person),
        CHOICES=councils.CHOICES,
        absent=[
            m
            for m in body.get("members", [])
            if m["user"] not in body.get("voted", {}).get(nomination_id, [])
            and not councils.recused(body, m["user"], nomination_id)
        ],
        errors=errors,
        values=values or {},
        disclosure=shown,
        disclosure_errors=None,
        disclosure_values={},
        CHANNELS=disclosure.CHANNELS,
    )


@router.get("/f/{federation}/councils/{code}/n/{nomination_id}")
async def agenda_item(request: Request, federation: str, code: str, nomination_id: str) -> Response:
    return await _item_page(request, federation, code, nomination_id)


@router.post("/f/{federation}/councils/{code}/n/{nomination_id}/{act}")
async def act_on_item(request: Request, federation: str, code: str, nomination_id: str, act: str) -> Response:
    """`vote` (a member's own), `recuse` (a member steps aside), `written` (staff record an absent
    member's written vote)."""
    session, person = federation_page(request, federation)
    assert session.token is not None
    if act not in ("vote", "recuse", "written"):
        raise NotFoundPage
    require(person, "council.manage" if act == "written" else "council.vote")
    form = await request.form()
    choice = str(form.get("choice") or "")
    reason = str(form.get("reason") or "").strip()
    member = str(form.get("member") or "")
    errors = FormErrors()
    if act in ("vote", "written") and choice not in councils.CHOICES:
        errors.add("choice", "Chọn một phương án để bỏ phiếu")
    if act == "written" and not member:
        errors.add("member", "Chọn thành viên vắng mặt đã gửi phiếu")
    if act == "recuse" and not reason:
        errors.add("reason", "Nhập lý do không tham gia biểu quyết")
    if errors:
        return await _item_page(request, federation, code, nomination_id, errors, 422, {"reason": reason})
    services = services_of(request)
    try:
        if act == "recuse":
            await councils.recuse(services, session.token, federation, code, nomination_id, reason)
        else:
            await councils.vote(services, session.token, federation, code, nomination_id, choice, member)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        return await _item_page(
            request,
            federation,
            code,
            nomination_id,
            form_errors(exc.status, exc.body),
            409,
            {"reason": reason},
        )
    # The notice never repeats the choice: the next person at this screen must not learn it.
    session.notice(
        {
            "vote": "Đã ghi nhận phiếu của bạn.",
            "recuse": "Đã ghi nhận: bạn không tham gia biểu quyết đề nghị này.",
            "written": "Đã ghi nhận phiếu bằng văn bản của thành viên vắng mặt.",
        }[act]
    )
    return redirect(f"/f/{federation}/councils/{code}")
