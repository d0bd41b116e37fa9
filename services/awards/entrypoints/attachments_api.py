"""Awards' HTTP API of dossiers: files attached to a nomination (achievement report, council
minutes, supporting documents) or to a decision (its signed scan) — uploaded as multipart/form-data
(`kind`, `file`), listed, and downloaded by their SHA-256 (application/dossiers.py). A file is
checked by its content (domain/file_types.py), its bytes stored once under their hash
(adapters/blobs.py) and its record added to the log as `attachment-added`; each download is a
`Download` in the log."""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from services.awards.adapters.blobs import Blobs
from services.awards.adapters.upload import read_upload
from services.awards.application import dossiers
from services.awards.domain.dossiers import MAX_BYTES
from services.awards.domain.file_types import EXTENSIONS, media_type_of
from services.awards.entrypoints.context import FED, app_of
from shared.kernel.errors import Invalid
from shared.kernel.text import fold, nfc, unsafe
from shared.store.eventstore import Context, jsonable
from shared.web import scope_guard
from shared.web.app import respond
from shared.web.asgi import trace_id
from shared.web.caller import Caller, runtime

router = APIRouter(prefix="/v1", tags=["dossiers"])
NOMINATION = FED + "/nominations/{nomination_id}/attachments"
DECISION = FED + "/decisions/{decision_id}/attachments"
FORM_OVERHEAD = 64 * 1024  # a form's boundaries, part headers and `kind` around the file
SHA256 = re.compile(r"[0-9a-fA-F]{64}")
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["kind", "file"],
                    "properties": {
                        "kind": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        },
    }
}
BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE: dict[int | str, dict[str, Any]] = {200: {"content": {"application/octet-stream": BINARY}}}


def blobs_of(request: Request) -> Blobs:
    blobs: Blobs = runtime(request).parts.blobs
    return blobs


def context_of(request: Request, caller: Caller) -> Context:
    """As shared.web.app.context, without reading the body first (an upload is read as it streams)."""
    return Context(
        actor=caller.sub,
        scope=caller.scope,
        request_id=request.state.request_id,
        correlation_id=request.state.correlation_id,
        causation_id=trace_id(request.headers.get("x-causation-id")) or request.state.request_id,
        assignment=caller.assignment,
    )


def file_name_of(raw: str, media_type: str) -> str:
    """The sender's file name without folders or controls, NFC, at most 200 characters."""
    name = nfc(re.split(r"[\\/]", raw)[-1])
    name = "".join(c for c in name if unsafe(c) is None)[:200].strip()
    return name or f"tep.{EXTENSIONS[media_type]}"


