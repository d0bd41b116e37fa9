"""A nomination's dossier (hồ sơ) and a decision's signed scan as the console shows them: awards'
attachments with Vietnamese kinds, sizes and moments; an upload sent on to awards, its refusals
said in Vietnamese beside the field; a download streamed through as awards sends it."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from services.console.adapters.services import ServiceError, Services
from services.console.application.audit_words import moment_vn, who
from services.console.application.formatting import number_vn
from services.console.application.problems import FormErrors

KINDS = {
    "achievement-report": "Báo cáo thành tích",
    "council-minutes": "Biên bản họp hội đồng",
    "supporting-document": "Tài liệu khác",
    "signed-decision": "Bản quyết định đã ký",
}
MAX_BYTES = 10 * 1024 * 1024  # awards' limit of one file: a larger one is not sent at all
NOMINATION_KINDS = ("achievement-report", "council-minutes", "supporting-document")
ACCEPTED = "Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG"
# awards' refusal of a file (its English words) -> what the person reads
FILE_MESSAGES = [
    (r"larger than|too large", "Tệp lớn hơn 10 MB, mức tối đa của một tệp hồ sơ"),
    (r"program|script", f"Tệp này là một chương trình máy tính dù mang tên khác; không nhận. {ACCEPTED}"),
    (
        r"zip bomb|more than \d+ parts",
        "Tệp Word/Excel này giải nén ra quá lớn, có thể là tệp độc hại; không nhận",
    ),
    (r"attachments, the most", "Hồ sơ đã đủ 50 tệp, không thêm được nữa"),
    (r"empty", "Tệp rỗng; chọn lại tệp"),
    (r"form field 'file'", "Chọn tệp cần tải lên"),
]
PASSED_ON = ("content-type", "content-disposition", "content-length", "etag")


def path_of(federation: str, owner_kind: str, owner: str) -> str:
    return f"/v1/federations/{federation}/{owner_kind}s/{owner}/attachments"


def size_vn(size: Any) -> str:
    """512 byte; 470,8 KB; 1,2 MB."""
    n = int(size or 0)
    if n < 1024:
        return f"{number_vn(n)} byte"
    if n < 1024 * 1024:
        return f"{number_vn(n / 1024, 1)} KB"
    return f"{number_vn(n / (1024 * 1024), 1)} MB"


async def attachments(
    services: Services, token: str, federation: str, owner_kind: str, owner: str
) -> list[dict]:
    """Each attachment with `kind_label`, `size_label`, `when` and `by` to show, newest first."""
    body = await services.awards.get(path_of(federation, owner_kind, owner), token)
    items = [
        {
            **a,
            "kind_label": KINDS.get(a.get("kind", ""), a.get("kind", "")),
            "size_label": size_vn(a.get("size")),
            "when": moment_vn(a.get("uploaded_at")),
            "by": who(a.get("uploaded_by")),
        }
        for a in body.get("items", [])
    ]
    return items[::-1]


def refusals(status: int, body: dict[str, Any]) -> FormErrors:
    errors = FormErrors()
    if status == 413:
        errors.add("file", FILE_MESSAGES[0][1])
        return errors
    for item in body.get("errors") or [{"field": "file", "message": body.get("detail", "")}]:
        name = "kind" if item.get("field") == "kind" else "file"
        message = str(item.get("message") or "")
        if name == "kind":
            errors.add("kind", "Chọn loại tài liệu trong danh sách")
            continue
        text = next((vi for pattern, vi in FILE_MESSAGES if re.search(pattern, message)), None)
        errors.add("file", text or f"Tệp này không phải loại được nhận. {ACCEPTED}")
    return errors


async def upload(
    services: Services,
    token: str,
    where: tuple[str, str, str],
    kind: str,
    file: tuple[str, bytes, str],
) -> tuple[dict | None, FormErrors]:
    """`where`: federation, owner kind, owner; `file`: name, bytes, the browser's media type.
    The attachment stored, or the Vietnamese refusals beside `kind` and `file`."""
    try:
        response = await services.awards.request(
            "POST", path_of(*where), token, files={"file": file, "kind": (None, kind)}
        )
    except ServiceError as exc:
        if exc.status not in (400, 413, 422):
            raise
        return None, refusals(exc.status, exc.body)
    return response.json(), FormErrors()


async def stream(
    services: Services, token: str, where: tuple[str, str, str], sha256: str
) -> StreamingResponse:
    """The file as awards sends it, passed on chunk by chunk with its type and name."""
    client = services.awards
    url = f"{client.base_url}{path_of(*where)}/{sha256}"
    request = client.http.build_request("GET", url, headers={"Authorization": f"Bearer {token}"})
    try:
        response = await client.http.send(request, stream=True)
    except httpx.HTTPError:
        raise ServiceError(503, {"detail": "awards did not answer"}) from None
    if response.status_code >= 400:
        await response.aread()
        await response.aclose()
        raise ServiceError(response.status_code, {})
    headers = {k: response.headers[k] for k in PASSED_ON if k in response.headers}
    if "content-encoding" in response.headers:
        headers.pop("content-length", None)
    headers["Cache-Control"] = "private, no-store"
    return StreamingResponse(
        response.aiter_bytes(), status_code=200, headers=headers, background=BackgroundTask(response.aclose)
    )
