"""Public disclosure in the console: the federation's public board at /cong-khai/{federation}
(no sign-in: what the law makes public), and on a nomination's page the staff's forms to start
its disclosure and to record an objection the federation received."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import disclosure
from services.console.application.award_problems import form_errors
from services.console.application.formatting import parse_date_vn
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from services.console.entrypoints.council_access import HANDLED
from services.console.entrypoints.nominations import nomination_page

router = APIRouter()
OBJECTION_FIELDS = ("by", "received_on", "channel", "text")


@router.get("/cong-khai/{federation}")
async def public_board(request: Request, federation: str) -> Response:
    board = await disclosure.public_board(services_of(request).awards, federation)
    if board is None:
        raise NotFoundPage
    return render(request, "disclosure_board.html", federation=federation, items=board["items"])


@router.post("/f/{federation}/nominations/{nomination_id}/cong-khai")
async def start_disclosure(request: Request, federation: str, nomination_id: str) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    require(person, "nomination.forward")
    form = await request.form()
    typed = str(form.get("starts_on") or "")
    starts_on = parse_date_vn(typed)
    if starts_on is None:
        errors = FormErrors()
        errors.add("starts_on", "Nhập ngày bắt đầu công khai theo dạng dd/mm/yyyy")
        return await _again(request, federation, nomination_id, errors, {"starts_on": typed})
    try:
        await disclosure.disclose(services_of(request), session.token, federation, nomination_id, starts_on)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        return await _again(
            request, federation, nomination_id, form_errors(exc.status, exc.body), {"starts_on": typed}
        )
    session.notice("Đã bắt đầu công khai đề nghị; danh sách công khai đã có đề nghị này.")
    return redirect(f"/f/{federation}/nominations/{nomination_id}#cong-khai")


@router.post("/f/{federation}/nominations/{nomination_id}/phan-anh")
async def record_objection(request: Request, federation: str, nomination_id: str) -> Response:
    """An objection the federation received (a letter, in person…), recorded by its staff."""
    session, person = federation_page(request, federation)
    assert session.token is not None
    require(person, "nomination.forward")
    form = await request.form()
    values = {k: str(form.get(k) or "").strip() for k in OBJECTION_FIELDS}
    errors = FormErrors()
    received_on = parse_date_vn(values["received_on"])
    if not values["by"]:
        errors.add("by", "Nhập họ tên người (hoặc những người) phản ánh")
    if received_on is None:
        errors.add("received_on", "Nhập ngày nhận phản ánh theo dạng dd/mm/yyyy")
    if values["channel"] not in disclosure.CHANNELS:
        errors.add("channel", "Chọn hình thức nhận phản ánh")
    if not values["text"]:
        errors.add("text", "Nhập nội dung phản ánh")
    if errors:
        return await _again(request, federation, nomination_id, errors, values)
    assert received_on is not None
    body = {**values, "received_on": received_on.isoformat()}
    try:
        await disclosure.record_objection(
            services_of(request), session.token, federation, nomination_id, body
        )
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        return await _again(request, federation, nomination_id, form_errors(exc.status, exc.body), values)
    session.notice("Đã ghi nhận phản ánh; Hội đồng xem được ở đề nghị này.")
    return redirect(f"/f/{federation}/nominations/{nomination_id}#cong-khai")


async def _again(
    request: Request, federation: str, nomination_id: str, errors: FormErrors, values: dict[str, str]
) -> Response:
    return await nomination_page(
        request, federation, nomination_id, status=422, disclosure_errors=errors, disclosure_values=values
    )