def disposition(name: str, media_type: str) -> str:
    """`attachment` with an ASCII name for old clients and the exact name in UTF-8 (RFC 6266)."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", fold(name.rsplit(".", 1)[0])).strip("-") or "tep"
    return f"attachment; filename=\"{stem}.{EXTENSIONS[media_type]}\"; filename*=UTF-8''{quote(name)}"


async def upload(
    request: Request, caller: Caller, federation: str, owner_kind: str, owner: str
) -> JSONResponse:
    app, ctx = app_of(request), context_of(request, caller)
    await asyncio.to_thread(dossiers.placement, app, caller.scope, federation, owner_kind, owner)
    limit_text = f"{MAX_BYTES // (1024 * 1024)} MB"
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES + FORM_OVERHEAD:  # refused before a byte is read
        raise Invalid.on("file", f"the file is larger than {limit_text}, the most one attachment may be")
    form = await read_upload(request.headers.get("content-type", ""), request.stream(), MAX_BYTES, limit_text)
    kind = form.fields.get("kind", "").strip()
    await asyncio.to_thread(dossiers.check_room, app, caller.scope, federation, owner_kind, owner, kind)
    if form.file_name is None:
        raise Invalid.on("file", "send the file in the form field 'file'")
    content = bytes(form.content)
    media_type = media_type_of(content)
    sha256 = hashlib.sha256(content).hexdigest()
    file = {"sha256": sha256, "size": len(content), "media_type": media_type}
    file["file_name"] = file_name_of(form.file_name, media_type)
    await blobs_of(request).put(sha256, content)
    now = datetime.now(UTC)
    result = await asyncio.to_thread(
        dossiers.add_attachment, app, now, ctx, federation, owner_kind, owner, kind, file
    )
    return respond(result)


async def listing(request: Request, caller: Caller, federation: str, owner_kind: str, owner: str) -> dict:
    app = app_of(request)
    body = await asyncio.to_thread(dossiers.listing, app, caller.scope, federation, owner_kind, owner)
    return jsonable(body)  # type: ignore[no-any-return]


async def download(
    request: Request, caller: Caller, federation: str, owner_kind: str, owner: str, sha256: str
) -> StreamingResponse:
    if not SHA256.fullmatch(sha256):
        raise Invalid.on("sha256", "an attachment is named by the 64 hex digits of its SHA-256")
    app, ctx = app_of(request), context_of(request, caller)
    record: dict[str, Any] = await asyncio.to_thread(
        dossiers.attachment, app, caller.scope, federation, owner_kind, owner, sha256
    )
    scope_guard.vouch(request.scope, {"federation": federation, **record}, caller, federation)
    sha256 = record["sha256"]
    await asyncio.to_thread(dossiers.record_download, app, ctx, federation, owner_kind, owner, sha256)
    headers = {
        "Content-Disposition": disposition(record["file_name"], record["media_type"]),
        "Content-Length": str(record["size"]),
        "ETag": f'"{sha256}"',
        "Digest": f"sha-256={sha256}",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    chunks = blobs_of(request).chunks(sha256, int(record["size"]))
    return StreamingResponse(chunks, media_type=record["media_type"], headers=headers)


# -- nominations -------------------------------------------------------------------------------


@router.post(NOMINATION, status_code=201, summary="Attach a file to a nomination", openapi_extra=UPLOAD_BODY)
async def attach_to_nomination(
    federation: str, nomination_id: str, caller: Caller, request: Request
) -> JSONResponse:
    """`kind`: achievement-report (báo cáo thành tích), council-minutes (biên bản họp hội đồng) or
    supporting-document (tài liệu khác); `file`: a PDF, DOCX, XLSX, JPEG or PNG, told by its
    content; at most 10 MB a file and 50 files a dossier. Emits `attachment-added`; the same
    bytes already attached answer 200 and add nothing."""
    caller.require("nomination.submit", federation)
    return await upload(request, caller, federation, "nomination", nomination_id)


@router.get(NOMINATION, summary="A nomination's dossier")
async def nomination_attachments(
    federation: str, nomination_id: str, caller: Caller, request: Request
) -> dict:
    """Each attachment with its sha256, size, media type, file name, kind, who uploaded it and when."""
    caller.require("read", federation)
    return await listing(request, caller, federation, "nomination", nomination_id)


@router.get(NOMINATION + "/{sha256}", summary="Download a nomination's attachment", responses=FILE)
async def nomination_attachment(
    federation: str, nomination_id: str, sha256: str, caller: Caller, request: Request
) -> StreamingResponse:
    """The stored bytes, whose SHA-256 is the path's; the download is recorded in the log."""
    caller.require("read", federation)
    return await download(request, caller, federation, "nomination", nomination_id, sha256)


# -- decisions ---------------------------------------------------------------------------------


@router.post(
    DECISION, status_code=201, summary="Attach the signed scan to a decision", openapi_extra=UPLOAD_BODY
)
async def attach_to_decision(
    federation: str, decision_id: str, caller: Caller, request: Request
) -> JSONResponse:
    """`kind`: signed-decision (bản quyết định đã ký); federation staff only. Emits `attachment-added`."""
    caller.require("decision.issue", federation)
    return await upload(request, caller, federation, "decision", decision_id)


@router.get(DECISION, summary="A decision's attachments")
async def decision_attachments(federation: str, decision_id: str, caller: Caller, request: Request) -> dict:
    """Federation staff only: a unit-scoped token is answered 404."""
    caller.require("read", federation)
    return await listing(request, caller, federation, "decision", decision_id)


@router.get(DECISION + "/{sha256}", summary="Download a decision's attachment", responses=FILE)
async def decision_attachment(
    federation: str, decision_id: str, sha256: str, caller: Caller, request: Request
) -> StreamingResponse:
    caller.require("read", federation)
    return await download(request, caller, federation, "decision", decision_id, sha256)
