"""The words shown for codes: states, kinds, awards; the same words on every page."""

from __future__ import annotations

from shared.catalogue import BY_CODE

PLEDGE_STATES = {
    "submitted": "Đã gửi",
    "accepted": "Đã chấp nhận",
    "returned": "Trả lại",
    "withdrawn": "Đã rút",
}
SUBJECT_KINDS = {"member": "Cá nhân", "unit": "Tập thể"}
UNIT_KINDS = {
    "upper": "Công đoàn cấp trên cơ sở",
    "grassroots": "Công đoàn cơ sở",
    "collective": "Tập thể",
    "block": "Khối thi đua",
}
MOVEMENT_KINDS = {"annual": "Thường xuyên (năm)", "thematic": "Chuyên đề", "phase": "Theo đợt"}
GENDERS = {"male": "Nam", "female": "Nữ", "other": "Khác"}


def award_name(code: str | None) -> str:
    if not code:
        return ""
    award = BY_CODE.get(code)
    return award.name if award else code


def label(table: dict[str, str], code: str | None) -> str:
    return table.get(code or "", code or "")
