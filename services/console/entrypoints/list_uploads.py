"""Lists uploaded as .xlsx: the page of every list the person may upload (/danh-sach), and for
each kind its template, its upload form (all-or-nothing, or keep the good rows) and what was
stored or refused, row by row. Pledges keep their own page (/pledges/upload: new members)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.application import access
from services.console.application import list_uploads as lists
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import NotFoundPage, federation_page, render, require, services_of

router = APIRouter()


def _kind(slug: str) -> lists.ListKind:
    kind = lists.KINDS.get(slug)
    if kind is None:
        raise NotFoundPage
    return kind


@router.get("/f/{federation}/danh-sach")
async def uploads(request: Request, federation: str) -> Response:
    _, person = federation_page(request, federation)
    kinds = [k for k in lists.KINDS.values() if access.allowed(person, k.permission)]
    pledges = access.allowed(person, "pledge.submit")
    if not kinds and not pledges:
        raise NotFoundPage
    return render(
        request, "list_uploads.html", federation=federation, active="upload", kinds=kinds, pledges=pledges
    )


@router.get("/f/{federation}/danh-sach/{slug}")
async def upload_page(request: Request, federation: str, slug: str) -> Response:
    kind = _kind(slug)
    _, person = federation_page(request, federation)
    require(person, kind.permission)
    return _form(request, federation, kind, None, "all-or-nothing")


@router.get("/f/{federation}/danh-sach/{slug}/mau.xlsx")
async def template(request: Request, federation: str, slug: str) -> Response:
    kind = _kind(slug)
    session, person = federation_page(request, federation)
    require(person, kind.permission)
    assert session.token is not None
    content = await lists.template(services_of(request), session.token, federation, kind)
    return Response(
        content,
        media_type=lists.XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="{kind.template_file}"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/f/{federation}/danh-sach/{slug}")
async def upload(request: Request, federation: str, slug: str) -> Response:
    kind = _kind(slug)
    session, person = federation_page(request, federation)
    require(person, kind.permission)
    assert session.token is not None and session.person is not None
    form = await request.form()
    mode = str(form.get("mode") or "all-or-nothing")
    file = form.get("file")
    errors = FormErrors()
    if mode not in lists.MODES or (mode != "all-or-nothing" and not kind.keeps_good_rows):
        errors.add("mode", "Chọn một cách lưu trong danh sách")
    if file is None or isinstance(file, str) or not file.filename:
        errors.add("file", "Chọn tệp danh sách .xlsx")
    if errors or file is None or isinstance(file, str):
        kept = mode if mode in lists.MODES and kind.keeps_good_rows else "all-or-nothing"
        return _form(request, federation, kind, None, kept, errors=errors, status=422)
    chosen: lists.Mode = "keep-good-rows" if mode == "keep-good-rows" else "all-or-nothing"
    content = await file.read()
    name = file.filename or "danh-sach.xlsx"
    who, token, services = session.person.subject, session.token, services_of(request)
    result = await lists.upload(services, token, who, federation, kind, name, content, chosen)
    if result.problems or result.summary:
        return _form(request, federation, kind, result, chosen, filename=name, status=422)
    return render(
        request,
        "list_upload_done.html",
        federation=federation,
        active="upload",
        kind=kind,
        result=result,
        filename=name,
    )


def _form(
    request: Request,
    federation: str,
    kind: lists.ListKind,
    result: lists.ListUpload | None,
    mode: str,
    *,
    errors: FormErrors | None = None,
    filename: str = "",
    status: int = 200,
) -> Response:
    return render(
        request,
        "list_upload.html",
        status=status,
        federation=federation,
        active="upload",
        kind=kind,
        result=result,
        mode=mode,
        errors=errors,
        filename=filename,
    )
