"""The tree as it stood on any date, member search, a member, registering a member, and moving,
merging or dissolving a unit with an effective date (a form, a check page, then the change)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import tree
from services.console.application.formatting import date_vn, parse_date_vn
from services.console.application.list_columns import MEMBERS, UNITS
from services.console.application.list_paging import SORTED_CURSOR, page_of
from services.console.application.list_sorting import (
    clean_sort,
    download_link,
    heads,
    sorted_rows,
    table_view,
)
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from services.console.entrypoints.registration_changes import stored_or_refused
from shared.kernel import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]


def _as_of(text: str | None, errors: FormErrors) -> date:
    if not text:
        return clock.today()
    parsed = parse_date_vn(text)
    if parsed is None:
        errors.add("as_of", "Nhập ngày theo dạng dd/mm/yyyy")
        return clock.today()
    return parsed


@router.get("/f/{federation}/units")
async def units(
    request: Request,
    federation: str,
    as_of: Text = None,
    q: Text = None,
    cursor: Text = None,
    sort: Text = None,
) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    if person.unit and not q:
        # a unit's clerk starts at their own unit: nothing above it is theirs to browse
        suffix = f"?as_of={as_of}" if as_of else ""
        return redirect(f"/f/{federation}/units/{person.unit}{suffix}")
    errors = FormErrors()
    on = _as_of(as_of, errors)
    services = services_of(request)
    results = None
    if q and not clean_sort(MEMBERS, sort):
        own_cursor = None if (cursor or "").startswith(SORTED_CURSOR) else cursor
        results = await tree.search_members(services, session.token, federation, q.strip(), on, own_cursor)
    elif q:
        results = {}  # sorted below: the whole list found
    tops = [] if person.unit else await tree.top_units(services, session.token, federation, on)
    page = f"/f/{federation}/units"
    found = table_view(MEMBERS, page, {"q": (q or "").strip(), "as_of": date_vn(on)}, sort)
    units_table = table_view(UNITS, page, {"as_of": date_vn(on)}, sort)
    if q and found["sort"]:  # the whole list found, sorted, paged here
        results = await page_of(
            services.registration,
            f"/v1/federations/{federation}/members",
            session.token,
            {"q": (q or "").strip(), "as_of": on.isoformat()},
            MEMBERS,
            found["sort"],
            cursor,
            100,
        )
    tops = sorted_rows(tops, UNITS, units_table["sort"])
    return render(
        request,
        "units.html",
        member_heads=found["heads"],
        members_download=found["download"],
        unit_heads=units_table["heads"],
        units_download=units_table["download"],
        sort=found["sort"] or units_table["sort"],
        federation=federation,
        active="tree",
        title="Cây tổ chức",
        tops=tops,
        results=results,
        q=q or "",
        as_of_text=as_of if errors else date_vn(on),
        on=on,
        errors=errors,
    )


@router.get("/f/{federation}/units/{code}")
async def unit(
    request: Request, federation: str, code: str, as_of: Text = None, cursor: Text = None, sort: Text = None
) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    errors = FormErrors()
    on = _as_of(as_of, errors)
    order = clean_sort(MEMBERS, sort)
    own_cursor = None if order or (cursor or "").startswith(SORTED_CURSOR) else cursor
    view = await tree.unit_view(services_of(request), session.token, person, federation, code, on, own_cursor)
    params = {"as_of": date_vn(on)}
    sorted_whole = True
    if order:  # the whole subtree's members sorted, paged here
        members = await page_of(
            services_of(request).registration,
            f"/v1/federations/{federation}/members",
            session.token,
            {"unit": code, "as_of": on.isoformat()},
            MEMBERS,
            order,
            cursor,
            100,
        )
        view.members = members["items"]
        view.next_cursor = members.get("next_cursor")
        sorted_whole = members["sorted_whole"]
    return render(
        request,
        "unit.html",
        member_heads=heads(MEMBERS, f"/f/{federation}/units/{code}", params, order),
        sorted_whole=sorted_whole,
        members_download=download_link(f"/f/{federation}/units/{code}/members", params, order),
        sort=order,
        federation=federation,
        active="tree",
        view=view,
        as_of_text=as_of if errors else date_vn(on),
        as_of_query=date_vn(on),
        on=on,
        errors=errors,
    )


@router.get("/f/{federation}/members/new")
async def new_member(request: Request, federation: str, unit: Text = None) -> Response:
    _, person = federation_page(request, federation)
    require(person, "tree.write")
    values = {"unit": unit or person.unit or ""}
    return render(
        request, "member_new.html", federation=federation, active="member-new", values=values, errors=None
    )


@router.post("/f/{federation}/members/new")
async def register_member(request: Request, federation: str) -> Response:
    session, person = federation_page(request, federation)
    require(person, "tree.write")
    assert session.token is not None
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in tree.MEMBER_FIELDS}
    body = tree.member_body(values)
    try:
        created = await services_of(request).registration.post(
            f"/v1/federations/{federation}/members", session.token, body
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 422):
            raise
        errors = from_problem(exc.status, exc.body)
        return render(
            request,
            "member_new.html",
            status=422 if exc.status != 409 else 409,
            federation=federation,
            active="member-new",
            values=values,
            errors=errors,
        )
    session.notice(f"Đã lưu đoàn viên {created.get('full_name', '')} (mã {created.get('code', '')}).")
    return redirect(f"/f/{federation}/members/{created.get('code', values['code'])}")


@router.get("/f/{federation}/members/{code}")
async def member(request: Request, federation: str, code: str) -> Response:
    session, _ = federation_page(request, federation)
    assert session.token is not None
    body = await services_of(request).registration.get(
        f"/v1/federations/{federation}/members/{code}", session.token
    )
    return render(request, "member.html", federation=federation, active="tree", member=body)


async def _changeable(request: Request, federation: str, code: str, action: str) -> tuple[str, dict]:
    """The person's token and the unit, if this person may change the tree and the unit is
    theirs to see; a unit clerk (whose subtree is one unit) and anyone else get "not found"."""
    session, person = federation_page(request, federation)
    require(person, "tree.write")
    if action not in tree.CHANGES or person.unit:
        raise NotFoundPage
    assert session.token is not None
    unit = await services_of(request).registration.get(
        f"/v1/federations/{federation}/units/{code}", session.token
    )
    return session.token, unit


async def _change_form(
    request: Request,
    federation: str,
    token: str,
    unit: dict,
    change: tree.Change,
    errors: FormErrors | None,
    status: int = 200,
) -> Response:
    options = await tree.unit_options(services_of(request), token, federation, clock.today())
    return render(
        request,
        "unit_change.html",
        status=status,
        federation=federation,
        active="tree",
        unit=unit,
        change=change,
        verb=tree.CHANGES[change.action][0],
        options=[u for u in options if u.get("code") != unit.get("code")],
        values=change.values,
        errors=errors,
    )


@router.get("/f/{federation}/units/{code}/{action}")
async def change_form(request: Request, federation: str, code: str, action: str) -> Response:
    token, unit = await _changeable(request, federation, code, action)
    change = tree.Change(action, {"version": str(unit.get("version", "")), "effective_on": ""})
    return await _change_form(request, federation, token, unit, change, None)


@router.post("/f/{federation}/units/{code}/{action}")
async def change_unit(request: Request, federation: str, code: str, action: str) -> Response:
    """step=check (the form's button): the check page; step=confirm: the change is sent;
    step=edit: back to the form with what was typed."""
    token, unit = await _changeable(request, federation, code, action)
    form = await request.form()
    change = tree.change_from_form(action, {k: str(v) for k, v in form.items()})
    step = str(form.get("step") or "check")
    services = services_of(request)
    if step == "edit":
        return await _change_form(request, federation, token, unit, change, None)
    errors = await tree.check_change(services, token, federation, unit, change)
    if errors:
        return await _change_form(request, federation, token, unit, change, errors, 422)
    if step != "confirm":
        return render(
            request,
            "unit_change_check.html",
            federation=federation,
            active="tree",
            unit=unit,
            change=change,
            verb=tree.CHANGES[action][0],
            button=tree.CHANGES[action][1],
        )
    refused, fresh = await stored_or_refused(
        request,
        token,
        federation,
        f"units/{code}",
        action,
        change.body(),
        change.values,
        lambda status, body: tree.change_errors(action, status, body),
    )
    if refused is not None:
        return await _change_form(request, federation, token, fresh, change, refused, 422)
    session, _ = federation_page(request, federation)
    session.notice(tree.change_notice(unit, change))
    assert change.effective_on is not None
    shown = change.values["code"] if action == "recode" else code  # the unit under its new code
    return redirect(f"/f/{federation}/units/{shown}?as_of={date_vn(change.effective_on)}")
