"""`GET /v1/verify/{code}`: anyone holding a certificate checks it, without a token (the gate lets
/v1/verify through). The answer names the recipient and the award, the decision (number, date,
authority) and whether the grant stands or was revoked (and when) — nothing else about the
person. A code that is mistyped, forged or unknown gets one and the same 404, whatever the reason."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request

from services.awards.application import paper
from services.awards.domain import verification
from services.awards.domain.grants import Grant
from services.awards.entrypoints.context import app_of, facts_of
from shared.kernel.errors import NotFound
from shared.store.eventstore import jsonable
from shared.web.caller import runtime

router = APIRouter(prefix="/v1")
UNKNOWN = (
    "Không tìm thấy bằng khen, giấy khen nào có mã xác minh này: kiểm tra lại mã in trên giấy "
    "(20 ký tự, ví dụ ABCDE-12345-FGHJK-67890). No certificate has this verification code."
)


@router.get(
    "/verify/{code}",
    tags=["verification"],
    summary="Check a certificate by its verification code (public, no token)",
    responses={404: {"description": "no certificate has this code"}},
)
async def verify(code: str, request: Request) -> dict:
    """`code`: as printed (XXXXX-XXXXX-XXXXX-XXXXX); case, spaces and dashes do not matter, O is
    read as 0 and I, L as 1. `status` is `valid`, `revoked` (with `revoked_on`) or `cancelled`
    (removed from its decision or cancelled with it; with `cancelled_on`)."""
    stored = verification.normalised(code)
    grant_id = await runtime(request).parts.index.grant_of_code(stored or "")
    if grant_id is None:
        raise NotFound(UNKNOWN)
    app = app_of(request)
    grant = await asyncio.to_thread(app.find, Grant, grant_id)
    if grant is None:
        raise NotFound(UNKNOWN)
    return jsonable(answer(grant, await issued_by(request, grant)))  # type: ignore[no-any-return]


async def issued_by(request: Request, grant: Grant) -> str:
    """Who issued the grant's decision, by name: the federation's or the national union's body
    as its paper names it, a unit by its name, an imported grant's authority as recorded."""
    kind, _, code = grant.authority.partition(":")
    if kind == "unit" and code:
        names = await facts_of(request).unit_names(grant.federation, [code])
        return names.get(code, code)
    if kind in ("ldld", "tld"):
        app = app_of(request)
        wording = await asyncio.to_thread(paper.wording_for, app, grant.federation, grant.authority)
        return str(wording["issuing_body"])
    return str(grant.authority)


def answer(grant: Grant, issued_by: str) -> dict[str, Any]:
    """Only these keys, ever: the certificate is public, the person's other details are not."""
    found: dict[str, Any] = {
        "status": "cancelled" if grant.cancelled else "revoked" if grant.revoked else "valid",
        "name": grant.subject_name,
        "award": grant.award_name,
        "decision": {
            "number": grant.decision_number,
            "date": grant.decision_date,
            "authority": issued_by,
        },
    }
    if grant.cancelled:
        found["cancelled_on"] = grant.cancelled["cancelled_on"]
    elif grant.revoked:
        found["revoked_on"] = grant.revoked["revoked_on"]
    return found
