"""Printing from a decision's page (the decision as .docx or PDF, all its certificates, one
grant's certificate), for those who see decisions; and the public page where anyone checks a
certificate by its verification code (/xac-minh), without signing in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import printing
from services.console.entrypoints.common import error_page, redirect, render, services_of
from services.console.entrypoints.decisions import _approver_page

router = APIRouter()


async def _printed(request: Request, federation: str, path: str) -> Response:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    try:
        return await printing.passed_on(
            services_of(request).awards, f"/v1/federations/{federation}{path}", session.token
        )
    except ServiceError as exc:
        if exc.status != 409:
            raise
        return error_page(
            request,
            409,
            "Không in được bằng khen",
            "Khen thưởng này đã bị thu hồi nên không in bằng khen, giấy khen.",
        )


@router.get("/f/{federation}/decisions/{decision_id}/quyet-dinh.docx")
async def decision_docx(request: Request, federation: str, decision_id: str) -> Response:
    return await _printed(request, federation, f"/decisions/{decision_id}/document.docx")


@router.get("/f/{federation}/decisions/{decision_id}/quyet-dinh.pdf")
async def decision_pdf(request: Request, federation: str, decision_id: str) -> Response:
    return await _printed(request, federation, f"/decisions/{decision_id}/document.pdf")


@router.get("/f/{federation}/decisions/{decision_id}/bang-khen.pdf")
async def decision_certificates(request: Request, federation: str, decision_id: str) -> Response:
    """Every certificate of the decision, one page each (revoked grants left out)."""
    return await _printed(request, federation, f"/decisions/{decision_id}/certificates.pdf")


@router.get("/f/{federation}/decisions/grants/{grant_id}/bang-khen.pdf")
async def grant_certificate(request: Request, federation: str, grant_id: str) -> Response:
    return await _printed(request, federation, f"/grants/{grant_id}/certificate.pdf")


# -- the public check ----------------------------------------------------------------------------


@router.get("/xac-minh")
async def verify_form(request: Request, ma: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """The form (GET, so it works without a session or JavaScript); a code typed goes to its page."""
    if ma is None:
        return render(request, "verify.html", code="", typed="", found=None, asked=False)
    code = printing.typed_code(ma)
    if code is None:
        return render(request, "verify.html", status=404, code="", typed=ma, found=None, asked=True)
    return redirect(f"/xac-minh/{code}")


@router.get("/xac-minh/{code}")
async def verify_page(request: Request, code: str) -> Response:
    typed = printing.typed_code(code)
    found = await printing.verification(services_of(request).awards, typed) if typed else None
    status = 200 if found else 404
    return render(
        request, "verify.html", status=status, code=typed or "", typed=code, found=found, asked=True
    )
