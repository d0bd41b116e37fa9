"""The development sign-in: a person picks who they are; the console mints a token for that
identity with the development secret (shared.auth.tokens.mint) and keeps it in the session.

Only when TDKT_CONSOLE_DEV_SIGN_IN is set. The OpenID Connect sign-in (next issue) fills the
same Session fields (person, token, expiry, assignment) from the provider instead."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.sessions import Person
from shared.auth.principal import Principal
from shared.auth.tokens import mint
from shared.kernel.settings import ConsoleSettings

ISSUER = "tdkt-console-dev"


@dataclass(frozen=True)
class DevIdentity:
    key: str
    label: str  # what the person acts as
    name: str  # the person's name
    roles: tuple[str, ...]
    level: str  # national | federation | unit


DEV_IDENTITIES = (
    DevIdentity("national-admin", "Quản trị viên Tổng Liên đoàn", "Nguyễn Thị Lan", ("admin",), "national"),
    DevIdentity(
        "federation-staff", "Cán bộ Văn phòng thi đua LĐLĐ tỉnh", "Hoàng Thị Thu", ("admin",), "federation"
    ),
    DevIdentity("clerk", "Văn thư công đoàn cơ sở", "Lý Văn Nam", ("clerk",), "unit"),
    DevIdentity(
        "council", "Thành viên Hội đồng Thi đua – Khen thưởng", "Triệu Thị Mai", ("council",), "federation"
    ),
    DevIdentity("approver", "Lãnh đạo LĐLĐ tỉnh (ký quyết định)", "Hà Văn Sơn", ("approver",), "federation"),
    DevIdentity("auditor", "Kiểm tra viên", "Nông Thị Hoa", ("auditor",), "federation"),
)
BY_KEY = {i.key: i for i in DEV_IDENTITIES}


@dataclass
class SignedIn:
    person: Person
    token: str
    expires_at: float
    principal: Principal
    label: str


class UnknownUnit(Exception):
    pass


def _service_token(settings: ConsoleSettings) -> str:
    """A short-lived federation reader for the sign-in page's own lookups (development only)."""
    return mint(settings, "console-dev-sign-in", settings.console_dev_federation, ["reader"], 60)


async def grassroots_units(services: Services, settings: ConsoleSettings) -> list[dict[str, Any]]:
    """The units a clerk may be the clerk of (the sign-in page's list)."""
    try:
        page = await services.registration.get(
            f"/v1/federations/{settings.console_dev_federation}/units",
            _service_token(settings),
            kind="grassroots",
            limit=1000,
        )
    except ServiceError:
        return []
    return list(page.get("items", []))


async def federation_name(services: Services, settings: ConsoleSettings) -> str:
    try:
        body = await services.registration.get(
            f"/v1/federations/{settings.console_dev_federation}", _service_token(settings)
        )
    except ServiceError:
        return settings.console_dev_federation
    return str(body.get("name") or settings.console_dev_federation)


async def sign_in(services: Services, settings: ConsoleSettings, key: str, unit: str | None) -> SignedIn:
    identity = BY_KEY[key]
    federation = settings.console_dev_federation
    label = identity.label
    if identity.level == "national":
        scope = "*"
    elif identity.level == "federation":
        scope = federation
        label = f"{identity.label} ({await federation_name(services, settings)})"
    else:
        if not unit:
            raise UnknownUnit
        try:
            body = await services.registration.get(
                f"/v1/federations/{federation}/units/{unit}", _service_token(settings)
            )
        except ServiceError:
            raise UnknownUnit from None
        path = body.get("path") or unit
        scope = f"{federation}/{path}"
        label = f"Văn thư {body.get('name', unit)}"
    subject = f"dev-{key}" + (f"-{unit}" if identity.level == "unit" else "")
    ttl = settings.console_session_max_seconds
    token = mint(settings, subject, scope, list(identity.roles), ttl)
    return SignedIn(
        person=Person(ISSUER, subject, identity.name),
        token=token,
        expires_at=time.time() + ttl - 30,
        principal=Principal(subject, scope, frozenset(identity.roles)),
        label=label,
    )
