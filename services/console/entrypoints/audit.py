"""The auditor's pages (action `audit.read`): find a member or unit, its history as of a date
with the awards it held that day, one record's event trail (who, when, why), and the state of the
services' tamper-evident chains. Anyone else, and any other federation, is told "not found"."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import audit_chains, audit_history, audit_trail, audit_words, tree
from services.console.application.formatting import date_vn, parse_date_vn
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import NotFoundPage, federation_page, render, require, services_of
from shared.kernel import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]
RECORD = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
ANCHOR = re.compile(r"^\d+:[0-9a-fA-F]{64}$")


def _auditor(request: Request, federation: str) -> str:
    session, person = federation_page(request, federation)
    require(person, "audit.read")
    assert session.token is not None
    return session.token


def _as_of(text: str | None, errors: FormErrors) -> date | None:
    if not text or not text.strip():
        return None
    parsed = parse_date_vn(text)
    if parsed is None:
        errors.add("as_of", "Nhập ngày theo dạng dd/mm/yyyy")
    return parsed


@router.get("/f/{federation}/audit")
async def start(request: Request, federation: str, q: Text = None) -> Response:
    token = _auditor(request, federation)
    results = None
    if q and q.strip():
        results = await tree.search_members(
            services_of(request), token, federation, q.strip(), clock.today(), None
        )
    return render(
        request,
        "audit.html",
        federation=federation,
        active="audit",
        title="Kiểm tra",
        q=q or "",
        results=results,
        errors=FormErrors(),
        typed={},
    )


@router.get("/f/{federation}/audit/history")
async def subject_history(
    request: Request, federation: str, kind: Text = None, code: Text = None, as_of: Text = None
) -> Response:
    token = _auditor(request, federation)
    errors = FormErrors()
    if kind not in ("member", "unit"):
        errors.add("kind", "Chọn Cá nhân hoặc Tập thể")
    if not code or not code.strip():
        errors.add("code", "Nhập mã đoàn viên hoặc mã đơn vị")
    on = _as_of(as_of, errors)
    typed = {"kind": kind or "", "code": code or "", "as_of": as_of or ""}
    if errors:
        return render(
            request,
            "audit.html",
            status=400,
            federation=federation,
            active="audit",
            title="Kiểm tra",
            q="",
            results=None,
            errors=errors,
            typed=typed,
        )
    assert kind is not None and code is not None
    view = await audit_history.history(services_of(request), token, federation, kind, code.strip(), on)
    return render(
        request,
        "audit_history.html",
        federation=federation,
        active="audit",
        view=view,
        as_of_text=date_vn(on) if on else "",
        on=on,
        errors=errors,
    )


@router.get("/f/{federation}/audit/records/{service}/{record_id}")
async def record_trail(request: Request, federation: str, service: str, record_id: str) -> Response:
    token = _auditor(request, federation)
    if service not in audit_words.SERVICES or not RECORD.match(record_id):
        raise NotFoundPage
    events, about = await audit_trail.trail(services_of(request), token, federation, service, record_id)
    return render(
        request,
        "audit_record.html",
        federation=federation,
        active="audit",
        events=events,
        about=about,
        service=service,
        service_label=audit_words.SERVICES[service],
        record_id=record_id,
    )


@router.get("/f/{federation}/audit/chain")
async def chain(
    request: Request,
    federation: str,
    fresh: Text = None,
    anchor_registration: Text = None,
    anchor_awards: Text = None,
) -> Response:
    token = _auditor(request, federation)
    errors = FormErrors()
    anchors: dict[str, str | None] = {}
    for service, text in (("registration", anchor_registration), ("awards", anchor_awards)):
        value = (text or "").strip()
        if value and not ANCHOR.match(value):
            errors.add(
                f"anchor_{service}", "Nhập mã đầu chuỗi đúng như đã ghi: số, dấu hai chấm, 64 ký tự 0-9 a-f"
            )
            value = ""
        anchors[service] = value or None
    try:
        chains = await audit_chains.chains(services_of(request), token, bool(fresh), anchors)
    except ServiceError:
        errors.add("anchor_registration", "Mã đầu chuỗi không hợp lệ")
        chains = await audit_chains.chains(services_of(request), token, False, {})
    return render(
        request,
        "audit_chain.html",
        federation=federation,
        active="audit",
        chains=chains,
        errors=errors,
        typed={"anchor_registration": anchor_registration or "", "anchor_awards": anchor_awards or ""},
    )
