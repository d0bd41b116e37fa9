"""Decisions (quyết định khen thưởng) through awards' API: the passed nominations a decision can
grant, the decision drafted and checked before it is issued, the issued decisions with their
grants, and a grant revoked with a reason."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.adapters.services import Services
from services.console.application.formatting import parse_date_vn
from services.console.application.problems import FormErrors
from shared.kernel import periods


def base(federation: str) -> str:
    return f"/v1/federations/{federation}"


async def listing(services: Services, token: str, federation: str, year: int) -> list[dict[str, Any]]:
    return await services.awards.pages(f"{base(federation)}/decisions", token, year=year, limit=1000)


async def passed(services: Services, token: str, federation: str, year: int) -> list[dict[str, Any]]:
    """The year's nominations a council passed that no standing grant has granted yet (awards
    narrows the list itself: only those rows come over)."""
    return await services.awards.pages(
        f"{base(federation)}/nominations",
        token,
        year=year,
        state="submitted",
        outcome="passed",
        granted="false",
        limit=1000,
    )


async def decision(services: Services, token: str, federation: str, decision_id: str) -> dict[str, Any]:
    """The decision with each of its grants as the grants list has it (subject, award, revocation,
    cancellation), those an amendment removed too."""
    body, grants = await asyncio.gather(
        services.awards.get(f"{base(federation)}/decisions/{decision_id}", token),
        services.awards.pages(f"{base(federation)}/grants", token, decision=decision_id, limit=1000),
    )
    mine = {line["grant_id"] for line in [*body.get("grants", []), *body.get("removed", [])]}
    return {**body, "lines": [g for g in grants if g["grant_id"] in mine]}


async def grant(services: Services, token: str, federation: str, grant_id: str) -> dict[str, Any]:
    return await services.awards.get(f"{base(federation)}/grants/{grant_id}", token)  # type: ignore[no-any-return]


@dataclass
class Draft:
    """A decision as typed: the form's values, what the console can already say is wrong, and
    the command for awards."""

    values: dict[str, Any]
    errors: FormErrors = field(default_factory=FormErrors)
    body: dict[str, Any] = field(default_factory=dict)


FIELDS = ("number", "signed_on", "signer", "signer_title", "signing_for", "title", "year", "period")


def draft(form: dict[str, Any], chosen: list[str], today: date) -> Draft:
    values: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in FIELDS}
    values["nominations"] = chosen
    out = Draft(values)
    if not values["number"]:
        out.errors.add("number", "Nhập số quyết định, ví dụ 45/QĐ-LĐLĐ")
    signed_on = parse_date_vn(values["signed_on"])
    if not values["signed_on"]:
        out.errors.add("signed_on", "Nhập ngày ký")
    elif signed_on is None:
        out.errors.add("signed_on", "Nhập ngày ký theo dạng dd/mm/yyyy")
    elif signed_on > today:
        out.errors.add("signed_on", "Ngày ký không được sau ngày hôm nay")
    if not values["signer"]:
        out.errors.add("signer", "Nhập họ tên người ký")
    if not values["year"].isdigit():
        out.errors.add("year", "Năm xét phải là một số, ví dụ 2026")
    period = _period(values["period"], values["year"], out.errors)
    if not chosen:
        out.errors.add("nominations", "Chọn ít nhất một đề nghị đã được Hội đồng thông qua")
    out.body = {
        "number": values["number"],
        "signed_on": signed_on.isoformat() if signed_on else values["signed_on"],
        "signer": values["signer"],
        "signer_title": values["signer_title"],
        "signing_for": values["signing_for"],
        "year": int(values["year"]) if values["year"].isdigit() else values["year"],
        "title": values["title"],
        "grants": [{"nomination": n} for n in chosen],
    } | ({"period": period} if period else {})
    return out


def _period(text: str, year: str, errors: FormErrors) -> str | None:
    """The decision's period as typed ('Năm học 2022–2023'), ending in the year; none: the year."""
    if not text:
        return None
    try:
        found = periods.parse(text)
    except ValueError:
        errors.add("period", "Ghi thời kỳ như “Năm học 2022–2023” hoặc “Giai đoạn 2021–2023”")
        return None
    if year.isdigit() and found.last != int(year):
        errors.add("period", f"{found.label} tính cho năm {found.last}, không phải năm xét {year}")
    return found.key


@dataclass
class Revocation:
    values: dict[str, str]
    errors: FormErrors = field(default_factory=FormErrors)
    body: dict[str, Any] = field(default_factory=dict)


def revocation(form: dict[str, Any], today: date) -> Revocation:
    values = {k: str(form.get(k) or "").strip() for k in ("reason", "reference", "revoked_on", "version")}
    out = Revocation(values)
    if not values["reason"]:
        out.errors.add("reason", "Nhập lý do thu hồi, ví dụ: kê khai không trung thực thành tích")
    if not values["reference"]:
        out.errors.add("reference", "Nhập số văn bản quyết định thu hồi")
    revoked_on = parse_date_vn(values["revoked_on"])
    if values["revoked_on"] and revoked_on is None:
        out.errors.add("revoked_on", "Nhập ngày thu hồi theo dạng dd/mm/yyyy")
    elif revoked_on and revoked_on > today:
        out.errors.add("revoked_on", "Ngày thu hồi không được sau ngày hôm nay")
    out.body = {"reason": values["reason"], "reference": values["reference"]}
    if revoked_on:
        out.body["revoked_on"] = revoked_on.isoformat()
    return out
