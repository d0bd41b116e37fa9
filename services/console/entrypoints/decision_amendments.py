"""A decision amended (lines removed, names corrected) or cancelled from its page, each with a
reason; for those who issue decisions (anyone else is told the pages do not exist). Awards
decides who may change which decision: its refusals show beside the field, in Vietnamese.
Included by decisions.py's router."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import access, decision_amendments, decisions
from services.console.application.award_problems import form_errors
from services.console.application.list_sorting import download_link
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import NotFoundPage, federation_page, redirect, render, services_of

router = APIRouter()
HANDLED = (400, 403, 404, 409, 412, 422)


def _token(request: Request, federation: str) -> tuple[Any, str]:
    session, person = federation_page(request, federation)
    if not access.allowed(person, "decision.issue") or session.token is None:
        raise NotFoundPage
    return session, session.token


async def _page(
    request: Request, federation: str, decision_id: str, errors: FormErrors, values: dict[str, Any]
) -> Response:
    """The decision's page again, the refused form's errors beside its fields."""
    _, token = _token(request, federation)
    body = await decisions.decision(services_of(request), token, federation, decision_id)
    download = download_link(f"/f/{federation}/decisions/{decision_id}/grants", {}, None)
    return render(
        request, "decision.html", status=422, federation=federation, active="decisions", decision=body,
        download=download, errors=errors, values=values,
    )  # fmt: skip


async def _send(request: Request, federation: str, decision_id: str, what: str, change: Any) -> Any:
    """POST …:`what` with the page's version (If-Match); a refusal as form errors."""
    _, token = _token(request, federation)
    version = change.values.get("version", "")
    try:
        return await services_of(request).awards.post(
            f"/v1/federations/{federation}/decisions/{decision_id}:{what}",
            token,
            change.body,
            headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
        )
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        fields = decision_amendments.AMEND_FIELDS if what == "amend" else decision_amendments.CANCEL_FIELDS
        return form_errors(exc.status, exc.body, fields)


@router.post("/f/{federation}/decisions/{decision_id}/amend")
async def amend(request: Request, federation: str, decision_id: str) -> Response:
    session, token = _token(request, federation)
    form = await request.form()
    body = await decisions.decision(services_of(request), token, federation, decision_id)
    standing = [g for g in body["lines"] if not g.get("cancelled_on")]
    change = decision_amendments.amendment(form, standing)
    done = change.errors or await _send(request, federation, decision_id, "amend", change)
    if isinstance(done, FormErrors):
        return await _page(request, federation, decision_id, done, change.values)
    session.notice(
        f"Đã sửa Quyết định số {done['number']}: bỏ {len(change.body['remove'])} khen thưởng, "
        f"đính chính {len(change.body['correct'])} tên. Khen thưởng bị bỏ được coi như chưa từng "
        "được tặng; báo cáo khen thưởng cập nhật sau ít phút."
    )
    return redirect(f"/f/{federation}/decisions/{decision_id}")


@router.post("/f/{federation}/decisions/{decision_id}/cancel")
async def cancel(request: Request, federation: str, decision_id: str) -> Response:
    session, _ = _token(request, federation)
    change = decision_amendments.cancellation(await request.form())
    done = change.errors or await _send(request, federation, decision_id, "cancel", change)
    if isinstance(done, FormErrors):
        return await _page(request, federation, decision_id, done, change.values)
    session.notice(
        f"Đã hủy Quyết định số {done['number']}. Mọi khen thưởng trong quyết định được coi như chưa "
        "từng được tặng; số quyết định vẫn giữ, không dùng lại được."
    )
    return redirect(f"/f/{federation}/decisions/{decision_id}")
