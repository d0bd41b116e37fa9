"""The state of each service's tamper-evident chain, in words a non-technical auditor can act on."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services.console.adapters.services import ServiceError, Services
from services.console.application.audit_words import SERVICES, moment_vn
from services.console.application.formatting import number_vn

PROBLEMS = {
    "altered": "Nội dung sự kiện số {n} đã bị sửa sau khi ghi: không còn khớp với dấu niêm phong của nó.",
    "deleted": "Sự kiện số {n} đã bị xoá khỏi sổ.",
    "deleted-with-link": "Sự kiện số {n} đã bị xoá cùng với mắt xích niêm phong của nó.",
    "unsealed": "Sự kiện số {n} được chèn vào sổ từ bên ngoài hệ thống: nó không có niêm phong.",
    "link-altered": "Mắt xích niêm phong của sự kiện số {n} đã bị sửa.",
    "rewritten": "Sổ sự kiện, tính đến mã đầu chuỗi đã ghi, đã bị viết lại.",
    "anchor-missing": "Mã đầu chuỗi đã ghi không còn trong sổ: phần cuối của sổ đã bị cắt bỏ.",
}


@dataclass
class Chain:
    service: str
    label: str
    state: str  # verified | broken | unreachable
    checked: int = 0
    head_sequence: int = 0
    head_hash: str = ""
    checked_at: str = ""
    problem: str = ""
    broken_at: int | None = None
    anchor: str | None = None


async def _chain(services: Services, token: str, service: str, fresh: bool, anchor: str | None) -> Chain:
    client = services.registration if service == "registration" else services.awards
    label = SERVICES[service]
    try:
        body = await client.get("/v1/audit/chain", token, fresh="true" if fresh else None, anchor=anchor)
    except ServiceError as exc:
        if exc.status == 422:
            raise
        return Chain(service, label, "unreachable")
    n = body.get("broken_at")
    problem = ""
    if body.get("state") != "verified":
        problem = PROBLEMS.get(body.get("problem") or "", "Chuỗi bị đứt tại sự kiện số {n}.").format(
            n=number_vn(n) if n is not None else "?"
        )
    head = body.get("head") or {}
    return Chain(
        service,
        label,
        "verified" if body.get("state") == "verified" else "broken",
        int(body.get("checked_events") or 0),
        int(head.get("sequence") or 0),
        str(head.get("hash") or ""),
        moment_vn(body.get("checked_at")),
        problem,
        n,
        body.get("anchor"),
    )


async def chains(services: Services, token: str, fresh: bool, anchors: dict[str, str | None]) -> list[Chain]:
    """Both logs' chains, asked at once."""
    return list(await asyncio.gather(*(_chain(services, token, s, fresh, anchors.get(s)) for s in SERVICES)))
