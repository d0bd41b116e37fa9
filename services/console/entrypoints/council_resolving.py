"""Resolving a council: the check page (the agenda, who is present, whether the secret ballot's
key is needed) and the resolution, with each nomination's result."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import councils
from services.console.application.award_problems import form_errors
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from services.console.entrypoints.council_access import HANDLED, council_for

router = APIRouter()


async def _resolve_page(
    request: Request, federation: str, code: str, errors: FormErrors | None = None, status: int = 200
) -> Response:
    _, person, body = await council_for(request, federation, code)
    require(person, "council.manage")
    return render(
        request,
        "council_resolve.html",
        status=status,
        federation=federation,
        active="councils",
        council=body,
        items=councils.agenda(body, person.sub),
        present=councils.present(body),
        needs_key=body.get("ballot_key_held") is False,
        errors=errors,
    )


@router.get("/f/{federation}/councils/{code}/resolve")
async def resolve_check(request: Request, federation: str, code: str) -> Response:
    return await _resolve_page(request, federation, code)


@router.post("/f/{federation}/councils/{code}/resolve")
async def resolve(request: Request, federation: str, code: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "council.manage")
    assert session.token is not None
    form = await request.form()
    # A textarea sends its lines with CR LF; the key is PEM text with LF.
    secret = str(form.get("ballot_secret") or "").replace("\r\n", "\n").strip()
    version = str(form.get("version") or "")
    try:
        body = await councils.resolve(services_of(request), session.token, federation, code, version, secret)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        errors = form_errors(exc.status, exc.body)
        if exc.status == 409 and "ballot_secret" in str(exc.body.get("detail", "")):
            errors = FormErrors()
            errors.add("ballot_secret", "Dán khóa phiếu kín đã nhận khi triệu tập Hội đồng")
        return await _resolve_page(request, federation, code, errors, 409 if exc.status == 409 else 422)
    results = body.get("results") or []
    passed = sum(1 for r in results if r.get("passed"))
    session.notice(
        f"Hội đồng đã kết thúc biểu quyết: {passed}/{len(results)} đề nghị được thông qua. "
        "Lãnh đạo có thể ban hành quyết định khen thưởng cho các đề nghị được thông qua."
    )
    return redirect(f"/f/{federation}/councils/{code}")
