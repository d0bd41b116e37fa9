"""The words shown for codes: states, kinds, awards; the same words on every page."""

from __future__ import annotations

from typing import Any

from shared.kernel.catalogue import BY_CODE
from shared.kernel.words import PLEDGE_STATES as PLEDGE_STATES  # the shared tables, named here too
from shared.kernel.words import SUBJECT_KINDS as SUBJECT_KINDS
from shared.kernel.words import UNIT_KINDS as UNIT_KINDS

MOVEMENT_KINDS = {"annual": "Thường xuyên (năm)", "thematic": "Chuyên đề", "phase": "Theo đợt"}
GENDERS = {"male": "Nam", "female": "Nữ", "other": "Khác"}


def award_name(code: str | None) -> str:
    if not code:
        return ""
    award = BY_CODE.get(code)
    return award.name if award else code


def label(table: dict[str, str], code: str | None) -> str:
    return table.get(code or "", code or "")


# A nomination's state as every page names it: withdrawn, or what its council made of it.
NOMINATION_STATES = {
    "waiting": "Chờ Hội đồng xét",
    "passed": "Hội đồng thông qua",
    "failed": "Hội đồng không thông qua",
    "withdrawn": "Đã rút",
}
# The tag's colour class for each state (the words carry the meaning; colour only helps).
NOMINATION_TAGS = {
    "waiting": "submitted",
    "passed": "accepted",
    "failed": "returned",
    "withdrawn": "withdrawn",
}
COUNCIL_STATES = {"open": "Đang biểu quyết", "resolved": "Đã kết thúc biểu quyết"}
COUNCIL_TAGS = {"open": "open", "resolved": "closed"}


def nomination_state(item: dict[str, Any]) -> str:
    """waiting | passed | failed | withdrawn, from a nomination as awards lists it."""
    if item.get("state") == "withdrawn":
        return "withdrawn"
    if item.get("passed") is True:
        return "passed"
    if item.get("passed") is False:
        return "failed"
    return "waiting"


def council_state(item: dict[str, Any]) -> str:
    return "resolved" if item.get("resolved") or item.get("results") else "open"
