"""People and access nationally, for national admins (auditors read): the people invited or
granted nationally (registration's GET /v1/access/people), a person's assignments everywhere,
and a grant of a national role or of a role across one federation (a national admin assigns a
federation's admins) — through registration's access endpoints (README, "Access")."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.list_paging import every_row
from services.console.application.people import Held, grant_body, held
from services.console.application.problems import FormErrors

BASE = "/quoc-gia/nguoi-dung"
GRANT_FIELDS = ("role", "federation", "valid_from", "reason")


async def federations(services: Services, token: str) -> dict[str, str]:
    """The federations by code, with their names (for the grant's list and the places)."""
    try:
        rows, _cut = await every_row(services.registration, "/v1/federations", token, {}, limit=1000)
    except ServiceError:
        return {}
    return {str(f["code"]): str(f.get("name") or f["code"]) for f in rows}


def place_of(assignment: dict[str, Any], names: dict[str, str]) -> Held:
    """An assignment as the national pages show it: national, a whole federation (by name), or a
    unit of one (by its code, with the federation's name)."""
    fed = str(assignment.get("federation") or "")
    shown = held(assignment, {}, names.get(fed, fed))
    if assignment.get("unit") and fed:
        return replace(shown, place=f"{shown.place} ({names.get(fed, fed)})")
    return shown


async def everyone(services: Services, token: str, include_revoked: bool) -> list[dict[str, Any]]:
    """Every person of the national list (invited nationally, or holding a national role)."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        page = await services.registration.get(
            "/v1/access/people",
            token,
            include_revoked=str(include_revoked).lower(),
            limit=1000,
            cursor=cursor,
        )
        found.extend(page.get("people") or [])
        cursor = page.get("next_cursor")
        if not cursor or len(found) > 20_000:
            return found


def grant(
    person_id: str, values: dict[str, str], today: date, known: dict[str, str], errors: FormErrors
) -> tuple[str, dict[str, Any]]:
    """Where to send the grant and its body: a national role to /v1/access/assignments, a role
    across a federation to that federation's assignments (with a national token)."""
    body = grant_body(person_id, {**values, "unit": ""}, today, errors)
    federation = values["federation"]
    if federation and federation not in known:
        errors.add("federation", "Chọn liên đoàn trong danh sách, hoặc để trống cho vai trò toàn quốc")
    if federation:
        return f"/v1/federations/{federation}/access/assignments", body
    return "/v1/access/assignments", body
