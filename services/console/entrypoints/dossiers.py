"""Dossier files: attached on a nomination's page (its "Hồ sơ" section) by whoever may submit
nominations there, and a decision's signed scan on a page of its own (linked from the
decision's page) by those who may issue decisions; each downloaded as awards streams it, under
awards' read rules (a file the person may not see is "not found")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response, StreamingResponse
from starlette.datastructures import UploadFile

from services.console.application import decisions, dossiers
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from services.console.entrypoints.decisions import _approver_page, _issuer_page
from services.console.entrypoints.nominations import nomination_page

router = APIRouter()
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


async def _chosen(request: Request) -> tuple[str, UploadFile | None]:
    form = await request.form()  # already read by the CSRF check
    file = form.get("file")
    chosen = file if isinstance(file, UploadFile) and file.filename else None
    return str(form.get("kind") or "").strip(), chosen


async def _send(request: Request, token: str, where: tuple[str, str, str]) -> tuple[str, FormErrors]:
    """The chosen file sent to awards: the name it was stored under, or the Vietnamese refusals."""
    kind, file = await _chosen(request)
    errors = FormErrors()
    if file is None:
        errors.add("file", "Chọn tệp cần tải lên")
        return "", errors
    content = await file.read()
    if len(content) > dossiers.MAX_BYTES:  # not sent: awards would refuse it
        errors.add("file", dossiers.FILE_MESSAGES[0][1])
        return "", errors
    sent = (file.filename or "tep", content, file.content_type or "application/octet-stream")
    stored, errors = await dossiers.upload(services_of(request), token, where, kind, sent)
    return (stored or {}).get("file_name", ""), errors


@router.post("/f/{federation}/nominations/{nomination_id}/ho-so")
async def attach_to_nomination(request: Request, federation: str, nomination_id: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "nomination.submit")
    assert session.token is not None
    name, errors = await _send(request, session.token, (federation, "nomination", nomination_id))
    if errors:
        kind, _ = await _chosen(request)
        return await nomination_page(request, federation, nomination_id, errors, {"kind": kind}, 422)
    session.notice(f"Đã thêm tệp {name} vào hồ sơ đề nghị.")
    return redirect(f"/f/{federation}/nominations/{nomination_id}#ho-so")


@router.get("/f/{federation}/nominations/{nomination_id}/ho-so/{sha256}")
async def nomination_file(
    request: Request, federation: str, nomination_id: str, sha256: Sha256
) -> StreamingResponse:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    where = (federation, "nomination", nomination_id)
    return await dossiers.stream(services_of(request), session.token, where, sha256)


async def _scan_page(
    request: Request, federation: str, decision_id: str, errors: FormErrors | None = None, status: int = 200
) -> Response:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    services = services_of(request)
    decision = await decisions.decision(services, session.token, federation, decision_id)
    files = await dossiers.attachments(services, session.token, federation, "decision", decision_id)
    return render(
        request,
        "decision_scan.html",
        status=status,
        federation=federation,
        active="decisions",
        decision=decision,
        decision_id=decision_id,
        dossier=files,
        errors=errors,
    )


@router.get("/f/{federation}/decisions/{decision_id}/ban-ky")
async def decision_scans(request: Request, federation: str, decision_id: str) -> Response:
    return await _scan_page(request, federation, decision_id)


@router.post("/f/{federation}/decisions/{decision_id}/ban-ky")
async def attach_to_decision(request: Request, federation: str, decision_id: str) -> Response:
    session, _ = _issuer_page(request, federation)
    assert session.token is not None
    name, errors = await _send(request, session.token, (federation, "decision", decision_id))
    if errors:
        return await _scan_page(request, federation, decision_id, errors, 422)
    session.notice(f"Đã lưu bản quyết định đã ký ({name}).")
    return redirect(f"/f/{federation}/decisions/{decision_id}/ban-ky")


@router.get("/f/{federation}/decisions/{decision_id}/ban-ky/{sha256}")
async def decision_file(
    request: Request, federation: str, decision_id: str, sha256: Sha256
) -> StreamingResponse:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    where = (federation, "decision", decision_id)
    return await dossiers.stream(services_of(request), session.token, where, sha256)
