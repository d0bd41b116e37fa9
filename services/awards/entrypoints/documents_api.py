"""Awards' printed papers: a decision as a .docx and a PDF (Decree 30/2020/NĐ-CP), certificates
(one A4 landscape page per recipient, with a verification code and its QR code), and the
federation's paper — the wording and images they are printed with. Rendering runs in awards'
document processes (adapters/documents/renderer.py), never on the event loop."""

from __future__ import annotations

import asyncio
import functools
import re
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from services.awards.adapters.documents import gather
from services.awards.adapters.documents.certificates_pdf import certificates_pdf
from services.awards.adapters.documents.decision_docx import decision_docx
from services.awards.adapters.documents.decision_pdf import decision_pdf
from services.awards.adapters.documents.images import checked, image_bytes
from services.awards.adapters.documents.papers import Layout
from services.awards.application import paper
from services.awards.domain import verification
from services.awards.domain.authorities import NATIONAL_KEY
from services.awards.domain.grants import Grant
from services.awards.domain.paper import LAYOUT_IMAGES, unit_wording
from services.awards.entrypoints.context import FED, app_of, facts_of
from shared.kernel.errors import Conflict, Forbidden, NotFound
from shared.kernel.settings import AwardsSettings
from shared.kernel.text import fold
from shared.store.eventstore import jsonable
from shared.web import scope_guard
from shared.web.app import Ctx, execute
from shared.web.caller import Caller, runtime

router = APIRouter(prefix="/v1")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
ImageName = Literal["background", "signature", "seal"]


def _binary(media_type: str) -> dict:
    return {200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}}}


def download(content: bytes, media_type: str, name: str) -> Response:
    """`name` as the office reads it ('Quyết định 12/QĐ-LĐLĐ.pdf'), and an ASCII fallback."""
    plain = re.sub(r"[^A-Za-z0-9.-]+", "-", fold(name).replace("đ", "d")).strip("-")
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name.replace('/', '-'))}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


# -- the federation's paper ----------------------------------------------------------------------


@router.get(FED + "/paper", tags=["documents"], summary="How the federation's papers are printed")
async def get_paper(federation: str, caller: Caller, request: Request) -> dict:
    """The wording of its decisions and certificates (each default where the federation set
    none) and its certificates' images (background, signature, seal) by their SHA-256."""
    caller.require("read", federation)
    return jsonable(await asyncio.to_thread(paper.paper_of, app_of(request), federation))  # type: ignore[no-any-return]


