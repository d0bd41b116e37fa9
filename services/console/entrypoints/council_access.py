"""Who may open a council's pages: its members and staff; anyone else (and anyone of another
federation) is told the page does not exist. And which of the awards service's refusals a
council's form shows as its errors."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from services.console.application import access, councils
from services.console.application.sessions import Session
from services.console.entrypoints.common import NotFoundPage, federation_page, services_of
from shared.auth.principal import Principal

HANDLED = (400, 403, 404, 409, 412, 422)


def is_staff(person: Principal) -> bool:
    return access.allowed(person, "council.manage")


async def council_for(
    request: Request, federation: str, code: str
) -> tuple[Session, Principal, dict[str, Any]]:
    """The council, for its members and staff only."""
    session, person = federation_page(request, federation)
    assert session.token is not None
    if not (is_staff(person) or access.allowed(person, "council.vote")):
        raise NotFoundPage
    body = await councils.council(services_of(request), session.token, federation, code)
    if not is_staff(person) and not councils.sits_on(body, person.sub):
        raise NotFoundPage
    return session, person, body
