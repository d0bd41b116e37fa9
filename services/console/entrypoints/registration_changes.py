"""A change a form sends to registration (a unit's or a member's), against the version the page
was drawn from: what every such form does with registration's answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request

from services.console.adapters.services import ServiceError
from services.console.application.corrections import moved_on
from services.console.application.problems import FormErrors
from services.console.entrypoints.common import services_of

Refusal = Callable[[int, dict[str, Any]], FormErrors]


async def stored_or_refused(
    request: Request,
    token: str,
    federation: str,
    path: str,
    action: str,
    body: Any,
    values: dict[str, Any],
    refusal: Refusal,
    current: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> tuple[FormErrors | None, dict[str, Any]]:
    """POST registration's `…/{path}:{action}` with If-Match on the form's `version`. Stored: None
    and registration's answer. Refused: the refusal beside the form's fields (`refusal`) and the
    record as stored now; one changed meanwhile (409, 412) moves the form onto its version now.
    `current`: for a form that shows the record's own values (a correction, an amendment), those
    values of a record; if it changed since the form was drawn, the form (`values`, in place)
    shows it as it is now, the reason kept, and says why (`corrections.moved_on`)."""
    services = services_of(request)
    version = values.get("version", "")
    try:
        stored = await services.registration.post(
            f"/v1/federations/{federation}/{path}:{action}",
            token,
            body,
            headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
        )
        return None, stored
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 412, 422):
            raise
        fresh = await services.registration.get(f"/v1/federations/{federation}/{path}", token)
        if current is not None and (moved := moved_on(version, values, fresh, current(fresh))):
            now, errors = moved
            values.clear()
            values.update(now)
            return errors, fresh
        if exc.status in (409, 412):
            values["version"] = str(fresh.get("version", ""))
        return refusal(exc.status, exc.body), fresh
