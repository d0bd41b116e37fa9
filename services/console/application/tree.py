"""The organisation tree as it stood on a date, and members: read from registration."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.formatting import sort_vn
from shared.auth import Principal


@dataclass
class UnitView:
    unit: dict[str, Any]
    crumbs: list[dict[str, Any]] = field(default_factory=list)  # ancestors: code, name, reachable
    children: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None


def reachable(person: Principal, federation: str, path: list[str]) -> bool:
    return person.covers_unit(federation, tuple(path))


async def top_units(services: Services, token: str, federation: str, on: date) -> list[dict[str, Any]]:
    page = await services.registration.get(
        f"/v1/federations/{federation}/units", token, parent="", as_of=on.isoformat(), limit=1000
    )
    return sort_vn(page.get("items", []), "name")


async def unit_view(
    services: Services,
    token: str,
    person: Principal,
    federation: str,
    code: str,
    on: date,
    cursor: str | None,
) -> UnitView:
    """A unit (404 from registration when it does not exist or lies outside the person's
    subtree), its ancestors, its subunits and the members of its subtree on `on`."""
    base = f"/v1/federations/{federation}"
    unit, children, members = await asyncio.gather(
        services.registration.get(f"{base}/units/{code}", token),
        services.registration.get(f"{base}/units", token, parent=code, as_of=on.isoformat(), limit=1000),
        services.registration.get(
            f"{base}/members", token, unit=code, as_of=on.isoformat(), cursor=cursor, limit=100
        ),
    )
    path = [p for p in str(unit.get("path") or code).split("/") if p]
    ancestors = path[:-1]
    view = UnitView(unit)

    async def crumb(i: int, ancestor: str) -> dict[str, Any]:
        inside = reachable(person, federation, path[: i + 1])
        name = ancestor
        if inside:
            try:
                name = (await services.registration.get(f"{base}/units/{ancestor}", token)).get(
                    "name", ancestor
                )
            except ServiceError:
                inside = False
        return {"code": ancestor, "name": name, "reachable": inside}

    view.crumbs = list(await asyncio.gather(*(crumb(i, a) for i, a in enumerate(ancestors))))
    view.children = sort_vn(children.get("items", []), "name")
    view.members = members.get("items", [])
    view.next_cursor = members.get("next_cursor")
    return view


async def search_members(
    services: Services, token: str, federation: str, q: str, on: date, cursor: str | None
) -> dict[str, Any]:
    return await services.registration.get(  # type: ignore[no-any-return]
        f"/v1/federations/{federation}/members", token, q=q, as_of=on.isoformat(), cursor=cursor, limit=100
    )


MEMBER_FIELDS = ("code", "full_name", "unit", "birth_year", "gender", "position")


def member_body(form: dict[str, str]) -> dict[str, Any]:
    """The registration command from the form: empty optional fields left out; what is not a
    number is sent as typed, so registration names the field."""
    body: dict[str, Any] = {}
    for name in MEMBER_FIELDS:
        value = (form.get(name) or "").strip()
        if not value:
            if name in ("code", "full_name", "unit"):
                body[name] = value
            continue
        if name == "birth_year" and value.isdigit():
            body[name] = int(value)
        else:
            body[name] = value
    return body
