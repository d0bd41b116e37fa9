"""What a report's figures look like in a workbook: each key's Vietnamese heading, what kind of
value it holds (a count, money, a percentage, a date, a year, text) and the words for its codes.
A row's nested figures become columns of their own (`cells`): a breakdown by state or authority
a column per state or authority, a record's parts a column each, a list of codes one text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from shared.kernel import periods
from shared.kernel.catalogue import BY_CODE
from shared.kernel.clock import VIETNAM
from shared.kernel.words import (
    EVENTS,
    LEVELS,
    PLEDGE_STATES,
    PROGRAMMES,
    SUBJECT_KINDS,
    UNIT_KINDS,
    authority_label,
)

HEADINGS = {
    "federation": "Liên đoàn",
    "federation_name": "Tên liên đoàn",
    "unit": "Đơn vị",
    "unit_name": "Tên đơn vị",
    "unit_path": "Thuộc",
    "year": "Năm",
    "as_of": "Tính đến ngày",
    "award": "Hình thức khen thưởng",
    "subject_kind": "Đối tượng",
    "pledged": "Số đăng ký",
    "participating": "Số đăng ký tham gia phong trào (không đăng ký danh hiệu)",
    "by_state": "Theo trạng thái",
    "movement": "Phong trào",
    "phase": "Đợt",
    "granted": "Số được khen",
    "revoked": "Số bị thu hồi",
    "cancelled": "Số bị hủy (quyết định sửa đổi, hủy bỏ)",
    "level": "Cấp",
    "by_authority": "Theo cấp quyết định",
    "nominated": "Số đề nghị",
    "withdrawn": "Rút",
    "forwarded": "Chuyển lên",
    "passed": "Hội đồng thông qua",
    "achieved": "Đạt",
    "percent": "Tỷ lệ",
    "registered": "Số đăng ký",
    "recognised": "Được công nhận",
    "benefit_value": "Giá trị làm lợi",
    "target": "Chỉ tiêu",
    "percent_of_target": "Tỷ lệ so với chỉ tiêu",
    "value": "Giá trị",
    "completed": "Hoàn thành",
    "completed_value": "Giá trị hoàn thành",
    "plaqued": "Gắn biển",
    "plaqued_value": "Giá trị gắn biển",
    "occasion": "Chào mừng",
    "programme": "Chương trình",
    "initiatives": "Sáng kiến",
    "works": "Công trình",
    "works_value": "Giá trị công trình",
    "works_plaqued": "Công trình gắn biển",
    "initiatives_recognised": "Sáng kiến được công nhận",
    "totals": "Cả nhiệm kỳ",
    "block": "Khối thi đua",
    "block_name": "Tên khối",
    "units": "Các đơn vị",
    "strict_rotation": "Luân phiên",
    "longest_rotation_years": "Số năm luân phiên liên tiếp",
    "years_not_to_top_scorer": "Năm không trao cho đơn vị điểm cao nhất",
    "flag_to": "Được tặng Cờ",
    "acclaimed": "Được suy tôn",
    "top_scorers": "Điểm cao nhất",
    "from": "Từ năm",
    "to": "Đến năm",
    "code": "Mã",
    "event_id": "Mã sự kiện",
    "what": "Nội dung",
    "occurred_at": "Thời điểm",
    "happened_on": "Ngày diễn ra",
    "recorded_at": "Thời điểm ghi nhận",
    "actor": "Người thực hiện",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "signer": "Người ký",
    "authority": "Cấp quyết định",
    "pledged_on": "Ngày đăng ký",
    "signed_on": "Ngày ký",
    "effective_on": "Ngày hiệu lực",
    "nomination": "Đề nghị",
    "source": "Nguồn",
    "state": "Trạng thái",
    "record": "Hồ sơ",
    "id": "Mã",
    "service": "Dịch vụ",
    "name": "Tên",
    "kind": "Loại đơn vị",
    "counted_on": "Ngày thống kê",
    "workers": "Số CNVCLĐ",
    "members": "Số đoàn viên",
    "registered_members": "Đoàn viên có hồ sơ",
    "subtree": "Cả các đơn vị trực thuộc",
    "units_by_kind": "Số đơn vị",
    "units_not_counted": "Đơn vị chưa báo số liệu",
    "not_counted": "Đơn vị chưa báo số liệu",
    "regular": "Khen thưởng thường xuyên",
    "thematic": "Khen thưởng chuyên đề",
    "ad_hoc": "Khen thưởng đột xuất",
    "period": "Thời kỳ",
    "period_kind": "Loại thời kỳ",
}
SHEETS = {
    "by_award": "Theo hình thức",
    "by_unit": "Theo đơn vị",
    "by_movement": "Theo phong trào",
    "by_phase": "Theo đợt",
    "nominated_upward": "Đề nghị cấp trên",
    "pledged_vs_achieved": "Đăng ký - Đạt",
    "by_occasion": "Theo dịp",
    "by_year": "Theo năm",
    "grants_by_award": "Khen thưởng theo hình thức",
    "blocks": "Khối thi đua",
    "years": "Cờ thi đua từng năm",
    "by_federation": "Theo liên đoàn",
    "awards_held": "Khen thưởng đã nhận",
    "entries": "Diễn biến",
    "units": "Các đơn vị",
    "by_period": "Theo thời kỳ",
}
# Excel number formats: 1.530 and 57.700.000 đồng (Excel groups digits as the reader's locale
# does), 160,4 % (1.604 stored), dd/mm/yyyy.
FORMATS = {
    "count": "#,##0",
    "money": '#,##0 "đồng"',
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "moment": "dd/mm/yyyy hh:mm",
    "year": "0",
}
MONEY = {"benefit_value", "value", "completed_value", "plaqued_value", "works_value"}
PERCENT = {"percent", "percent_of_target"}
YEARS = {"year", "from", "to"}
SERVICES = {"registration": "Đăng ký", "awards": "Khen thưởng"}
# a breakdown: its keys are codes (a state, an authority), its values counts
BREAKDOWNS: dict[str, Callable[[str], str]] = {
    "by_state": lambda code: PLEDGE_STATES.get(code, code),
    "by_authority": authority_label,
    "units_by_kind": lambda code: UNIT_KINDS.get(code, code),
}
UNIT_LISTS = {"units", "flag_to", "acclaimed", "top_scorers"}
CODES: dict[str, Callable[[str], str]] = {
    "subject_kind": lambda code: SUBJECT_KINDS.get(code, code),
    "level": lambda code: LEVELS.get(code, code),
    "authority": authority_label,
    "what": lambda code: EVENTS.get(code, code),
    "state": lambda code: PLEDGE_STATES.get(code, code),
    "programme": lambda code: PROGRAMMES.get(code, code),
    "service": lambda code: SERVICES.get(code, code),
    "kind": lambda code: UNIT_KINDS.get(code, code),
    "period": lambda key: periods.parse(key).label,
    "period_kind": lambda code: periods.LABELS.get(code, code),
}

Cell = tuple[str, str, Any]  # heading, kind, value


class Words:
    """The names a report's codes are shown by: federations' (from the read model) and the
    units' a row names (a rotation block's `unit_names`)."""

    def __init__(self, federations: dict[str, str], units: dict[str, str] | None = None) -> None:
        self.federations = federations
        self.units = units or {}

    def with_units(self, units: Any) -> Words:
        return Words(self.federations, {**self.units, **units}) if isinstance(units, dict) else self

    def authority(self, code: str) -> str:
        """A deciding authority; a federation's (`ldld:bac-kan`) by the federation's name."""
        federation = code.removeprefix("ldld:")
        if code.startswith("ldld:") and federation in self.federations:
            return f"LĐLĐ {self.federations[federation]}"
        return authority_label(code)


def award_name(row: dict[str, Any]) -> str:
    code = str(row["award"])
    named = row.get("award_name")
    if named and named != code:
        return str(named)
    award = BY_CODE.get(code)
    return award.name if award else code


def kind_of(key: str, value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "text"
    if key in MONEY:
        return "money"
    if key in PERCENT:
        return "percent"
    if key in YEARS:
        return "year"
    if key == "as_of" or key.endswith(("_on", "_date")):
        return "date"
    if key.endswith("_at"):
        return "moment"
    return "count" if isinstance(value, (int, float)) else "text"


def shown(key: str, value: Any, kind: str, words: Words) -> Any:
    """The value as the cell holds it: a real date, a fraction for a percentage, words for codes."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if kind == "percent":
        return value / 100
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if kind == "moment" and isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(VIETNAM).replace(tzinfo=None)
    if isinstance(value, list):
        if key == "unit_path":
            return " / ".join(str(v) for v in value)
        if key in UNIT_LISTS:
            return ", ".join(words.units.get(str(v), str(v)) for v in value)
        return ", ".join(str(v) for v in value)
    if key == "federation":
        return words.federations.get(str(value), value)
    if key == "authority" and isinstance(value, str):
        return words.authority(value)
    if key in CODES and isinstance(value, str):
        return CODES[key](value)
    return value


def cells(row: dict[str, Any], words: Words, prefix: str = "") -> list[Cell]:
    """A row's cells in its keys' order; a list of rows within it is left for a sheet of its own."""
    words = words.with_units(row.get("unit_names"))
    out: list[Cell] = []
    for key, value in row.items():
        heading = f"{prefix}{HEADINGS.get(key, key)}"
        if key in ("award_name", "unit_names", "period_name") or is_table(value):
            continue
        if key == "award":
            out.append((heading, "text", award_name(row)))
        elif key in BREAKDOWNS and isinstance(value, dict):
            label = words.authority if key == "by_authority" else BREAKDOWNS[key]
            out += [(f"{heading}: {label(k)}", "count", v) for k, v in value.items()]
        elif isinstance(value, dict):
            out += cells(value, words, f"{heading}: ")
        else:
            kind = kind_of(key, value)
            out.append((heading, kind, shown(key, value, kind, words)))
    return out


def is_table(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)
