"""A decision amended on its page (lines removed, grantees' names corrected) or cancelled, each
with a reason: what the console can already say is wrong, in Vietnamese beside the field, and
the command for awards (POST …/decisions/{id}:amend and :cancel)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.console.application.problems import FormErrors

# awards' fields → the form's inputs, per form
AMEND_FIELDS = {"reason": "amend_reason", "remove": "lines", "correct": "lines", "add": "lines"}
CANCEL_FIELDS = {"reason": "cancel_reason"}


@dataclass
class Change:
    values: dict[str, Any]
    errors: FormErrors = field(default_factory=FormErrors)
    body: dict[str, Any] = field(default_factory=dict)


def amendment(form: Any, lines: list[dict[str, Any]]) -> Change:
    """`form`: the page's form (remove: grant ids ticked; name.<grant id>: a corrected name);
    `lines`: the decision's standing lines, by which names are compared."""
    names = {g["grant_id"]: g.get("subject_name") or "" for g in lines}
    removed = [str(v) for v in form.getlist("remove") if str(v) in names]
    corrected: dict[str, str] = {}
    for grant_id, was in names.items():
        typed = str(form.get(f"name.{grant_id}") or "").strip()
        if typed and typed != was and grant_id not in removed:
            corrected[grant_id] = typed
    values: dict[str, Any] = {"amend_reason": str(form.get("amend_reason") or "").strip(), "remove": removed}
    values |= {"names": corrected, "version": str(form.get("version") or "")}
    out = Change(values)
    if not removed and not corrected:
        out.errors.add(
            "lines", "Chọn ít nhất một dòng để bỏ khỏi quyết định, hoặc ghi tên đúng của người được khen"
        )
    if not values["amend_reason"]:
        out.errors.add("amend_reason", "Nhập lý do sửa quyết định, ví dụ: đính chính họ tên theo hồ sơ")
    out.body = {
        "remove": removed,
        "correct": [{"grant": g, "subject_name": n} for g, n in corrected.items()],
        "reason": values["amend_reason"],
    }
    return out


def cancellation(form: Any) -> Change:
    values = {k: str(form.get(k) or "").strip() for k in ("cancel_reason", "confirm", "version")}
    out = Change(values)
    if not values["cancel_reason"]:
        out.errors.add("cancel_reason", "Nhập lý do hủy quyết định, ví dụ: ban hành sai thẩm quyền")
    if values["confirm"] != "yes":
        out.errors.add("confirm", "Đánh dấu xác nhận: hủy quyết định sẽ hủy mọi khen thưởng trong quyết định")
    out.body = {"reason": values["cancel_reason"]}
    return out
