"""The auditor's question "who could issue decisions in Bắc Kạn in March 2024, and who allowed
it?": the actions of the permission table in Vietnamese, the question read from the form (an
action, a day dd/mm/yyyy, optionally a unit), and registration's answer (GET …/access/who-could)
as rows — each person, role, place, from and until, who granted it and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.console.application.access import ROLE_LABELS
from services.console.application.formatting import parse_date_vn
from services.console.application.people import held, moment_vn
from services.console.application.problems import FormErrors

# Every action of shared/auth/permissions.PERMISSIONS (a unit test keeps them in step).
ACTION_LABELS = {
    "decision.issue": "Ban hành quyết định khen thưởng",
    "grant.revoke": "Thu hồi khen thưởng đã quyết định",
    "nomination.forward": "Chuyển đề nghị khen thưởng lên cấp trên, công khai lấy ý kiến",
    "nomination.submit": "Gửi và rút đề nghị khen thưởng",
    "council.manage": "Triệu tập và kết luận Hội đồng TĐKT, ghi phiếu bằng văn bản",
    "council.vote": "Bỏ phiếu trong Hội đồng TĐKT",
    "movement.launch": "Phát động phong trào thi đua",
    "pledge.submit": "Đăng ký thi đua (gửi, gửi lại, rút đăng ký)",
    "pledge.review": "Chấp nhận hoặc trả lại đăng ký thi đua",
    "target.assign": "Giao chỉ tiêu",
    "initiative.write": "Đăng ký sáng kiến",
    "initiative.recognise": "Công nhận sáng kiến và giá trị làm lợi",
    "work.write": "Đăng ký, hoàn thành và gắn biển công trình",
    "covenant.write": "Ký giao ước thi đua và bảng chấm điểm của khối",
    "tree.write": "Thay đổi cây tổ chức và đoàn viên",
    "history.record": "Ghi xếp loại và kỷ luật",
    "grant.import": "Nhập khen thưởng lịch sử và khen thưởng Nhà nước",
    "catalogue.write": "Định nghĩa danh hiệu, hình thức khen thưởng và bộ quy tắc xét",
    "policy.write": "Đặt chính sách khen thưởng của liên đoàn",
    "federation.create": "Thành lập liên đoàn (toàn quốc)",
    "federation.merge": "Sáp nhập liên đoàn (toàn quốc)",
    "access.manage": "Mời người dùng, giao và thu hồi vai trò",
    "access.read": "Xem người dùng và vai trò của họ",
    "audit.read": "Xem lịch sử kiểm tra",
    "feed.read": "Đọc luồng sự kiện",
    "subscription.manage": "Quản lý đăng ký nhận sự kiện của hệ thống khác",
    "read": "Xem dữ liệu và báo cáo",
}
FIELDS = ("action", "on", "unit")


@dataclass(frozen=True)
class Question:
    action: str
    on: date
    unit: str | None


def read(values: dict[str, str], today: date, errors: FormErrors) -> Question | None:
    """The question as the form sent it (None until an action is chosen); a day that is not
    dd/mm/yyyy, or an action not in the list, is named on its field."""
    action = values.get("action", "")
    if not action and not values.get("on"):
        return None
    if action not in ACTION_LABELS:
        errors.add("action", "Chọn việc cần kiểm tra trong danh sách")
    day: date | None = today
    if values.get("on", "").strip():
        day = parse_date_vn(values["on"].strip())
        if day is None:
            errors.add("on", "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 15/03/2024")
        elif day > today:
            errors.add("on", "Ngày kiểm tra không được sau ngày hôm nay")
    if errors or day is None:
        return None
    return Question(action, day, values.get("unit") or None)


def params(question: Question) -> dict[str, str]:
    out = {"action": question.action, "on": question.on.isoformat()}
    if question.unit:
        out["unit"] = question.unit
    return out


@dataclass(frozen=True)
class Holder:
    """One assignment that allowed the action that day."""

    name: str
    email: str
    role_label: str
    place: str
    valid_from: str
    until: str
    granted_by: str
    granted_at: str
    reason: str
    revoked_by: str
    revoke_reason: str


def _who(found: Any) -> str:
    if not isinstance(found, dict):
        return ""
    return str(found.get("name") or found.get("id") or "")


def holders(body: dict[str, Any], names: dict[str, str], federation_names: dict[str, str]) -> list[Holder]:
    """Registration's answer as rows, by name: the place in words (a unit by its name, a
    federation by its name, national as "Toàn quốc")."""
    rows = []
    for item in body.get("holders") or []:
        a = item.get("assignment") or {}
        fed = str(a.get("federation") or "")
        shown = held(a, names, federation_names.get(fed, fed))
        person = item.get("person") or {}
        rows.append(
            Holder(
                name=str(person.get("name") or ""),
                email=str(person.get("email") or ""),
                role_label=shown.role_label,
                place=shown.place,
                valid_from=shown.valid_from,
                until=moment_vn(a["revoked_at"]) if a.get("revoked_at") else "",
                granted_by=_who(item.get("granted_by")),
                granted_at=moment_vn(a["granted_at"]) if a.get("granted_at") else "",
                reason=shown.reason,
                revoked_by=_who(item.get("revoked_by")),
                revoke_reason=str(a.get("revoke_reason") or ""),
            )
        )
    return sorted(rows, key=lambda h: (h.name.casefold(), h.place))


def roles_of(body: dict[str, Any]) -> list[str]:
    """The roles the permission table lets do the action, in words."""
    return [ROLE_LABELS.get(str(r), str(r)) for r in body.get("roles") or []]
