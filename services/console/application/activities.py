"""Initiatives (sáng kiến), dedicated works (công trình chào mừng) and targets (chỉ tiêu): the
forms' fields as registration's commands, its lists read with their filters, and the targets'
progress from reporting."""

from __future__ import annotations

import re
from typing import Any

from services.console.adapters.services import Services
from services.console.application.formatting import parse_date_vn
from services.console.application.problems import FormErrors, label_of

INITIATIVE_STATES = {"registered": "Đã đăng ký", "recognised": "Đã công nhận", "rejected": "Không công nhận"}
WORK_STATES = {"registered": "Đã đăng ký", "completed": "Đã hoàn thành", "plaqued": "Đã gắn biển"}
PROGRAMMES = {"initiatives": "Sáng kiến", "works": "Công trình chào mừng"}
ORIGINS = {"assigned": "Cấp trên giao", "self": "Đơn vị tự đăng ký (cao hơn mức được giao)"}

INITIATIVE_FIELDS = (
    "code",
    "title",
    "field",
    "benefit_value",
    "author_kind",
    "author_code",
    "year",
    "registered_on",
)
WORK_FIELDS = ("code", "name", "unit", "value", "occasion", "year", "registered_on")
TARGET_FIELDS = ("unit", "programme", "year", "target", "origin")
MONEY = re.compile(r"^\s*(\d{1,3}(?:[.\s]\d{3})+|\d+)\s*(?:đ|đồng|VND|vnđ)?\s*$", re.IGNORECASE)


def money(text: str) -> int | str | None:
    """An amount in đồng as typed: 150.000.000, 150 000 000 or 150000000 (with or without
    "đồng"); what is not one is returned as typed, so registration names the field."""
    text = (text or "").strip()
    if not text:
        return None
    m = MONEY.match(text)
    if not m:
        return text
    return int(re.sub(r"[.\s]", "", m.group(1)))


def _number(text: str) -> int | str:
    text = (text or "").strip().replace(".", "")
    return int(text) if text.isdigit() else (text or "")


def _day(text: str) -> str:
    parsed = parse_date_vn(text)
    return parsed.isoformat() if parsed else (text or "").strip()


def initiative_body(values: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {k: values.get(k, "").strip() for k in ("code", "title", "field", "author_code")}
    body["author_kind"] = values.get("author_kind") or "member"
    body["year"] = _number(values.get("year", ""))
    body["registered_on"] = _day(values.get("registered_on", ""))
    value = money(values.get("benefit_value", ""))
    if value is not None:
        body["benefit_value"] = value
    return body


def decision_body(values: dict[str, str], action: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "on": _day(values.get("on", "")),
        "council_of": values.get("council_of", "").strip(),
    }
    if action == "recognise":
        value = money(values.get("benefit_value", ""))
        if value is not None:
            body["benefit_value"] = value
    else:
        body["reason"] = values.get("reason", "").strip()
    return body


def work_body(values: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {k: values.get(k, "").strip() for k in ("code", "name", "unit", "occasion")}
    body["year"] = _number(values.get("year", ""))
    body["registered_on"] = _day(values.get("registered_on", ""))
    value = money(values.get("value", ""))
    body["value"] = "" if value is None else value
    return body


def target_body(values: dict[str, str]) -> dict[str, Any]:
    return {
        "unit": values.get("unit", "").strip(),
        "programme": values.get("programme") or "initiatives",
        "year": _number(values.get("year", "")),
        "target": _number(values.get("target", "")),
        "origin": values.get("origin") or "assigned",
    }


async def listing(
    services: Services,
    token: str,
    federation: str,
    resource: str,
    filters: dict[str, Any],
    cursor: str | None,
) -> dict[str, Any]:
    """A page of initiatives or works with the filters (year, state, unit's subtree)."""
    return await services.registration.get(  # type: ignore[no-any-return]
        f"/v1/federations/{federation}/{resource}", token, **filters, cursor=cursor, limit=50
    )


async def progress(
    services: Services, token: str, federation: str, year: int, programme: str
) -> dict[str, Any]:
    """Each unit's target against what it achieved (reporting's targets report)."""
    return await services.reporting.get(  # type: ignore[no-any-return]
        f"/v1/federations/{federation}/reports/targets", token, year=year, programme=programme
    )


async def progress_xlsx(services: Services, token: str, federation: str, year: int, programme: str) -> bytes:
    response = await services.reporting.request(
        "GET",
        f"/v1/federations/{federation}/reports/targets",
        token,
        params={"year": year, "programme": programme, "format": "xlsx"},
    )
    return response.content


def missing_as_missing(errors: FormErrors, values: dict[str, str]) -> FormErrors:
    """A required field left empty is "Nhập …", whatever rule of the service it broke first (an
    empty code breaks its pattern)."""
    for problem in errors.fields:
        if problem.field in values and not values[problem.field].strip():
            problem.message, problem.original = f"Nhập {label_of(problem.field)}", ""
    return errors
