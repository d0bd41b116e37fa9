"""The words an auditor reads: the services whose logs are audited, each event's name, the facts
of an event or a history line worth showing with their labels and values, the moment in Vietnam's
time, and who acted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.console.application.formatting import date_vn, money_vn, number_vn
from services.console.application.identities import BY_KEY
from services.console.application.labels import SUBJECT_KINDS, award_name
from services.console.application.report_kinds import STATES, authority_label
from shared.kernel.clock import VIETNAM
from shared.kernel.words import EVENTS as EVENTS  # the shared table, named here too

SERVICES = {
    "registration": "Đăng ký (đơn vị, đoàn viên, phong trào, đăng ký thi đua)",
    "awards": "Khen thưởng (đề nghị, hội đồng, quyết định)",
}
RATINGS = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "complete": "Hoàn thành nhiệm vụ",
    "incomplete": "Không hoàn thành nhiệm vụ",
}
# the facts of a line or an event worth showing, in this order, with their labels
FACTS = (
    ("decision_number", "Số quyết định"),
    ("decision_date", "Ngày quyết định"),
    ("signed_on", "Ngày ký"),
    ("signer", "Người ký"),
    ("authority", "Cấp quyết định"),
    ("award_name", "Hình thức"),
    ("award", "Mã hình thức"),
    ("year", "Năm"),
    ("movement", "Phong trào"),
    ("pledged_on", "Ngày đăng ký"),
    ("state", "Trạng thái"),
    ("rating", "Xếp loại"),
    ("kind", "Hình thức kỷ luật"),
    ("reference", "Văn bản"),
    ("revoked_on", "Ngày thu hồi"),
    ("on", "Ngày"),
    ("effective_on", "Ngày hiệu lực"),
    ("code", "Mã"),
    ("full_name", "Họ và tên"),
    ("name", "Tên"),
    ("subject_kind", "Đối tượng"),
    ("subject_code", "Mã đối tượng"),
    ("subject_name", "Tên đối tượng"),
    ("unit", "Đơn vị"),
    ("from_unit", "Từ đơn vị"),
    ("to", "Chuyển đến"),
    ("into", "Sáp nhập vào"),
    ("number", "Số"),
    ("title", "Trích yếu"),
    ("grounds", "Thành tích"),
    ("benefit_value", "Giá trị làm lợi"),
    ("value", "Giá trị"),
    ("source", "Nguồn"),
)
DATE_FACTS = {"decision_date", "signed_on", "pledged_on", "revoked_on", "on", "effective_on"}
SOURCES = {"decision": "Quyết định trong hệ thống", "import": "Nhập từ hồ sơ trước đây"}


def moment_vn(value: Any) -> str:
    """05/12/2026 14:03 in Vietnam's time."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM)
    return moment.strftime("%d/%m/%Y %H:%M")


def who(actor: str | None) -> str:
    """The account that acted: its person's name where the console knows it (development
    identities), with the account's id."""
    if not actor:
        return "Không ghi nhận"
    key = actor.removeprefix("dev-")
    for identity_key, identity in BY_KEY.items():
        if actor.startswith("dev-") and (key == identity_key or key.startswith(identity_key + "-")):
            return f"{identity.name} ({actor})"
    return actor


def fact_value(key: str, value: Any) -> str:
    if value is None or value == "" or isinstance(value, (dict, list)):
        return ""
    if key in DATE_FACTS:
        return date_vn(value)
    if key == "award":
        return award_name(str(value))
    if key == "authority":
        return authority_label(str(value))
    if key == "subject_kind":
        return SUBJECT_KINDS.get(str(value), str(value))
    if key == "rating":
        return RATINGS.get(str(value), str(value))
    if key == "state":
        return STATES.get(str(value), str(value))
    if key == "source":
        return SOURCES.get(str(value), str(value))
    if key in ("benefit_value", "value") and isinstance(value, (int, float)):
        return money_vn(value)
    if key == "year" and isinstance(value, int):
        return str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return number_vn(value)
    return str(value)


def facts(data: dict[str, Any], skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    out = []
    for key, label in FACTS:
        if key in skip or key not in data:
            continue
        if key == "award" and data.get("award_name"):
            continue
        text = fact_value(key, data[key])
        if text:
            out.append((label, text))
    return out
