"""The OpenID Connect sign-in's side in the product: registration's token exchange
(`POST /v1/access/tokens`, README "Access") turns the provider's ID token into the person's
assignments, and with a chosen assignment into a product access token; the console keeps that
token in the session and shows the assignment as a role at a place ("Quản trị · LĐLĐ tỉnh Bắc
Kạn"). Scope and roles come only from registration's answer, never from the browser."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from services.console.adapters.services import ServiceError, Services
from services.console.application.access import ROLE_LABELS
from shared.auth.principal import Principal

NATIONAL = "Toàn quốc (Tổng Liên đoàn)"
SAFETY = 5.0  # seconds before the access token's expiry it is no longer used


@dataclass(frozen=True)
class Acting:
    """The person acting under one assignment: the product's token and what it carries."""

    token: str
    expires_at: float
    principal: Principal
    label: str


@dataclass(frozen=True)
class Choice:
    id: str
    role: str
    role_label: str
    place: str
    valid_from: str


def safe_return(target: str | None) -> str:
    """Where to go after signing in: only a path of this console ("/f/bac-kan/pledges?x=1").
    An absolute or scheme-relative URL ("https://evil.example", "//evil.example", "/\\evil"),
    a control character, or a sign-in page itself gives the start page."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    if parts.path.startswith(("/dang-nhap", "/dang-xuat")):
        return "/"
    return target


async def exchange(services: Services, id_token: str, assignment: str | None = None) -> dict[str, Any]:
    """Registration's token exchange (public: the ID token is the proof, so no bearer token)."""
    client = services.registration
    body: dict[str, Any] = {"id_token": id_token}
    if assignment:
        body["assignment"] = assignment
    try:
        answer = await client.http.post(client.base_url + "/v1/access/tokens", json=body)
    except httpx.HTTPError:
        raise ServiceError(503, {"detail": "registration did not answer"}) from None
    try:
        found = answer.json()
    except ValueError:
        found = {}
    if not isinstance(found, dict):
        found = {}
    if answer.status_code >= 400:
        raise ServiceError(answer.status_code, found)
    return found


async def _name(services: Services, token: str, path: str, fallback: str) -> str:
    try:
        body = await services.registration.get(path, token)
    except ServiceError:
        return fallback
    return str(body.get("name") or fallback)


async def place_of(services: Services, token: str, assignment: dict[str, Any]) -> str:
    """The assignment's place in words: the unit's and the federation's names (read with the
    token issued for that very assignment, so nothing outside it is asked)."""
    federation, unit = assignment.get("federation"), assignment.get("unit")
    if not federation:
        return NATIONAL
    fed_name = await _name(services, token, f"/v1/federations/{federation}", str(federation))
    if not unit:
        return fed_name
    unit_name = await _name(services, token, f"/v1/federations/{federation}/units/{unit}", str(unit))
    return f"{unit_name} ({fed_name})"


def role_label(role: Any) -> str:
    return ROLE_LABELS.get(str(role), str(role))


async def under(services: Services, id_token: str, assignment: str, label: str | None = None) -> Acting:
    """A product access token for `assignment` (registration refuses one revoked, not yet in
    force, or not the person's: ServiceError 403/404)."""
    answer = await exchange(services, id_token, assignment)
    token = str(answer["access_token"])
    principal = Principal(
        str(answer["sub"]), str(answer["scope"]), frozenset(answer.get("roles") or []), assignment
    )
    if label is None:
        listed: list[dict[str, Any]] = answer.get("assignments") or []
        held = next((a for a in listed if a.get("id") == assignment), {})
        label = f"{role_label(held.get('role'))} · {await place_of(services, token, held)}"
    expires_at = time.time() + float(answer.get("expires_in") or 0) - SAFETY
    return Acting(token, expires_at, principal, label)


async def choices(services: Services, id_token: str) -> tuple[dict[str, Any], list[Choice]]:
    """The person and their assignments in force, each named by role and place."""
    answer = await exchange(services, id_token)
    held = list(answer.get("assignments") or [])

    async def named(a: dict[str, Any]) -> Choice:
        try:
            acting = await under(services, id_token, str(a["id"]), label="")
            place = await place_of(services, acting.token, a)
        except ServiceError:
            place = str(a.get("scope") or "")
        return Choice(
            str(a["id"]), str(a.get("role")), role_label(a.get("role")), place, str(a.get("valid_from"))
        )

    named_all = await asyncio.gather(*(named(a) for a in held))
    return dict(answer.get("person") or {}), sorted(named_all, key=lambda c: (c.place, c.role_label))
