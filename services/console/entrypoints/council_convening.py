"""Convening a council: the form with the nominations waiting for one, the convening itself, and
a secret ballot's key shown once to whoever convened it."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import councils
from services.console.application.award_problems import form_errors
from services.console.application.list_sorting import list_query
from services.console.application.problems import FormErrors
from services.console.application.sessions import Session
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from services.console.entrypoints.council_access import HANDLED, council_for
from shared.kernel import clock

router = APIRouter()
YearQuery = Annotated[int | None, Query(ge=1945, le=2100)]

# A secret ballot's key, handed out once when the council is convened: kept here (never in a
# cookie) between the convening post and the page that shows it, then forgotten.
_KEYS: dict[tuple[str, str], tuple[float, str]] = {}
KEY_SECONDS = 600


def _keep_key(session: Session, code: str, secret: str) -> None:
    now = time.monotonic()
    for k in [k for k, (at, _) in _KEYS.items() if now - at > KEY_SECONDS]:
        del _KEYS[k]
    _KEYS[(session.id, code)] = (now, secret)


def _take_key(session: Session, code: str) -> str | None:
    found = _KEYS.pop((session.id, code), None)
    return found[1] if found and time.monotonic() - found[0] <= KEY_SECONDS else None


async def _convene_page(
    request: Request,
    federation: str,
    values: dict[str, Any],
    errors: FormErrors,
    status: int = 200,
    cursor: str | None = None,
) -> Response:
    """The form with a page of the nominations waiting ("Trang sau" for the next); those chosen
    on another page stay chosen (hidden) when the form comes back with its errors."""
    session, _ = federation_page(request, federation)
    assert session.token is not None
    year = int(values["year"]) if str(values.get("year", "")).isdigit() else clock.today().year
    page = await councils.waiting(services_of(request), session.token, federation, year, cursor)
    shown = {n["nomination"] for n in page.get("items", [])}
    return render(
        request,
        "council_new.html",
        status=status,
        federation=federation,
        active="councils",
        values=values,
        errors=errors,
        waiting=page.get("items", []),
        page=page,
        cursor=cursor,
        query=list_query({"year": year}, None),
        chosen_elsewhere=[n for n in values.get("nominations", []) if n not in shown],
    )


@router.get("/f/{federation}/councils/new")
async def new_council(
    request: Request,
    federation: str,
    year: YearQuery = None,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
) -> Response:
    _, person = federation_page(request, federation)
    require(person, "council.manage")
    year = year or clock.today().year
    values = {"year": year, "name": f"Hội đồng Thi đua – Khen thưởng năm {year}", "code": f"hd-{year}"}
    values = {**values, "quorum": "", "nominations": []}
    return await _convene_page(request, federation, values, FormErrors(), cursor=cursor)


@router.post("/f/{federation}/councils/new")
async def convene(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "council.manage")
    assert session.token is not None
    form = await request.form()
    chosen = [str(v) for v in form.getlist("nominations")]
    draft = councils.convening(dict(form), chosen, clock.today())
    await councils.placed(
        services_of(request), session.token, federation, draft.body["members"], draft.errors
    )
    if draft.errors:
        return await _convene_page(request, federation, draft.values, draft.errors, 422)
    try:
        created = await services_of(request).awards.post(councils.base(federation), session.token, draft.body)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        errors = form_errors(exc.status, exc.body)
        return await _convene_page(request, federation, draft.values, errors, 422)
    code = str(created["code"])
    secret = created.get("ballot_secret")
    session.notice(f"Đã triệu tập {created.get('name')} với {len(created.get('agenda', []))} đề nghị.")
    if secret:
        _keep_key(session, code, str(secret))
        return redirect(f"/f/{federation}/councils/{code}/key")
    return redirect(f"/f/{federation}/councils/{code}")


@router.get("/f/{federation}/councils/{code}/key")
async def ballot_key(request: Request, federation: str, code: str) -> Response:
    """The secret ballot's key, shown once to whoever convened the council."""
    session, person, body = await council_for(request, federation, code)
    require(person, "council.manage")
    secret = _take_key(session, code)
    return render(
        request, "council_key.html", federation=federation, active="councils", council=body, secret=secret
    )
