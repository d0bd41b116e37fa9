"""Public disclosure (công khai) as the console shows it: the federation's public board (no
sign-in), a nomination's disclosure status with the objections recorded, and the staff's forms
to start a disclosure and record an objection received."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx

from services.console.adapters.services import ServiceClient, ServiceError, Services
from shared.kernel import clock

FEDERATION = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
CHANNELS = {
    "letter": "Đơn, thư gửi đến",
    "in-person": "Phản ánh trực tiếp",
    "email": "Thư điện tử",
    "phone": "Điện thoại",
    "other": "Cách khác",
}


def base(federation: str, nomination: str) -> str:
    return f"/v1/federations/{federation}/nominations/{nomination}"


async def public_board(client: ServiceClient, federation: str) -> dict[str, Any] | None:
    """Awards' public board of `federation` (no token), None if awards knows no such federation."""
    if not FEDERATION.fullmatch(federation):
        return None
    try:
        response = await client.http.get(f"{client.base_url}/v1/public/federations/{federation}/disclosures")
    except httpx.HTTPError:
        raise ServiceError(503, {"detail": f"{client.name} did not answer"}) from None
    if response.status_code == 404:
        return None
    if response.status_code >= 400:
        raise ServiceError(response.status_code, {})
    body = response.json()
    return body if isinstance(body, dict) else None


async def status(
    services: Services, token: str, federation: str, nomination: dict[str, Any]
) -> dict[str, Any] | None:
    """None where the award needs no disclosure; else its state (`none`, `running`, `done`), its
    first and last day and the objections recorded."""
    catalogue = await services.awards.get(f"/v1/federations/{federation}/catalogue", token)
    awards = catalogue.get("awards", catalogue) if isinstance(catalogue, dict) else catalogue
    award = next((a for a in awards if isinstance(a, dict) and a.get("code") == nomination["award"]), {})
    if not award.get("disclosure"):
        return None
    found = nomination.get("disclosure")
    if not found:
        return {"state": "none", "objections": []}
    ends_on = date.fromisoformat(str(found["ends_on"]))
    objections = await services.awards.get(base(federation, nomination["id"]) + "/objections", token)
    return {
        "state": "running" if clock.today() <= ends_on else "done",
        "starts_on": found["starts_on"],
        "ends_on": found["ends_on"],
        "objections": objections.get("items", []),
    }


async def disclose(services: Services, token: str, federation: str, nomination: str, starts_on: date) -> None:
    await services.awards.post(
        base(federation, nomination) + ":disclose", token, {"starts_on": starts_on.isoformat()}
    )


async def record_objection(
    services: Services, token: str, federation: str, nomination: str, objection: dict[str, Any]
) -> None:
    await services.awards.post(base(federation, nomination) + "/objections", token, objection)
