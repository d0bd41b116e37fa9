"""A member's own changes with an effective date: transferred to another unit (chuyển sinh hoạt),
or left the union (thôi sinh hoạt). A form, a check page, then the change, as for a unit's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.console.adapters.services import Services
from services.console.application.formatting import date_prose, parse_date_vn
from services.console.application.problems import FormErrors, from_problem
from services.console.application.tree import named_unit

ACTIONS = {
    # action: (page title's verb, the button)
    "transfer": ("Chuyển sinh hoạt", "Xác nhận chuyển sinh hoạt"),
    "leave": ("Ghi thôi sinh hoạt", "Xác nhận thôi sinh hoạt"),
}


@dataclass
class MemberChange:
    """A member's change as typed in the form, and the receiving unit the check step found."""

    action: str
    values: dict[str, str]
    effective_on: date | None = None
    unit: dict[str, Any] | None = None  # a transfer's receiving unit, as registration has it

    def body(self) -> dict[str, Any]:
        """Registration's TransferMember or MemberLeaves. A date that is not dd/mm/yyyy is sent
        as typed, so registration names it."""
        typed = self.values.get("effective_on", "")
        body: dict[str, Any] = {"effective_on": self.effective_on.isoformat() if self.effective_on else typed}
        if self.action == "transfer":
            body["unit"] = self.values.get("unit", "")
        return body


def change_from_form(action: str, form: dict[str, str]) -> MemberChange:
    fields = ("effective_on", "version", *(("unit",) if action == "transfer" else ()))
    values = {k: (form.get(k) or "").strip() for k in fields}
    return MemberChange(action, values, parse_date_vn(values["effective_on"]))


async def check_change(
    services: Services, token: str, federation: str, member: dict[str, Any], change: MemberChange
) -> FormErrors:
    """What can be said before anything is sent: the date, and that the receiving unit is there
    (for this person: one outside their subtree is "not there" as well)."""
    errors = FormErrors()
    if change.effective_on is None:
        errors.add("effective_on", "Nhập ngày hiệu lực theo dạng dd/mm/yyyy")
    if change.action != "transfer":
        return errors
    code = change.values.get("unit", "")
    if not code:
        errors.add("unit", "Nhập mã đơn vị chuyển đến")
    elif code == member.get("unit"):
        errors.add("unit", "Đoàn viên đang sinh hoạt ở đơn vị này; chọn đơn vị chuyển đến")
    else:
        change.unit = await named_unit(services, token, federation, code, "unit", errors)
    return errors


def change_errors(status: int, body: dict[str, Any]) -> FormErrors:
    """Registration's refusal, each problem beside the field the form has for it: one about the
    member itself (not in a unit that day) is about the date."""
    errors = from_problem(status, body)
    for problem in errors.fields:
        if problem.field == "code":
            problem.field = "effective_on"
    return errors


def change_notice(member: dict[str, Any], change: MemberChange) -> str:
    name = member.get("full_name", member.get("code", ""))
    on = date_prose(change.effective_on)
    if change.action == "transfer":
        unit = (change.unit or {}).get("name") or change.values.get("unit", "")
        return f"Đã chuyển sinh hoạt {name} sang {unit} từ {on}. Đăng ký thi đua và khen thưởng đi theo."
    return f"Đã ghi {name} thôi sinh hoạt từ {on}. Quá trình sinh hoạt và khen thưởng vẫn giữ nguyên."
