"""Councils: a member's councils and agenda, one nomination with its verdict and the ballot,
stepping aside; staff convene a council, record an absent member's written vote and resolve.

A council's pages are its members' and staff's; anyone else (and anyone of another federation)
is told the page does not exist. No page shows how anyone voted, only whether they did."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import access, councils, nominations
from services.console.application.award_problems import form_errors
from services.console.application.list_columns import COUNCILS
from services.console.application.list_sorting import sorted_rows, table_view
from services.console.application.problems import FormErrors
from services.console.application.sessions import Session
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from shared.auth.principal import Principal
from shared.kernel import clock

router = APIRouter()
YearQuery = Annotated[int | None, Query(ge=1945, le=2100)]
HANDLED = (400, 403, 404, 409, 412, 422)

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


def _staff(person: Principal) -> bool:
    return access.allowed(person, "council.manage")


async def _council(request: Request, federation: str, code: str) -> tuple[Session, Principal, dict[str, Any]]:
    """The council, for its members and staff only."""
    session, person = federation_page(request, federation)
    assert session.token is not None
    if not (_staff(person) or access.allowed(person, "council.vote")):
        raise NotFoundPage
    body = await councils.council(services_of(request), session.token, federation, code)
    if not _staff(person) and not councils.sits_on(body, person.sub):
        raise NotFoundPage
    return session, person, body


@router.get("/f/{federation}/councils")
async def council_list(
    request: Request,
    federation: str,
    year: YearQuery = None,
    sort: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    if not (_staff(person) or access.allowed(person, "council.vote")):
        raise NotFoundPage
    year = year or clock.today().year
    member = None if _staff(person) else person.sub
    items = await councils.listing(services_of(request), session.token, federation, year, member)
    table = table_view(COUNCILS, f"/f/{federation}/councils", {"year": year}, sort)
    items = sorted_rows(items, COUNCILS, table["sort"])
    return render(
        request, "councils.html", federation=federation, active="councils", year=year, items=items, **table
    )


# -- convening ---------------------------------------------------------------------------------


async def _convene_page(
    request: Request, federation: str, values: dict[str, Any], errors: FormErrors, status: int = 200
) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    year = int(values["year"]) if str(values.get("year", "")).isdigit() else clock.today().year
    waiting = await councils.waiting(services_of(request), session.token, federation, year)
    return render(
        request,
        "council_new.html",
        status=status,
        federation=federation,
        active="councils",
        values=values,
        errors=errors,
        waiting=waiting,
    )


@router.get("/f/{federation}/councils/new")
async def new_council(request: Request, federation: str, year: YearQuery = None) -> Response:
    _, person = federation_page(request, federation)
    require(person, "council.manage")
    year = year or clock.today().year
    values = {"year": year, "name": f"Hội đồng Thi đua – Khen thưởng năm {year}", "code": f"hd-{year}"}
    return await _convene_page(request, federation, {**values, "quorum": "", "nominations": []}, FormErrors())


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
    session, person, body = await _council(request, federation, code)
    require(person, "council.manage")
    secret = _take_key(session, code)
    return render(
        request, "council_key.html", federation=federation, active="councils", council=body, secret=secret
    )


# -- the council and its agenda ----------------------------------------------------------------


@router.get("/f/{federation}/councils/{code}")
async def council_page(request: Request, federation: str, code: str) -> Response:
    _, person, body = await _council(request, federation, code)
    return render(
        request,
        "council.html",
        federation=federation,
        active="councils",
        council=body,
        items=councils.agenda(body, person.sub),
        present=councils.present(body),
        staff=_staff(person),
        member=councils.sits_on(body, person.sub),
    )


async def _item_page(
    request: Request,
    federation: str,
    code: str,
    nomination_id: str,
    errors: FormErrors | None = None,
    status: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    session, person, body = await _council(request, federation, code)
    assert session.token is not None
    found = [i for i in councils.agenda(body, person.sub) if i.nomination == nomination_id]
    if not found:
        raise NotFoundPage
    nomination = await services_of(request).awards.get(
        f"/v1/federations/{federation}/nominations/{nomination_id}", session.token
    )
    return render(
        request,
        "council_item.html",
        status=status,
        federation=federation,
        active="councils",
        council=body,
        item=found[0],
        nomination=nomination,
        verdict=nomination.get("verdict"),
        clause_label=nominations.clause_label,
        facts=nominations.facts,
        staff=_staff(person),
        CHOICES=councils.CHOICES,
        absent=[
            m
            for m in body.get("members", [])
            if m["user"] not in body.get("voted", {}).get(nomination_id, [])
            and not councils.recused(body, m["user"], nomination_id)
        ],
        errors=errors,
        values=values or {},
    )


@router.get("/f/{federation}/councils/{code}/n/{nomination_id}")
async def agenda_item(request: Request, federation: str, code: str, nomination_id: str) -> Response:
    return await _item_page(request, federation, code, nomination_id)


@router.post("/f/{federation}/councils/{code}/n/{nomination_id}/{act}")
async def act_on_item(request: Request, federation: str, code: str, nomination_id: str, act: str) -> Response:
    """`vote` (a member's own), `recuse` (a member steps aside), `written` (staff record an absent
    member's written vote)."""
    session, person = federation_page(request, federation)
    assert session.token is not None
    if act not in ("vote", "recuse", "written"):
        raise NotFoundPage
    require(person, "council.manage" if act == "written" else "council.vote")
    form = await request.form()
    choice = str(form.get("choice") or "")
    reason = str(form.get("reason") or "").strip()
    member = str(form.get("member") or "")
    errors = FormErrors()
    if act in ("vote", "written") and choice not in councils.CHOICES:
        errors.add("choice", "Chọn một phương án để bỏ phiếu")
    if act == "written" and not member:
        errors.add("member", "Chọn thành viên vắng mặt đã gửi phiếu")
    if act == "recuse" and not reason:
        errors.add("reason", "Nhập lý do không tham gia biểu quyết")
    if errors:
        return await _item_page(request, federation, code, nomination_id, errors, 422, {"reason": reason})
    services = services_of(request)
    try:
        if act == "recuse":
            await councils.recuse(services, session.token, federation, code, nomination_id, reason)
        else:
            await councils.vote(services, session.token, federation, code, nomination_id, choice, member)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        return await _item_page(
            request,
            federation,
            code,
            nomination_id,
            form_errors(exc.status, exc.body),
            409,
            {"reason": reason},
        )
    # The notice never repeats the choice: the next person at this screen must not learn it.
    session.notice(
        {
            "vote": "Đã ghi nhận phiếu của bạn.",
            "recuse": "Đã ghi nhận: bạn không tham gia biểu quyết đề nghị này.",
            "written": "Đã ghi nhận phiếu bằng văn bản của thành viên vắng mặt.",
        }[act]
    )
    return redirect(f"/f/{federation}/councils/{code}")


# -- resolving -------------------------------------------------------------------------------


async def _resolve_page(
    request: Request, federation: str, code: str, errors: FormErrors | None = None, status: int = 200
) -> Response:
    _, person, body = await _council(request, federation, code)
    require(person, "council.manage")
    return render(
        request,
        "council_resolve.html",
        status=status,
        federation=federation,
        active="councils",
        council=body,
        items=councils.agenda(body, person.sub),
        present=councils.present(body),
        needs_key=body.get("ballot_key_held") is False,
        errors=errors,
    )


@router.get("/f/{federation}/councils/{code}/resolve")
async def resolve_check(request: Request, federation: str, code: str) -> Response:
    return await _resolve_page(request, federation, code)


@router.post("/f/{federation}/councils/{code}/resolve")
async def resolve(request: Request, federation: str, code: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "council.manage")
    assert session.token is not None
    form = await request.form()
    # A textarea sends its lines with CR LF; the key is PEM text with LF.
    secret = str(form.get("ballot_secret") or "").replace("\r\n", "\n").strip()
    version = str(form.get("version") or "")
    try:
        body = await councils.resolve(services_of(request), session.token, federation, code, version, secret)
    except ServiceError as exc:
        if exc.status not in HANDLED:
            raise
        errors = form_errors(exc.status, exc.body)
        if exc.status == 409 and "ballot_secret" in str(exc.body.get("detail", "")):
            errors = FormErrors()
            errors.add("ballot_secret", "Dán khóa phiếu kín đã nhận khi triệu tập Hội đồng")
        return await _resolve_page(request, federation, code, errors, 409 if exc.status == 409 else 422)
    results = body.get("results") or []
    passed = sum(1 for r in results if r.get("passed"))
    session.notice(
        f"Hội đồng đã kết thúc biểu quyết: {passed}/{len(results)} đề nghị được thông qua. "
        "Lãnh đạo có thể ban hành quyết định khen thưởng cho các đề nghị được thông qua."
    )
    return redirect(f"/f/{federation}/councils/{code}")
