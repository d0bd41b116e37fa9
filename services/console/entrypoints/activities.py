"""Initiatives and dedicated works: lists with their filters in the URL and cursor paging, a form
to register each, one page each with its next step (recognise or reject an initiative; complete a
work, then attach its plaque). Their labels for the templates (CONTEXT) serve the targets' pages
too (entrypoints/targets.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.console.adapters.services import ServiceError
from services.console.application import activities as a
from services.console.application.formatting import date_vn
from services.console.application.list_columns import INITIATIVES, WORKS
from services.console.application.list_paging import page_of
from services.console.application.list_sorting import list_query, table_view
from services.console.application.problems import FormErrors, from_problem
from services.console.entrypoints.common import (
    NotFoundPage,
    federation_page,
    redirect,
    render,
    require,
    services_of,
)
from shared.kernel import clock

router = APIRouter()
Text = Annotated[str | None, Query(max_length=200)]
Year = Annotated[int | None, Query(ge=1945, le=2100)]
STATES = {"initiatives": a.INITIATIVE_STATES, "works": a.WORK_STATES}
TITLES = {"initiatives": "Sáng kiến", "works": "Công trình, sản phẩm chào mừng"}
WRITE = {"initiatives": "initiative.write", "works": "work.write"}
FORM_FIELDS = {"initiatives": a.INITIATIVE_FIELDS, "works": a.WORK_FIELDS}
BODIES: dict[str, Callable[[dict[str, str]], dict[str, Any]]] = {
    "initiatives": a.initiative_body,
    "works": a.work_body,
}
CONTEXT: dict[str, Any] = {
    "INITIATIVE_STATES": a.INITIATIVE_STATES,
    "WORK_STATES": a.WORK_STATES,
    "PROGRAMMES": a.PROGRAMMES,
    "ORIGINS": a.ORIGINS,
}


def _resource(resource: str) -> str:
    if resource not in STATES:
        raise NotFoundPage
    return resource


async def activity_list(
    request: Request,
    federation: str,
    resource: str,
    year: Year = None,
    state: Text = None,
    unit: Text = None,
    cursor: Text = None,
    sort: Text = None,
) -> Response:
    resource = _resource(resource)
    session, _ = federation_page(request, federation)
    assert session.token is not None
    filters: dict[str, Any] = {
        "year": year or clock.today().year,
        "state": state if state in STATES[resource] else None,
        "unit": (unit or "").strip() or None,
    }
    columns = INITIATIVES if resource == "initiatives" else WORKS
    table = table_view(columns, f"/f/{federation}/{resource}", filters, sort)
    if table["sort"]:  # sorted by a column: the whole filtered list, paged here
        page = await page_of(
            services_of(request).registration,
            f"/v1/federations/{federation}/{resource}",
            session.token,
            filters,
            columns,
            table["sort"],
            cursor,
            50,
        )
    else:
        page = await a.listing(services_of(request), session.token, federation, resource, filters, cursor)
    query = list_query(filters, table["sort"])
    return render(
        request,
        f"{resource}.html",
        **table,
        federation=federation,
        active=resource,
        resource=resource,
        title=TITLES[resource],
        filters=filters,
        states=STATES[resource],
        page=page,
        cursor=cursor,
        query=query,
        **CONTEXT,
    )


def _defaults(resource: str, unit: str | None) -> dict[str, str]:
    today = clock.today()
    values = {"year": str(today.year), "registered_on": date_vn(today)}
    if resource == "initiatives":
        values["author_kind"] = "member"
    elif unit:
        values["unit"] = unit
    return values


def _new_page(
    request: Request,
    federation: str,
    resource: str,
    values: dict[str, str],
    errors: FormErrors | None,
    status: int = 200,
) -> Response:
    return render(
        request,
        f"{resource[:-1]}_new.html",
        status=status,
        federation=federation,
        active=resource,
        values=values,
        errors=errors,
        **CONTEXT,
    )


async def new_activity(request: Request, federation: str, resource: str) -> Response:
    resource = _resource(resource)
    _, person = federation_page(request, federation)
    require(person, WRITE[resource])
    return _new_page(request, federation, resource, _defaults(resource, person.unit), None)


async def register_activity(request: Request, federation: str, resource: str) -> Response:
    resource = _resource(resource)
    session, person = federation_page(request, federation)
    require(person, WRITE[resource])
    assert session.token is not None
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in FORM_FIELDS[resource]}
    try:
        created = await services_of(request).registration.post(
            f"/v1/federations/{federation}/{resource}", session.token, BODIES[resource](values)
        )
    except ServiceError as exc:
        if exc.status not in (400, 404, 409, 422):
            raise
        errors = a.missing_as_missing(from_problem(exc.status, exc.body), values)
        return _new_page(request, federation, resource, values, errors, 422)
    name = created.get("title") or created.get("name") or ""
    what = "sáng kiến" if resource == "initiatives" else "công trình"
    session.notice(f"Đã đăng ký {what} “{name}” (mã {created.get('code', '')}).")
    return redirect(f"/f/{federation}/{resource}/{created.get('code', values['code'])}")


async def _item_page(
    request: Request,
    federation: str,
    resource: str,
    code: str,
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    session, person = federation_page(request, federation)
    assert session.token is not None
    item = await services_of(request).registration.get(
        f"/v1/federations/{federation}/{resource}/{code}", session.token
    )
    today = date_vn(clock.today())
    defaults = {"on": today, "council_of": person.unit or item.get("unit", "")}
    return render(
        request,
        f"{resource[:-1]}.html",
        status=status,
        federation=federation,
        active=resource,
        item=item,
        errors=errors,
        values={**defaults, **(values or {})},
        **CONTEXT,
    )


async def activity(request: Request, federation: str, resource: str, code: str) -> Response:
    return await _item_page(request, federation, _resource(resource), code)


STEPS = {
    # (resource, action): (permission, what the notice says)
    ("initiatives", "recognise"): ("initiative.recognise", "Đã công nhận sáng kiến"),
    ("initiatives", "reject"): ("initiative.recognise", "Đã ghi không công nhận sáng kiến"),
    ("works", "complete"): ("work.write", "Đã ghi công trình hoàn thành"),
    ("works", "plaque"): ("work.write", "Đã ghi gắn biển công trình"),
}


async def step(request: Request, federation: str, resource: str, code: str, action: str) -> Response:
    if (resource, action) not in STEPS:
        raise NotFoundPage
    permission, done = STEPS[(resource, action)]
    session, person = federation_page(request, federation)
    require(person, permission)
    assert session.token is not None
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("on", "council_of", "benefit_value", "reason", "version")}
    if resource == "initiatives":
        body = a.decision_body(values, action)
    else:
        body = {"on": a.decision_body(values, action)["on"]}
    version = values["version"]
    try:
        item = await services_of(request).registration.post(
            f"/v1/federations/{federation}/{resource}/{code}:{action}",
            session.token,
            body,
            headers={"If-Match": f'"{version}"'} if version.isdigit() else None,
        )
    except ServiceError as exc:
        if exc.status not in (400, 409, 412, 422):
            raise
        errors = a.missing_as_missing(from_problem(exc.status, exc.body), values)
        return await _item_page(request, federation, resource, code, errors, values, 422)
    extra = ""
    if action == "recognise":
        extra = f" với giá trị làm lợi {item.get('benefit_value', 0):,} đồng".replace(",", ".")
    name = item.get("title") or item.get("name") or code
    session.notice(f"{done} “{name}”{extra}, ngày {date_vn(body['on'])}.")
    return redirect(f"/f/{federation}/{resource}/{code}")


def _routes(resource: str) -> None:
    """The pages of `resource` at literal paths (a path parameter for the resource would catch
    other pages' URLs)."""
    base = f"/f/{{federation}}/{resource}"

    async def listing(
        request: Request,
        federation: str,
        year: Year = None,
        state: Text = None,
        unit: Text = None,
        cursor: Text = None,
        sort: Text = None,
    ) -> Response:
        return await activity_list(request, federation, resource, year, state, unit, cursor, sort)

    async def new(request: Request, federation: str) -> Response:
        return await new_activity(request, federation, resource)

    async def register(request: Request, federation: str) -> Response:
        return await register_activity(request, federation, resource)

    async def item(request: Request, federation: str, code: str) -> Response:
        return await activity(request, federation, resource, code)

    async def advance(request: Request, federation: str, code: str, action: str) -> Response:
        return await step(request, federation, resource, code, action)

    for path, handler, method in (
        (base, listing, "GET"),
        (base + "/new", new, "GET"),
        (base + "/new", register, "POST"),
        (base + "/{code}", item, "GET"),
        (base + "/{code}/{action}", advance, "POST"),
    ):
        handler.__name__ = f"{resource}_{handler.__name__}"
        router.add_api_route(path, handler, methods=[method])


for _resource_name in ("initiatives", "works"):
    _routes(_resource_name)
