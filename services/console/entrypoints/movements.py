"""Launching a movement and amending an open one with a reason (federation staff)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import movements
from services.console.application.corrections import correction_errors
from services.console.application.problems import FormErrors, from_problem
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


async def _page(
    request: Request,
    federation: str,
    token: str,
    values: dict,
    awards: list[str],
    errors: FormErrors | None,
    status: int = 200,
) -> Response:
    options = await movements.award_options(services_of(request), federation, token, clock.today())
    return render(
        request,
        "movement_new.html",
        status=status,
        federation=federation,
        active="home",
        values=values,
        chosen=set(awards),
        award_options=options,
        phase_rows=range(movements.PHASE_ROWS),
        errors=errors,
    )


@router.get("/f/{federation}/movements/new")
async def new_movement(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "movement.launch")
    if person.unit:  # a unit launches for its own subtree; this page is the federation's
        raise NotFoundPage
    assert session.token is not None
    year = clock.today().year
    values = {"year": str(year), "kind": "annual", "code": f"td-{year}"}
    return await _page(request, federation, session.token, values, [], None)


@router.post("/f/{federation}/movements/new")
async def launch(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "movement.launch")
    if person.unit:
        raise NotFoundPage
    assert session.token is not None
    form = await request.form()
    awards = [str(a) for a in form.getlist("awards")]
    values = movements.form_values(dict(form))
    body = movements.movement_body(dict(form), awards)
    try:
        created = await services_of(request).registration.post(
            f"/v1/federations/{federation}/movements", session.token, body
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 422):
            raise
        problem = from_problem(exc.status, exc.body)
        return await _page(request, federation, session.token, values, awards, problem, 422)
    session.notice(f"Đã phát động {created.get('name', '')} (mã {created.get('code', '')}).")
    return redirect(f"/f/{federation}?year={created.get('year', '')}")


async def _movement(request: Request, federation: str, code: str) -> tuple[str, dict]:
    """The person's token and the movement, for federation staff (the page is the federation's,
    as the launch's is)."""
    session, person = federation_page(request, federation)
    require(person, "movement.launch")
    if person.unit:
        raise NotFoundPage
    assert session.token is not None
    path = f"/v1/federations/{federation}/movements/{code}"
    return session.token, await services_of(request).registration.get(path, session.token)


async def _amend_page(
    request: Request,
    federation: str,
    token: str,
    movement: dict,
    values: dict,
    errors: FormErrors | None,
    status: int = 200,
) -> Response:
    """`values`: the form's, its ticked `awards` among them."""
    options = await movements.amendment_options(services_of(request), federation, token, movement)
    return render(
        request,
        "movement_amend.html",
        status=status,
        federation=federation,
        active="home",
        movement=movement,
        values=values,
        chosen=set(values.get("awards") or []),
        award_options=options,
        phase_rows=range(movements.phase_rows(movement)),
        errors=errors,
    )


@router.get("/f/{federation}/movements/{code}/amend")
async def amendment_form(request: Request, federation: str, code: str) -> Response:
    token, movement = await _movement(request, federation, code)
    values = movements.amendment_values(movement)
    return await _amend_page(request, federation, token, movement, values, None)


@router.post("/f/{federation}/movements/{code}/amend")
async def amend(request: Request, federation: str, code: str) -> Response:
    token, movement = await _movement(request, federation, code)
    form = await request.form()
    awards = [str(a) for a in form.getlist("awards")]
    values, body, errors = movements.amendment(movement, dict(form), awards)
    if not errors:
        path = f"movements/{code}"
        refused, movement = await stored_or_refused(
            request,
            token,
            federation,
            path,
            "amend",
            body,
            values,
            correction_errors,
            movements.amendment_values,
        )
        if refused is None:
            session, _ = federation_page(request, federation)
            session.notice(f"Đã sửa đổi {movement.get('name', '')}. Lịch sử giữ nội dung cũ và lý do.")
            return redirect(f"/f/{federation}?year={movement.get('year', '')}")
        errors = refused
    return await _amend_page(request, federation, token, movement, values, errors, 422)
