"""People and their access, for a federation's admins and auditors: the list per unit, a
person's assignments, the invitation, grant and revocation forms, and the access history (who,
when, why) — all read and written through registration's access endpoints (README, "Access")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.access import ROLE_LABELS
from services.console.application.formatting import parse_date_vn
from services.console.application.problems import FormErrors

VIETNAM = timezone(timedelta(hours=7))
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EVENTS = {
    "person-invited": "Được mời vào hệ thống",
    "person-linked": "Liên kết tài khoản khi đăng nhập lần đầu",
    "access-granted": "Được giao vai trò",
    "access-revoked": "Bị thu hồi vai trò",
    "client-secret-issued": "Được cấp khóa bí mật (tài khoản hệ thống)",
}
KINDS = {"person": "Người", "service": "Tài khoản hệ thống"}
INVITE_FIELDS = ("name", "email", "unit", "kind")
GRANT_FIELDS = ("role", "unit", "valid_from", "reason")


async def units(services: Services, token: str, federation: str) -> list[dict[str, Any]]:
    """The federation's units today (for the unit lists of the forms and the filter)."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    try:
        while True:
            page = await services.registration.get(
                f"/v1/federations/{federation}/units", token, limit=1000, cursor=cursor
            )
            found.extend(page.get("items") or [])
            cursor = page.get("next_cursor")
            if not cursor or len(found) > 20_000:
                return found
    except ServiceError:
        return found


async def federation_name(services: Services, token: str, federation: str) -> str:
    try:
        body = await services.registration.get(f"/v1/federations/{federation}", token)
    except ServiceError:
        return federation
    return str(body.get("name") or federation)


async def person_in(services: Services, token: str, federation: str, person_id: str) -> dict[str, Any] | None:
    """The person, if they belong to this federation's list (invited in it, or holding an
    assignment in it); None for anyone else (the page answers "not found", as registration
    answers a stranger)."""
    if len(person_id) > 64:
        return None
    found: dict[str, Any] = await services.registration.get(f"/v1/access/people/{person_id}", token)
    mine = found.get("invited_in") == federation or any(
        a.get("federation") == federation for a in found.get("assignments") or []
    )
    return found if mine else None


def assignment_of(found: dict[str, Any], assignment: str) -> dict[str, Any] | None:
    for a in found.get("assignments") or []:
        if a.get("id") == assignment:
            return a  # type: ignore[no-any-return]
    return None


def unit_names(found: list[dict[str, Any]]) -> dict[str, str]:
    return {str(u["code"]): str(u.get("name") or u["code"]) for u in found}


@dataclass(frozen=True)
class Held:
    """An assignment as the pages show it."""

    id: str
    role: str
    role_label: str
    place: str
    unit: str | None
    valid_from: str
    revoked: bool
    revoked_at: str | None
    reason: str
    revoke_reason: str | None


def held(assignment: dict[str, Any], names: dict[str, str], federation_name: str) -> Held:
    unit = assignment.get("unit")
    if not assignment.get("federation"):
        place = "Toàn quốc"
    elif unit:
        place = names.get(str(unit), str(unit))
    else:
        place = f"Toàn liên đoàn ({federation_name})"
    return Held(
        id=str(assignment["id"]),
        role=str(assignment.get("role")),
        role_label=ROLE_LABELS.get(str(assignment.get("role")), str(assignment.get("role"))),
        place=place,
        unit=str(unit) if unit else None,
        valid_from=str(assignment.get("valid_from") or ""),
        revoked=assignment.get("revoked_at") is not None,
        revoked_at=assignment.get("revoked_at"),
        reason=str(assignment.get("reason") or ""),
        revoke_reason=assignment.get("revoke_reason"),
    )


def invite_body(values: dict[str, str], errors: FormErrors) -> dict[str, Any]:
    """A person (an e-mail required) or a service account (`kind: service`: another system,
    which gets a client secret; an e-mail optional)."""
    service = values.get("kind") == "service"
    if not values["name"].strip():
        errors.add("name", "Nhập tên hệ thống" if service else "Nhập họ và tên người được mời")
    email = values["email"].strip().lower()
    if not email and not service:
        errors.add("email", "Nhập địa chỉ e-mail của tài khoản người được mời")
    elif email and (not EMAIL.fullmatch(email) or len(email) > 254):
        errors.add("email", "Địa chỉ e-mail không đúng dạng, ví dụ ten@congdoan.vn")
    body: dict[str, Any] = {"name": values["name"].strip(), "kind": "service" if service else "person"}
    if email:
        body["email"] = email
    if values["unit"]:
        body["unit"] = values["unit"]
    return body


def invited_notice(created: dict[str, Any]) -> str:
    name = created.get("name", "")
    if created.get("kind") == "service":
        return f"Đã thêm tài khoản hệ thống {name}. Hãy giao vai trò, rồi cấp khóa bí mật cho hệ thống này."
    return (
        f"Đã mời {name} ({created.get('email', '')}). Người này đăng nhập được khi tài khoản có "
        "cùng địa chỉ e-mail; hãy giao vai trò cho họ."
    )


def grant_body(person_id: str, values: dict[str, str], today: date, errors: FormErrors) -> dict[str, Any]:
    if values["role"] not in ROLE_LABELS:
        errors.add("role", "Chọn vai trò trong danh sách")
    start = today
    if values["valid_from"].strip():
        parsed = parse_date_vn(values["valid_from"].strip())
        if parsed is None:
            errors.add("valid_from", "Nhập ngày bắt đầu theo dạng dd/mm/yyyy")
        elif parsed < today:
            errors.add("valid_from", "Ngày bắt đầu không được trước ngày hôm nay (không giao quyền lùi ngày)")
        else:
            start = parsed
    if not values["reason"].strip():
        errors.add("reason", "Nhập lý do giao vai trò (được lưu trong lịch sử truy cập)")
    body: dict[str, Any] = {
        "person": person_id,
        "role": values["role"],
        "valid_from": start.isoformat(),
        "reason": values["reason"].strip(),
    }
    if values["unit"]:
        body["unit"] = values["unit"]
    return body


@dataclass(frozen=True)
class Line:
    """One line of a person's access history."""

    at: str
    what: str
    detail: str
    by: str
    reason: str


def moment_vn(value: Any) -> str:
    """An instant as read in Vietnam: 15/03/2024 09:05."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def history(found: dict[str, Any], names: dict[str, str]) -> list[Line]:
    lines = []
    for e in found.get("history") or []:
        data = e.get("data") or {}
        detail = ""
        if e.get("event") in ("access-granted", "access-revoked"):
            unit = (data.get("unit_path") or [None])[-1] if data.get("unit_path") else None
            place = names.get(str(unit), str(unit)) if unit else str(data.get("scope") or "")
            role = ROLE_LABELS.get(str(data.get("role")), str(data.get("role")))
            detail = f"{role} — {place}"
            if e.get("event") == "access-granted" and data.get("valid_from"):
                detail += f", từ ngày {data['valid_from']}"
        elif e.get("event") == "person-invited" and data.get("email"):
            detail = str(data["email"])
        by = e.get("by") or {}
        lines.append(
            Line(
                at=moment_vn(e.get("at")),
                what=EVENTS.get(str(e.get("event")), str(e.get("event"))),
                detail=detail,
                by=str(by.get("name") or by.get("id") or ""),
                reason=str(e.get("reason") or ""),
            )
        )
    return lines