@router.post(FED + "/paper", tags=["documents"], summary="Change the wording of the federation's papers")
async def set_wording(
    federation: str, body: paper.SetWording, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """Stored as an event; fields left out stay as they were."""
    caller.require("catalogue.write", federation)
    app = app_of(request)
    return await execute(app, ctx, functools.partial(paper.set_wording, app), federation, body)


@router.put(
    FED + "/paper/images/{name}",
    tags=["documents"],
    summary="Upload a certificate image (PNG or JPEG, at most 2 MB)",
    openapi_extra={"requestBody": {"content": {"image/png": {}, "image/jpeg": {}}, "required": True}},
)
async def put_image(
    federation: str, name: ImageName, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    """The body is the image itself, checked by its content (not its name or Content-Type)."""
    caller.require("catalogue.write", federation)
    content = await request.body()
    image = checked(content, "body")
    await _parts(request).blobs.put(str(image["sha256"]), content)
    app = app_of(request)
    return await execute(app, ctx, functools.partial(paper.set_image, app), federation, name, image)


@router.delete(FED + "/paper/images/{name}", tags=["documents"], summary="Back to the plain certificate")
async def delete_image(
    federation: str, name: ImageName, caller: Caller, ctx: Ctx, request: Request
) -> JSONResponse:
    caller.require("catalogue.write", federation)
    app = app_of(request)
    return await execute(app, ctx, functools.partial(paper.set_image, app), federation, name, None)


# -- a decision's document and certificates -----------------------------------------------------


@router.get(
    FED + "/decisions/{decision_id}/document.{kind}",
    tags=["documents"],
    summary="The decision as a Word document or a PDF, with its annex",
    responses={200: {"content": {DOCX: {}, PDF: {}}}},
)
async def decision_document(
    federation: str, decision_id: str, kind: Literal["docx", "pdf"], caller: Caller, request: Request
) -> Response:
    """Decree 30/2020/NĐ-CP's layout; the annex lists every grant, collectives and individuals
    apart. The whole decision: federation staff's (a unit's clerk prints its certificates)."""
    caller.require("read", federation)
    if caller.unit_path:
        raise Forbidden(
            "the decision's document is printed by federation staff; print your unit's certificates"
        )
    return await document(request, federation, decision_id, kind, caller.scope)


async def document(request: Request, key: str, decision_id: str, kind: str, scope: str) -> Response:
    """The decision stored under `key` (a federation, or the national key) as .docx or PDF."""
    app = app_of(request)
    decision, grants, wording = await asyncio.to_thread(paper.printed, app, key, decision_id, scope)
    names = await _unit_names(request, grants)
    wording = (await _issued_by(request, key, {decision.authority: wording}))[decision.authority]
    printed = gather.decision_paper(decision, grants, wording, names)
    render, media = (decision_docx, DOCX) if kind == "docx" else (decision_pdf, PDF)
    content = await _parts(request).renderer.render(render, printed)
    return download(content, media, f"Quyết định {decision.number}.{kind}")


@router.get(
    FED + "/decisions/{decision_id}/certificates.pdf",
    tags=["documents"],
    summary="The certificates of a decision, one page per recipient",
    responses={**_binary(PDF), 409: {"description": "Every grant the caller may print was revoked."}},
)
async def decision_certificates(
    federation: str, decision_id: str, caller: Caller, request: Request
) -> Response:
    """Revoked grants are left out; a unit-scoped caller gets its own subtree's."""
    caller.require("read", federation)
    return await certificates(request, federation, decision_id, caller)


async def certificates(request: Request, key: str, decision_id: str, caller: Caller) -> Response:
    """The certificates of the decision stored under `key` the caller may print, revoked ones left out."""
    app = app_of(request)
    decision, grants, _ = await asyncio.to_thread(paper.printed, app, key, decision_id, caller.scope)
    live = [g for g in grants if g.standing]  # revoked or cancelled ones left out
    if not live:
        raise Conflict(f"every grant of decision '{decision.number}' you may print was revoked")
    content = await _certificates(request, key, live, caller)
    return download(content, PDF, f"Bằng khen {decision.number}.pdf")


@router.get(
    FED + "/grants/{grant_id}/certificate.pdf",
    tags=["documents"],
    summary="A grant's certificate",
    responses={**_binary(PDF), 409: {"description": "The grant was revoked: no certificate is printed."}},
)
async def grant_certificate(federation: str, grant_id: str, caller: Caller, request: Request) -> Response:
    caller.require("read", federation)
    grant = await asyncio.to_thread(app_of(request).grant, federation, grant_id)
    if not caller.covers_unit(federation, tuple(grant.unit_path)):
        raise NotFound(f"grant '{grant_id}' does not exist")
    if grant.cancelled is not None:
        on = grant.cancelled["cancelled_on"]
        raise Conflict(f"the grant was cancelled on {on}; no certificate is printed")
    if grant.revoked is not None:
        raise Conflict(f"the grant was revoked on {grant.revoked['revoked_on']}; no certificate is printed")
    content = await _certificates(request, federation, [grant], caller)
    return download(content, PDF, f"Bằng khen {grant.subject_name}.pdf")


@router.get(
    "/national/decisions/{decision_id}/document.{kind}",
    tags=["documents"],
    summary="A national decision as a Word document or a PDF, with its annex",
    responses={200: {"content": {DOCX: {}, PDF: {}}}},
)
async def national_document(
    decision_id: str, kind: Literal["docx", "pdf"], caller: Caller, request: Request
) -> Response:
    """The national union's decision (its grants in several federations), national staff's."""
    _national(caller)
    return await document(request, NATIONAL_KEY, decision_id, kind, caller.scope)


@router.get(
    "/national/decisions/{decision_id}/certificates.pdf",
    tags=["documents"],
    summary="The certificates of a national decision, one page per recipient",
    responses={**_binary(PDF), 409: {"description": "Every grant of the decision was revoked."}},
)
async def national_certificates(decision_id: str, caller: Caller, request: Request) -> Response:
    _national(caller)
    return await certificates(request, NATIONAL_KEY, decision_id, caller)


def _national(caller: Caller) -> None:
    caller.require("read")
    if not caller.is_national:
        raise Forbidden("the national union's decisions are printed with a national-scope token")


async def _certificates(request: Request, federation: str, grants: list[Grant], caller: Caller) -> bytes:
    """Vouched for the gate (shared.web.scope_guard): every grant was checked against the scope."""
    placed = [{"unit": g.unit, "unit_path": list(g.unit_path)} for g in grants]
    scope_guard.vouch(request.scope, placed, caller, federation)
    parts, app = _parts(request), app_of(request)
    authorities = {g.authority for g in grants}
    wordings = await asyncio.to_thread(
        lambda: {a: paper.wording_for(app, federation, a) for a in authorities}
    )
    signed = await asyncio.to_thread(paper.decisions_of, app, grants)
    wordings = await _issued_by(request, federation, wordings)
    names = await _unit_names(request, grants)
    settings = runtime(request).settings
    assert isinstance(settings, AwardsSettings)
    secret = settings.verification_secret.get_secret_value().encode()
    code_of = functools.partial(verification.code_of, secret)
    printed = [
        gather.certificate(
            g,
            gather.signed_as(wordings[g.authority], signed.get(g.decision_id)),
            names,
            code_of,
            settings.verification_url,
        )
        for g in grants
    ]
    images = await asyncio.to_thread(paper.images, app, federation)
    layout = Layout(**{name: await image_bytes(parts.blobs, images.get(name)) for name in LAYOUT_IMAGES})
    return await parts.renderer.render(certificates_pdf, printed, layout)


async def _unit_names(request: Request, grants: list[Grant]) -> gather.Names:
    """The names of the units the papers of `grants` print, asked of each one's federation."""
    wanted: dict[str, list[str]] = {}
    for federation, code in sorted(gather.units_named(grants)):
        wanted.setdefault(federation, []).append(code)
    facts, out = facts_of(request), {}
    for federation, codes in wanted.items():
        found = await facts.unit_names(federation, codes)
        out.update({(federation, code): name for code, name in found.items()})
    return out


async def _issued_by(request: Request, federation: str, wordings: dict[str, dict]) -> dict[str, dict]:
    """Each authority's wording, a unit's own decisions headed by the unit (its name as
    registration published it)."""
    units = {a: a.partition(":")[2] for a in wordings if a.startswith("unit:")}
    if not units:
        return wordings
    names = await facts_of(request).unit_names(federation, sorted(units.values()))
    return {
        a: unit_wording(w, names.get(units[a], units[a])) if a in units else w for a, w in wordings.items()
    }


def _parts(request: Request) -> Any:
    """Awards' parts (bootstrap.py's `AwardsParts`: the renderer, the blobs)."""
    return runtime(request).parts
