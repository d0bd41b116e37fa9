"""Mẫu in: how the federation's decisions and certificates are printed — the wording (issuing
bodies, place, legal bases, articles, recipients, signer) and the certificates' images. For those
who may change the catalogue (the federation's admins); anyone else is told it does not exist."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from services.console.adapters.services import ServiceError
from services.console.application import paper
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of

router = APIRouter()
HANDLED = (400, 409, 412, 422)


def _token(request: Request, federation: str) -> str:
    session, person = federation_page(request, federation)
    require(person, "catalogue.write")
    assert session.token is not None
    return session.token


async def _page(
    request: Request,
    federation: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    token = _token(request, federation)
    current = await services_of(request).awards.get(f"/v1/federations/{federation}/paper", token)
    return render(
        request,
        "paper.html",
        status=status,
        federation=federation,
        active="decisions",
        fields=paper.FIELDS,
        images=paper.IMAGES,
        stored=current.get("images", {}),
        values=values if values is not None else paper.values_of(current.get("wording", {})),
        errors=errors,
    )


@router.get("/f/{federation}/mau-in")
async def paper_page(request: Request, federation: str) -> Response:
    return await _page(request, federation)


@router.post("/f/{federation}/mau-in")
async def save_wording(request: Request, federation: str) -> Response:
    token = _token(request, federation)
    values, body = paper.body_of(dict(await request.form()))
    try:
        await services_of(request).awards.post(f"/v1/federations/{federation}/paper", token, body)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        return await _page(request, federation, paper.refusal(exc.status, exc.body), values, 422)
    session, _ = federation_page(request, federation)
    session.notice("Đã lưu mẫu in. Quyết định và bằng khen tải về từ nay in theo mẫu này.")
    return redirect(f"/f/{federation}/mau-in")


@router.post("/f/{federation}/mau-in/anh")
async def save_image(request: Request, federation: str) -> Response:
    """Upload (`file`) or remove (`remove`) the image `name`."""
    token = _token(request, federation)
    form = await request.form()  # already read by the CSRF check
    name = str(form.get("name") or "")
    if name not in paper.IMAGES:
        errors = FormErrors()
        errors.add("file-background", "Chọn loại ảnh: hình nền, chữ ký hoặc con dấu")
        return await _page(request, federation, errors, status=422)
    file = form.get("file")
    content = None
    if not form.get("remove"):
        content = await file.read() if isinstance(file, UploadFile) else b""
        problem = paper.image_problem(content)
        if problem:
            errors = FormErrors()
            errors.add(f"file-{name}", problem)
            return await _page(request, federation, errors, status=422)
    errors = await paper.send_image(services_of(request).awards, token, federation, name, content)
    if errors:
        return await _page(request, federation, errors, status=422)
    session, _ = federation_page(request, federation)
    done = "Đã bỏ" if content is None else "Đã lưu"
    session.notice(f"{done} {paper.IMAGES[name].split(' (')[0].lower()} của bằng khen.")
    return redirect(f"/f/{federation}/mau-in#anh")
