"""A service account's client secret ("Cấp khóa bí mật"): registration's
POST /v1/access/people/{id}:issue-secret, asked by a form with its CSRF token, and answered by a
page that shows the secret exactly once — it is never stored by the console, never put in the
session, a notice, a URL or a log line, and the page is not cached (Cache-Control: no-store).
Only for a service account, by an admin whose scope covers it (a federation's, or nationally)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.console.application import national_people, people
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    render,
    require,
    services_of,
    signed_in,
)

router = APIRouter()


def _service_account(found: dict[str, Any] | None) -> dict[str, Any]:
    """A person of kind `service`; anyone else has no secret to issue ("not found")."""
    if found is None or found.get("kind") != "service":
        raise NotFoundPage
    return found


async def _issue(request: Request, token: str, found: dict[str, Any]) -> dict[str, Any]:
    issued: dict[str, Any] = await services_of(request).registration.post(
        f"/v1/access/people/{found['id']}:issue-secret", token
    )
    return issued


@router.post("/f/{federation}/nguoi-dung/{person_id}/khoa-bi-mat")
async def in_federation(request: Request, federation: str, person_id: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "access.manage")
    assert session.token is not None
    services = services_of(request)
    found = _service_account(await people.person_in(services, session.token, federation, person_id))
    issued = await _issue(request, session.token, found)
    names = people.unit_names(await people.units(services, session.token, federation))
    fed_name = await people.federation_name(services, session.token, federation)
    held = [people.held(a, names, fed_name) for a in found.get("assignments") or []]
    return render(
        request,
        "person_secret.html",
        federation=federation,
        active="people",
        found=found,
        issued=issued,
        held=held,
        base=f"/f/{federation}/nguoi-dung",
    )


@router.post(national_people.BASE + "/{person_id}/khoa-bi-mat")
async def nationally(request: Request, person_id: str) -> Response:
    session = signed_in(request)
    person = session.principal
    if person is None or not person.is_national or session.token is None or len(person_id) > 64:
        raise NotFoundPage
    require(person, "access.manage")
    services = services_of(request)
    found = _service_account(await services.registration.get(f"/v1/access/people/{person_id}", session.token))
    issued = await _issue(request, session.token, found)
    names = await national_people.federations(services, session.token)
    held = [national_people.place_of(a, names) for a in found.get("assignments") or []]
    return render(
        request,
        "person_secret.html",
        active="national-people",
        found=found,
        issued=issued,
        held=held,
        base=national_people.BASE,
    )
