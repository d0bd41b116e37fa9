"""Nominations: check the verdict clause by clause, then submit (check before commit); one
nomination with its verdict; the year's nominations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import disclosure, dossiers, nominations
from services.console.application.disclosure import CHANNELS as disclosure_channels
from services.console.application.list_columns import NOMINATIONS
from services.console.application.list_sorting import list_query, table_view
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import federation_page, redirect, render, require, services_of
from shared.kernel import clock
from shared.kernel.catalogue import DEFAULT_AWARDS

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]


def _render(request: Request, federation: str, values: dict[str, Any], **context: Any) -> Response:
    return render(
        request,
        "nomination_new.html",
        federation=federation,
        active="nominations",
        values=values,
        awards=[(a.code, a.name) for a in DEFAULT_AWARDS],
        clause_label=nominations.clause_label,
        facts=nominations.facts,
        **context,
    )


@router.get("/f/{federation}/nominations")
async def nomination_list(
    request: Request,
    federation: str,
    year: Annotated[int | None, Query(ge=1945, le=2100)] = None,
    sort: Text = None,
    cursor: Annotated[str | None, Query(max_length=1024)] = None,
) -> Response:
    """A page of the year's nominations, sorted and paged by awards ("Trang sau")."""
    session, _ = federation_page(request, federation)
    assert session.token is not None
    year = year or clock.today().year
    table = table_view(NOMINATIONS, f"/f/{federation}/nominations", {"year": year}, sort)
    page = await nominations.page_of_year(
        services_of(request), session.token, federation, {"year": year}, table["sort"], cursor
    )
    return render(
        request,
        "nominations.html",
        federation=federation,
        active="nominations",
        year=year,
        items=page.get("items", []),
        page=page,
        cursor=cursor,
        query=list_query({"year": year}, table["sort"]),
        **table,
    )


@router.get("/f/{federation}/nominations/new")
async def new_nomination(
    request: Request,
    federation: str,
    subject_kind: Text = None,
    subject_code: Text = None,
    award: Text = None,
    year: Annotated[int | None, Query(ge=1945, le=2100)] = None,
) -> Response:
    """The form; with a subject, award and year filled in, also the verdict clause by clause."""
    session, person = federation_page(request, federation)
    require(person, "nomination.submit")
    assert session.token is not None
    kind = subject_kind if subject_kind in ("member", "unit") else "member"
    code = (subject_code or "").strip()
    year = year or clock.today().year
    values: dict[str, Any] = {"subject_kind": kind, "subject_code": code, "award": award or "", "year": year}
    verdict = None
    errors = FormErrors()
    if code and award:
        try:
            verdict = await nominations.verdict(
                services_of(request), session.token, federation, kind, code, award, year
            )
        except ServiceError as exc:
            if exc.status == 404:
                errors.add("subject_code", "Không có đoàn viên hoặc đơn vị mang mã này trong phạm vi của bạn")
            elif exc.status == 422:
                errors = from_problem(exc.status, exc.body)
            else:
                raise
    return _render(request, federation, values, verdict=verdict, errors=errors, status=422 if errors else 200)


async def _verdict_again(
    request: Request, token: str, federation: str, body: dict[str, Any]
) -> dict[str, Any] | None:
    """The verdict clause by clause beside a refused submit's errors, so the page keeps what the
    person was looking at; none when awards cannot tell it (an unknown subject, a bad year)."""
    if not isinstance(body["year"], int) or body["subject_kind"] not in ("member", "unit"):
        return None
    try:
        return await nominations.verdict(
            services_of(request),
            token,
            federation,
            body["subject_kind"],
            body["subject_code"],
            body["award"],
            body["year"],
        )
    except ServiceError:
        return None


@router.post("/f/{federation}/nominations/new")
async def submit(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "nomination.submit")
    assert session.token is not None
    form = await request.form()
    values = {
        k: str(form.get(k) or "").strip()
        for k in ("subject_kind", "subject_code", "award", "year", "grounds")
    }
    body: dict[str, Any] = {
        "subject_kind": values["subject_kind"],
        "subject_code": values["subject_code"],
        "award": values["award"],
        "year": int(values["year"]) if values["year"].isdigit() else values["year"],
    }
    if values["grounds"]:
        body["grounds"] = values["grounds"]
    try:
        created = await services_of(request).awards.post(
            f"/v1/federations/{federation}/nominations", session.token, body
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 422):
            raise
        errors = from_problem(exc.status, exc.body)
        if exc.status == 404 and not errors.fields:
            errors = FormErrors()
            errors.add("subject_code", "Không có đoàn viên hoặc đơn vị mang mã này trong phạm vi của bạn")
        verdict = await _verdict_again(request, session.token, federation, body)
        return _render(request, federation, values, verdict=verdict, errors=errors, status=422)
    session.notice(
        f"Đã gửi đề nghị {created.get('award_name') or created.get('award')} cho "
        f"{created.get('subject_name') or created.get('subject_code')}."
    )
    return redirect(f"/f/{federation}/nominations/{created['id']}")


@router.get("/f/{federation}/nominations/{nomination_id}")
async def nomination(request: Request, federation: str, nomination_id: str) -> Response:
    return await nomination_page(request, federation, nomination_id)


async def nomination_page(
    request: Request,
    federation: str,
    nomination_id: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    disclosure_errors: FormErrors | None = None,
    disclosure_values: dict[str, str] | None = None,
) -> Response:
    """The nomination with its verdict, its disclosure and its dossier (hồ sơ); `errors`: a
    refused upload's, `disclosure_errors`: a refused disclosure's or objection's."""
    session, _ = federation_page(request, federation)
    assert session.token is not None
    services = services_of(request)
    path = f"/v1/federations/{federation}/nominations/{nomination_id}"
    body = await services.awards.get(path, session.token)
    files = await dossiers.attachments(services, session.token, federation, "nomination", nomination_id)
    shown = await disclosure.status(services, session.token, federation, body)
    return render(
        request,
        "nomination.html",
        status=status,
        federation=federation,
        active="nominations",
        nomination=body,
        clause_label=nominations.clause_label,
        facts=nominations.facts,
        dossier=files,
        dossier_kinds=[(k, dossiers.KINDS[k]) for k in dossiers.NOMINATION_KINDS],
        errors=errors,
        values=values or {},
        disclosure=shown,
        disclosure_errors=disclosure_errors,
        disclosure_values=disclosure_values or {},
        CHANNELS=disclosure_channels,
    )
