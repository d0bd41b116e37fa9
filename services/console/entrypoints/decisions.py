"""Decisions: the approver drafts a decision from the passed nominations, checks it, issues it
(check before commit), sees the issued decisions with their grants, and revokes a grant with a
reason. Pages for those who issue decisions or revoke grants; anyone else is told they do not
exist."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import access, decisions
from services.console.application.award_problems import form_errors
from services.console.application.list_columns import DECISIONS
from services.console.application.list_sorting import download_link, sorted_rows, table_view
from services.console.application.problems import FormErrors
from services.console.application.sessions import Session
from services.console.entrypoints import decision_amendments
from services.console.entrypoints.common import NotFoundPage, federation_page, redirect, render, services_of
from shared.auth.principal import Principal
from shared.kernel import clock

router = APIRouter()
router.include_router(decision_amendments.router)  # …/{decision_id}/amend and /cancel
YearQuery = Annotated[int | None, Query(ge=1945, le=2100)]
HANDLED = (400, 404, 409, 412, 422)


def _approver_page(request: Request, federation: str) -> tuple[Session, Principal]:
    session, person = federation_page(request, federation)
    if not (access.allowed(person, "decision.issue") or access.allowed(person, "grant.revoke")):
        raise NotFoundPage
    assert session.token is not None
    return session, person


def _issuer_page(request: Request, federation: str) -> tuple[Session, Principal]:
    session, person = _approver_page(request, federation)
    if not access.allowed(person, "decision.issue"):
        raise NotFoundPage
    return session, person


@router.get("/f/{federation}/decisions")
async def decision_list(
    request: Request,
    federation: str,
    year: YearQuery = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    year = year or clock.today().year
    items = await decisions.listing(services_of(request), session.token, federation, year)
    table = table_view(DECISIONS, f"/f/{federation}/decisions", {"year": year}, sort)
    items = sorted_rows(items, DECISIONS, table["sort"])
    return render(
        request, "decisions.html", federation=federation, active="decisions", year=year, items=items, **table
    )


async def _draft_page(
    request: Request, federation: str, values: dict[str, Any], errors: FormErrors, status: int = 200
) -> Response:
    session, person = _issuer_page(request, federation)
    assert session.token is not None
    year = int(values["year"]) if str(values.get("year", "")).isdigit() else clock.today().year
    waiting = await decisions.passed(services_of(request), session.token, federation, year)
    return render(
        request,
        "decision_new.html",
        status=status,
        federation=federation,
        active="decisions",
        values=values,
        errors=errors,
        waiting=waiting,
        issuing_unit=person.unit,  # a unit's approver issues its unit's decision (unit:<code>)
    )


@router.get("/f/{federation}/decisions/new")
async def new_decision(request: Request, federation: str, year: YearQuery = None) -> Response:
    _issuer_page(request, federation)
    year = year or clock.today().year
    values = {"year": str(year), "signed_on": clock.today().strftime("%d/%m/%Y"), "nominations": []}
    return await _draft_page(request, federation, values, FormErrors())


@router.post("/f/{federation}/decisions/new")
async def check_decision(request: Request, federation: str) -> Response:
    """Step 1 of 2: what the decision will grant, on one page, with one button."""
    session, _ = _issuer_page(request, federation)
    assert session.token is not None
    form = await request.form()
    chosen = [str(v) for v in form.getlist("nominations")]
    draft = decisions.draft(dict(form), chosen, clock.today())
    if form.get("back"):
        return await _draft_page(request, federation, draft.values, FormErrors())
    if draft.errors:
        return await _draft_page(request, federation, draft.values, draft.errors, 422)
    year = int(draft.values["year"])
    waiting = await decisions.passed(services_of(request), session.token, federation, year)
    lines = [n for n in waiting if n["nomination"] in chosen]
    return render(
        request,
        "decision_check.html",
        federation=federation,
        active="decisions",
        values=draft.values,
        lines=lines,
        key=secrets.token_urlsafe(16),
    )


@router.post("/f/{federation}/decisions/issue")
async def issue(request: Request, federation: str) -> Response:
    """Step 2 of 2. The check page's key makes a second press of the button the same decision."""
    session, _ = _issuer_page(request, federation)
    assert session.token is not None
    form = await request.form()
    chosen = [str(v) for v in form.getlist("nominations")]
    draft = decisions.draft(dict(form), chosen, clock.today())
    if draft.errors:
        return await _draft_page(request, federation, draft.values, draft.errors, 422)
    key = str(form.get("key") or "")[:100]
    try:
        issued = await services_of(request).awards.post(
            f"/v1/federations/{federation}/decisions",
            session.token,
            draft.body,
            headers={"Idempotency-Key": f"console-decision-{key}"} if key else None,
        )
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        errors = form_errors(exc.status, exc.body, {"grants": "nominations"})
        return await _draft_page(request, federation, draft.values, errors, 422)
    count = len(issued.get("grants", []))
    session.notice(
        f"Đã ban hành Quyết định số {issued['number']} ngày {draft.values['signed_on']}: "
        f"{count} khen thưởng. Các khen thưởng đã vào lịch sử của từng người, tập thể; "
        "báo cáo khen thưởng cập nhật sau ít phút."
    )
    return redirect(f"/f/{federation}/decisions/{issued['id']}")


@router.get("/f/{federation}/decisions/{decision_id}")
async def decision_page(request: Request, federation: str, decision_id: str) -> Response:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    body = await decisions.decision(services_of(request), session.token, federation, decision_id)
    download = download_link(f"/f/{federation}/decisions/{decision_id}/grants", {}, None)
    return render(
        request, "decision.html", federation=federation, active="decisions", decision=body, download=download
    )


# -- revocation ------------------------------------------------------------------------------


async def _grant_page(
    request: Request,
    federation: str,
    grant_id: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    session, _ = _approver_page(request, federation)
    assert session.token is not None
    body = await decisions.grant(services_of(request), session.token, federation, grant_id)
    return render(
        request,
        "decision_grant.html",
        status=status,
        federation=federation,
        active="decisions",
        grant=body,
        errors=errors,
        values=values or {},
    )


@router.get("/f/{federation}/decisions/grants/{grant_id}")
async def grant_page(request: Request, federation: str, grant_id: str) -> Response:
    return await _grant_page(request, federation, grant_id)


@router.post("/f/{federation}/decisions/grants/{grant_id}/revoke")
async def revoke(request: Request, federation: str, grant_id: str) -> Response:
    session, person = _approver_page(request, federation)
    if not access.allowed(person, "grant.revoke"):
        raise NotFoundPage
    assert session.token is not None
    form = await request.form()
    asked = decisions.revocation(dict(form), clock.today())
    if asked.errors:
        return await _grant_page(request, federation, grant_id, asked.errors, asked.values, 422)
    version = asked.values["version"]
    try:
        body = await services_of(request).awards.post(
            f"/v1/federations/{federation}/grants/{grant_id}:revoke",
            session.token,
            asked.body,
            headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
        )
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        errors = form_errors(exc.status, exc.body)
        return await _grant_page(request, federation, grant_id, errors, asked.values, 409)
    session.notice(
        f"Đã thu hồi {body.get('award_name') or body.get('award')} của {body.get('subject_name')} "
        f"(Quyết định số {body.get('decision_number')}). Từ nay khen thưởng này không còn được tính "
        "khi xét điều kiện; lịch sử vẫn giữ cả khen thưởng và việc thu hồi."
    )
    return redirect(f"/f/{federation}/decisions/grants/{grant_id}")
