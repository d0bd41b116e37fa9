"""A unit's and its subunits' workers and members counted on a day (số liệu lao động, đoàn
viên), typed in one form and recorded as one list; a day already counted is corrected with a
reason. Before tree's /units/{code}/{action} routes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import headcounts
from services.console.application.formatting import date_vn
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from shared.kernel import clock

router = APIRouter()
PATH = "/f/{federation}/units/{code}/so-lieu"


async def _page(
    request: Request,
    federation: str,
    code: str,
    values: dict[str, str],
    errors: FormErrors | None,
    status: int = 200,
    typed_rows: list[str] | None = None,
) -> Response:
    """`typed_rows`: the units of the form sent, in its order (shown again as they were)."""
    session, person = federation_page(request, federation)
    require(person, "tree.write")
    assert session.token is not None
    form = await headcounts.form_of(services_of(request), session.token, federation, code, clock.today())
    if typed_rows is not None:
        form.rows = headcounts.rows_named(typed_rows, form.rows)
    return render(
        request,
        "unit_headcounts.html",
        status=status,
        federation=federation,
        active="tree",
        form=form,
        values=values,
        errors=errors,
    )


@router.get(PATH)
async def headcount_form(request: Request, federation: str, code: str) -> Response:
    values = {"counted_on": date_vn(clock.today()), "reason": ""}
    return await _page(request, federation, code, values, None)


@router.post(PATH)
async def record(request: Request, federation: str, code: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "tree.write")
    assert session.token is not None
    services = services_of(request)
    typed = {k: str(v) for k, v in (await request.form()).items()}
    # The units as the form showed them (its hidden codes), not as the tree is now: a unit added
    # meanwhile must not move the figures typed onto another unit's row.
    rows = headcounts.rows_typed(typed)
    values, body, sent, errors = headcounts.headcounts_body(rows, typed)
    if not errors:
        try:
            await services.registration.post(f"/v1/federations/{federation}/headcounts", session.token, body)
        except ServiceError as exc:
            if exc.status not in (400, 404, 409, 422):
                raise
            errors = headcounts.refusal(exc.status, exc.body, sent)
        else:
            counted = len(body["headcounts"])
            session.notice(f"Đã ghi số lao động, đoàn viên của {counted} đơn vị ngày {values['counted_on']}.")
            return redirect(f"/f/{federation}/units/{code}")
    return await _page(request, federation, code, values, errors, 422, [r["code"] for r in rows])
