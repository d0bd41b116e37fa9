"""The organisation tree as it stood on a date, and members: read from registration."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.adapters.services import ServiceError, Services
from services.console.application.formatting import date_prose, parse_date_vn, sort_vn
from services.console.application.problems import FormErrors, from_problem
from shared.auth.principal import Principal
from shared.kernel import clock


@dataclass
class UnitView:
    unit: dict[str, Any]
    crumbs: list[dict[str, Any]] = field(default_factory=list)  # ancestors: code, name, reachable
    children: list[dict[str, Any]] = field(default_factory=list)
    members: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None
    headcounts: list[dict[str, Any]] = field(default_factory=list)  # declared figures, by day counted


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
    unit, children, members, counted = await asyncio.gather(
        services.registration.get(f"{base}/units/{code}", token),
        services.registration.get(f"{base}/units", token, parent=code, as_of=on.isoformat(), limit=1000),
        services.registration.get(
            f"{base}/members", token, unit=code, as_of=on.isoformat(), cursor=cursor, limit=100
        ),
        services.registration.get(f"{base}/units/{code}/headcounts", token),
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
    view.headcounts = [c for c in counted.get("counts", []) if c.get("counted_on", "") <= on.isoformat()]
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


# -- moving, merging and dissolving a unit with an effective date --------------------------------

CHANGES = {
    # action: (page title's verb, the button, the field naming the other unit or "")
    "move": ("Chuyển đơn vị", "Xác nhận chuyển đơn vị", "to_parent"),
    "merge": ("Sáp nhập đơn vị", "Xác nhận sáp nhập", "into"),
    "dissolve": ("Giải thể đơn vị", "Xác nhận giải thể", ""),
    "recode": ("Đổi mã đơn vị", "Xác nhận đổi mã", ""),
}
# What each change asks besides its date and the other unit: a recode's new code and reason.
OWN_FIELDS = {"recode": ("code", "reason")}


@dataclass
class Change:
    """A tree change as typed in the form, and what the check step found."""

    action: str
    values: dict[str, str]
    effective_on: date | None = None
    other: dict[str, Any] | None = None  # the new parent or the receiving unit, as registration has it

    @property
    def other_field(self) -> str:
        return CHANGES[self.action][2]

    def body(self) -> dict[str, Any]:
        """Registration's MoveUnit, MergeUnit, DissolveUnit or RecodeUnit. A date that is not
        dd/mm/yyyy is sent as typed, so registration names it."""
        typed = self.values.get("effective_on", "").strip()
        body: dict[str, Any] = {"effective_on": self.effective_on.isoformat() if self.effective_on else typed}
        if self.action == "move":
            body["to_parent"] = self.values.get("to_parent", "").strip() or None
        elif self.action == "merge":
            body["into"] = self.values.get("into", "").strip()
        for name in OWN_FIELDS.get(self.action, ()):
            body[name] = self.values.get(name, "").strip()
        return body


def change_from_form(action: str, form: dict[str, str]) -> Change:
    fields = ("effective_on", "version", CHANGES[action][2], *OWN_FIELDS.get(action, ()))
    values = {k: (form.get(k) or "").strip() for k in fields if k}
    return Change(action, values, parse_date_vn(values["effective_on"]))


async def check_change(
    services: Services, token: str, federation: str, unit: dict[str, Any], change: Change
) -> FormErrors:
    """What can be said before anything is sent: the date, and that the other unit is there
    (for this person: one outside their subtree is "not there" as well)."""
    errors = FormErrors()
    if change.effective_on is None:
        errors.add("effective_on", "Nhập ngày hiệu lực theo dạng dd/mm/yyyy")
    elif change.action in ("merge", "recode", "dissolve") and change.effective_on > clock.today():
        # registration refuses them too: the members move when the change is stored
        errors.add(
            "effective_on",
            "Sáp nhập, đổi mã hay giải thể được ghi vào đúng ngày có hiệu lực hoặc sau đó, không ghi "
            f"trước: chọn hôm nay hoặc một ngày đã qua (không phải {date_prose(change.effective_on)})",
        )
    other = change.other_field
    code = change.values.get(other, "") if other else ""
    if change.action == "recode":
        new_code = change.values.get("code", "")
        if not new_code:
            errors.add("code", "Nhập mã mới của đơn vị")
        elif new_code == unit.get("code"):
            errors.add("code", "Mã mới trùng mã hiện tại của đơn vị")
        if not change.values.get("reason"):
            errors.add("reason", "Nhập lý do đổi mã (ví dụ số quyết định đánh số lại)")
    if change.action == "merge" and not code:
        errors.add("into", "Nhập mã đơn vị nhận sáp nhập")
    elif code and code == unit.get("code"):
        errors.add(other, "Chọn một đơn vị khác với đơn vị đang thay đổi")
    elif code:
        change.other = await named_unit(services, token, federation, code, other, errors)
    return errors


async def named_unit(
    services: Services, token: str, federation: str, code: str, field: str, errors: FormErrors
) -> dict[str, Any] | None:
    """The unit a form names by `code`, as registration has it; None and the error beside `field`
    if there is none (for this person: one outside their subtree is "not there" as well)."""
    try:
        return await services.registration.get(f"/v1/federations/{federation}/units/{code}", token)  # type: ignore[no-any-return]
    except ServiceError as exc:
        if exc.status not in (400, 404, 422):
            raise
        errors.add(field, "Không có đơn vị mang mã này")
        return None


def change_errors(action: str, status: int, body: dict[str, Any]) -> FormErrors:
    """Registration's refusal, each problem beside the field the form has for it."""
    errors = from_problem(status, body)
    for problem in errors.fields:
        if action == "recode" and problem.field == "X-Reason":
            problem.field = "reason"
        elif problem.field == "code" and (action != "recode" or "đã có" not in problem.message):
            problem.field = "effective_on"  # the unit itself is not open to a change on that day
    return errors


def change_notice(unit: dict[str, Any], change: Change) -> str:
    name = unit.get("name", unit.get("code", ""))
    on = date_prose(change.effective_on)
    other = (change.other or {}).get("name") or change.values.get(change.other_field, "")
    if change.action == "move":
        where = f"trực thuộc {other}" if other else "trực thuộc thẳng liên đoàn"
        what = f"Đã chuyển {name} sang {where} từ {on}."
    elif change.action == "merge":
        what = f"Đã sáp nhập {name} vào {other} từ {on}; đoàn viên và đơn vị trực thuộc chuyển theo."
    elif change.action == "recode":
        new, old = change.values.get("code", ""), unit.get("code", "")
        what = f"Đã đổi mã {name} từ {old} thành {new} từ {on}; đoàn viên và đơn vị trực thuộc chuyển theo."
        what += f" Mã cũ {old} vẫn tra được và dẫn tới mã mới."
    else:
        what = f"Đã giải thể {name} từ {on}."
    return what + " Cây tổ chức và báo cáo của những ngày trước đó vẫn giữ như cũ."


async def unit_options(services: Services, token: str, federation: str, on: date) -> list[dict[str, Any]]:
    """Every unit in the tree on `on` (the form's list of codes to pick from)."""
    page = await services.registration.get(
        f"/v1/federations/{federation}/units", token, as_of=on.isoformat(), limit=1000
    )
    return sort_vn([u for u in page.get("items", []) if u.get("kind") != "block"], "name")
