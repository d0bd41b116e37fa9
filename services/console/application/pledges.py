"""Pledges: the list with its filters, one pledge, a pledge by form, a list uploaded as the
.xlsx template, and staff's accept or return. Everything through registration's API."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.formatting import parse_date_vn
from services.console.application.list_uploads import refusal
from services.console.application.problems import FieldProblem
from shared.kernel.catalogue import DEFAULT_AWARDS

FILTERS = ("movement", "award", "state", "subject_kind", "unit", "year")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def movements(services: Services, token: str, federation: str, year: int) -> list[dict[str, Any]]:
    """The year's movements, each with the awards it is open for."""
    base = f"/v1/federations/{federation}/movements"
    page = await services.registration.get(base, token, year=year, limit=1000)
    items = page.get("items", [])
    details = await asyncio.gather(*(services.registration.get(f"{base}/{m['code']}", token) for m in items))
    return [{**m, "awards": d.get("awards", [])} for m, d in zip(items, details, strict=True)]


def award_choices(movement_list: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Awards open in any of the movements, in the catalogue's order, as (code, name)."""
    open_codes = {code for m in movement_list for code in m.get("awards", [])}
    known = [(a.code, a.name) for a in DEFAULT_AWARDS if a.code in open_codes]
    own = sorted(open_codes - {code for code, _ in known})
    return known + [(code, code) for code in own]


async def listing(
    services: Services, token: str, federation: str, filters: dict[str, Any], cursor: str | None
) -> dict[str, Any]:
    return await services.registration.get(  # type: ignore[no-any-return]
        f"/v1/federations/{federation}/pledges", token, **filters, cursor=cursor, limit=50
    )


PLEDGE_FIELDS = ("movement", "award", "subject_kind", "subject_code", "phase", "pledged_on")
# The form's choice of a participation pledge (no award): a value no award code can take.
PARTICIPATION = ":tham-gia"
PARTICIPATION_LABEL = "Tham gia phong trào (không đăng ký danh hiệu)"


def pledge_body(values: dict[str, str]) -> dict[str, Any]:
    """The registration command from the form. A date in dd/mm/yyyy is sent as a date, anything
    else as typed, so registration names every field with a problem at once."""
    body: dict[str, Any] = {}
    for name in ("movement", "award", "subject_kind", "subject_code"):
        body[name] = values.get(name, "").strip()
    if body["award"] == PARTICIPATION:
        body["award"] = None
    if values.get("phase", "").strip():
        body["phase"] = values["phase"].strip()
    text = values.get("pledged_on", "").strip()
    if text:
        parsed = parse_date_vn(text)
        body["pledged_on"] = parsed.isoformat() if parsed else text
    return body


CORRECTABLE = ("pledged_on", "phase", "submitted_by")


def resubmit_body(values: dict[str, str], stored: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The resubmission of a returned pledge: the fields the clerk changed (a date typed as
    dd/mm/yyyy sent as a date), with the reason; no body when nothing changed. The second value
    says whether something changed without a reason (the form then asks for one)."""
    body: dict[str, Any] = {}
    for name in CORRECTABLE:
        text = values.get(name, "").strip()
        if name == "pledged_on":
            parsed = parse_date_vn(text)
            text = parsed.isoformat() if parsed else text
        if text != (stored.get(name) or ""):
            body[name] = text or None
    reason = values.get("reason", "").strip()
    if body and reason:
        body["reason"] = reason
    return body, bool(body) and not reason


@dataclass
class Upload:
    """What registration said of an uploaded list."""

    stored: int = 0
    rows: int = 0
    members_registered: int = 0
    replayed: bool = False
    problems: list[FieldProblem] = field(default_factory=list)
    summary: str = ""


def idempotency_key(subject: str, federation: str, content: bytes, new_members: bool = False) -> str:
    """The same person sending the same file twice (with the same choice) stores it once."""
    asked = federation.encode() + (b"\0new-members" if new_members else b"")
    digest = hashlib.sha256(subject.encode() + b"\0" + asked + b"\0" + content).hexdigest()
    return f"console-list-{digest[:48]}"


async def upload(
    services: Services,
    token: str,
    subject: str,
    federation: str,
    filename: str,
    content: bytes,
    new_members: bool = False,
) -> Upload:
    """`new_members`: the people in the list who are not members yet are registered first."""
    params = {"mode": "all-or-nothing"} | ({"new_members": "register"} if new_members else {})
    try:
        response = await services.registration.request(
            "POST",
            f"/v1/federations/{federation}/pledges:batch",
            token,
            params=params,
            files={"file": (filename or "danh-sach.xlsx", content, XLSX)},
            headers={"Idempotency-Key": idempotency_key(subject, federation, content, new_members)},
        )
    except ServiceError as exc:
        if exc.status not in (400, 409, 413, 422):
            raise
        refused = refusal(exc.status, exc.body, "đăng ký")
        return Upload(problems=refused.problems, summary=refused.summary)
    body = response.json()
    return Upload(
        stored=int(body.get("accepted", 0)),
        rows=int(body.get("rows", 0)),
        members_registered=int(body.get("members_registered", 0)),
        replayed=response.headers.get("idempotent-replayed") == "true",
    )


async def template(services: Services, token: str, federation: str) -> bytes:
    response = await services.registration.request(
        "GET", f"/v1/federations/{federation}/pledges:template", token
    )
    return response.content
