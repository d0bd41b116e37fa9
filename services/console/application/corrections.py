"""Stored details corrected with a reason — a member's (a misspelt name, a wrong birth year), a
unit's name, an initiative's or a work's details: only what differs from what is stored is
sent, and the history keeps both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.console.application.activities import money
from services.console.application.formatting import number_vn
from services.console.application.problems import FormErrors, from_problem

FIELDS = ("full_name", "birth_year", "gender", "position")


def values_of(member: dict[str, Any]) -> dict[str, str]:
    """The form's values as stored now."""
    return {name: "" if member.get(name) is None else str(member[name]) for name in FIELDS}


def correction(
    member: dict[str, Any], form: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any], FormErrors]:
    """What was typed, registration's CorrectMember (the details that differ, an emptied optional
    one as null), and what can be said before anything is sent."""
    values = {name: (form.get(name) or "").strip() for name in (*FIELDS, "reason", "version")}
    errors = FormErrors()
    body: dict[str, Any] = {}
    stored = values_of(member)
    for name in FIELDS:
        typed = values[name]
        if typed == stored[name]:
            continue
        if name == "full_name" and not typed:
            errors.add("full_name", "Nhập họ và tên")
        elif name == "birth_year" and typed and not typed.isdigit():
            errors.add("birth_year", "Nhập năm sinh bằng bốn chữ số, ví dụ 1985")
        else:
            body[name] = (int(typed) if name == "birth_year" else typed) if typed else None
    return reasoned(values, body, errors, "full_name", "Nhập lý do đính chính (ví dụ: tên lưu sai ký tự)")


UNCHANGED = "Chưa có thông tin nào khác với thông tin đã lưu"


def reasoned(
    values: dict[str, Any],
    body: dict[str, Any],
    errors: FormErrors,
    first: str,
    ask_reason: str,
    unchanged: str = UNCHANGED,
) -> tuple[dict[str, Any], dict[str, Any], FormErrors]:
    """A change's form as its callers return it, with the reason in the body: a change says why
    (`ask_reason` beside the reason) and changes something (`unchanged` beside `first`, the
    form's first field, when the body holds nothing and nothing else is wrong)."""
    if not values["reason"]:
        errors.add("reason", ask_reason)
    if not body and not errors:
        errors.add(first, unchanged)
    body["reason"] = values["reason"]
    return values, body, errors


def unit_correction(
    unit: dict[str, Any], form: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any], FormErrors]:
    """What was typed, registration's CorrectName, and what can be said before anything is sent."""
    values = {name: (form.get(name) or "").strip() for name in ("name", "reason", "version")}
    errors = FormErrors()
    if not values["name"]:
        errors.add("name", "Nhập tên đúng của đơn vị")
    elif values["name"] == unit.get("name"):
        errors.add("name", "Tên này trùng tên đã lưu; sửa tên cho đúng rồi lưu")
    if not values["reason"]:
        errors.add("reason", "Nhập lý do đính chính (ví dụ: tên lưu sai ký tự)")
    return values, {"name": values["name"], "reason": values["reason"]}, errors


def correction_errors(status: int, body: dict[str, Any]) -> FormErrors:
    """Registration's refusal beside the form's fields (its reason header is the form's reason)."""
    errors = from_problem(status, body)
    for problem in errors.fields:
        if problem.field == "X-Reason":
            problem.field = "reason"
    return errors


@dataclass(frozen=True)
class DetailField:
    name: str
    label: str
    hint: str = ""
    amount: bool = False  # an amount in đồng, typed 120.000.000


# An initiative's and a work's details a correction may change (their code, author or unit and
# year are who they are, and are not corrected).
ACTIVITY_FIELDS: dict[str, tuple[DetailField, ...]] = {
    "initiatives": (
        DetailField("title", "Tên sáng kiến"),
        DetailField("field", "Lĩnh vực"),
        DetailField("benefit_value", "Giá trị làm lợi đã đăng ký (đồng)", "Ví dụ 120.000.000", True),
    ),
    "works": (
        DetailField("name", "Tên công trình"),
        DetailField("value", "Giá trị (đồng)", "Ví dụ 1.450.000.000", True),
        DetailField("occasion", "Chào mừng (sự kiện)"),
    ),
}


def activity_fields(resource: str, item: dict[str, Any]) -> tuple[DetailField, ...]:
    """The details the form corrects: once a council has decided an initiative, its value is the
    council's (recognised with the decision), not the declared one a correction may change."""
    fields = ACTIVITY_FIELDS[resource]
    if resource == "initiatives" and item.get("state", "registered") != "registered":
        return tuple(f for f in fields if f.name != "benefit_value")
    return fields


def activity_values(resource: str, item: dict[str, Any]) -> dict[str, str]:
    """The form's values as stored now, amounts as a clerk types them (120.000.000)."""
    values: dict[str, str] = {}
    for f in activity_fields(resource, item):
        stored = item.get(f.name)
        values[f.name] = "" if stored is None else number_vn(stored) if f.amount else str(stored)
    return values


def activity_correction(
    resource: str, item: dict[str, Any], form: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any], FormErrors]:
    """What was typed, registration's CorrectInitiative or CorrectWork (the details that differ),
    and what can be said before anything is sent."""
    fields = ACTIVITY_FIELDS[resource]
    values = {
        name: (form.get(name) or "").strip() for name in (*(f.name for f in fields), "reason", "version")
    }
    errors = FormErrors()
    body: dict[str, Any] = {}
    for f in fields:
        typed = values[f.name]
        if not typed:
            errors.add(f.name, f"Nhập {f.label[:1].lower() + f.label[1:]}")
            continue
        amount = money(typed) if f.amount else typed
        if f.amount and not isinstance(amount, int):
            errors.add(f.name, "Nhập số tiền bằng chữ số, ví dụ 120.000.000")
        elif amount != item.get(f.name):
            body[f.name] = amount
    ask = "Nhập lý do đính chính (ví dụ: tên lưu sai so với hồ sơ)"
    return reasoned(values, body, errors, fields[0].name, ask)


CHANGED_MEANWHILE = (
    "Thông tin vừa được người khác thay đổi; biểu mẫu nay hiện thông tin mới nhất. Xem lại, sửa rồi lưu lại."
)


def moved_on(
    typed_version: str, typed: dict[str, Any], fresh: dict[str, Any], now: dict[str, Any]
) -> tuple[dict[str, Any], FormErrors] | None:
    """When the record changed after the form was shown (its version moved on): the form as
    the record is now (`now`, its values), the reason kept, and why. Sent again as it was typed,
    the form would undo the other change in the fields it shows."""
    version = str(fresh.get("version", ""))
    if version == typed_version:
        return None
    return now | {"version": version, "reason": typed.get("reason", "")}, FormErrors(
        summary=CHANGED_MEANWHILE
    )
