"""The console's lists as columns: each list's columns once (heading, the value of a row as the
page shows it, how it sorts), so the page's header, its sort links and its .xlsx come from the
same description."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.console.application.activities import INITIATIVE_STATES, WORK_STATES
from services.console.application.formatting import date_vn
from services.console.application.labels import (
    COUNCIL_STATES,
    NOMINATION_STATES,
    PLEDGE_STATES,
    SUBJECT_KINDS,
    UNIT_KINDS,
    award_name,
    council_state,
    label,
    nomination_state,
)
from services.console.application.workbook import Column

# The levels a nomination is forwarded up to (the national pages' filter).
UPWARD = {"national": "Tổng Liên đoàn", "state": "Nhà nước"}


@dataclass(frozen=True)
class Col(Column):
    """A column of a list page: `key` names it in `sort=`; sortable when `sortable`."""

    key: str = ""
    sortable: bool = False


def _get(name: str) -> Callable[[Any], Any]:
    def value(row: Any) -> Any:
        return row.get(name) if isinstance(row, dict) else getattr(row, name, None)

    return value


def _named(name: str, code: str) -> Callable[[Any], Any]:
    """A name with its code, as the page shows it: "Nguyễn Văn An (dv-a1)"."""

    def value(row: Any) -> str:
        shown = row.get(name) or row.get(code) or ""
        return f"{shown} ({row.get(code)})" if row.get(code) else str(shown)

    return value


def _state(table: dict[str, str], name: str = "state") -> Callable[[Any], str]:
    return lambda row: label(table, row.get(name))


SUBJECT = Col("Đối tượng", _named("subject_name", "subject_code"), key="doi-tuong", sortable=True)
KIND = Col("Loại", _state(SUBJECT_KINDS, "subject_kind"), key="loai", sortable=True)
AWARD = Col("Hình thức", lambda r: award_name(r.get("award")), key="hinh-thuc", sortable=True)
# A pledge without an award is a pledge to take part (as the list page says it).
PLEDGED_FOR = Col(
    "Hình thức",
    lambda r: award_name(r.get("award")) or "Tham gia phong trào",
    key="hinh-thuc",
    sortable=True,
)
UNIT = Col("Đơn vị", _get("unit"), key="don-vi", sortable=True)

PLEDGES = (
    SUBJECT,
    KIND,
    PLEDGED_FOR,
    Col("Phong trào", _get("movement"), key="phong-trao", sortable=True),
    UNIT,
    Col("Ngày đăng ký", _get("pledged_on"), "date", key="ngay", sortable=True),
    Col("Trạng thái", _state(PLEDGE_STATES), key="trang-thai", sortable=True),
)
NOMINATIONS = (
    SUBJECT,
    AWARD,
    UNIT,
    Col(
        "Điều kiện",
        lambda r: "Đủ điều kiện" if r.get("eligible") else "Chưa đủ",
        key="dieu-kien",
        sortable=True,
    ),
    Col("Trạng thái", lambda r: NOMINATION_STATES[nomination_state(r)], key="trang-thai", sortable=True),
)
COUNCILS = (
    Col("Hội đồng", _named("name", "code"), key="ten", sortable=True),
    Col("Ngày họp", _get("meets_on"), "date", key="ngay", sortable=True),
    Col("Hình thức bỏ phiếu", lambda r: "Bỏ phiếu kín" if r.get("secret_ballot") else "Biểu quyết công khai"),
    Col("Số đề nghị", lambda r: len(r.get("nominations") or []), "number", key="so-de-nghi", sortable=True),
    Col("Trạng thái", lambda r: COUNCIL_STATES[council_state(r)], key="trang-thai", sortable=True),
)
def _grant_state(row: dict[str, Any]) -> str:
    """As the decision's page says it: cancelled, revoked, or standing."""
    if row.get("cancelled_on"):
        return f"Đã hủy ngày {date_vn(row['cancelled_on'])}"
    if row.get("revoked_on"):
        return f"Đã thu hồi ngày {date_vn(row['revoked_on'])}"
    return "Còn hiệu lực"


def _decision_number(row: dict[str, Any]) -> str:
    cancelled = row.get("cancelled_on")
    return str(row.get("number") or "") + (f" Đã hủy ngày {date_vn(cancelled)}" if cancelled else "")


DECISIONS = (
    # A cancelled decision says so beside its number, on the page and in its download.
    Col("Số quyết định", _decision_number, key="so", sortable=True),
    Col("Ngày ký", _get("signed_on"), "date", key="ngay", sortable=True),
    Col("Người ký", _get("signer"), key="nguoi-ky", sortable=True),
    Col("Trích yếu", lambda r: r.get("title") or "—"),
    Col("Số khen thưởng", _get("grants"), "number"),
    Col("Đã thu hồi", _get("revoked"), "number"),
)
GRANTS = (
    Col(
        "Đối tượng",
        lambda r: (
            f"{r.get('subject_name')} "
            f"({label(SUBJECT_KINDS, r.get('subject_kind'))}, {r.get('subject_code')})"
        ),
        key="doi-tuong",
        sortable=True,
    ),
    AWARD,
    UNIT,
    Col("Trạng thái", lambda r: _grant_state(r)),
)
INITIATIVES = (
    Col("Sáng kiến", _named("title", "code"), key="ten", sortable=True),
    Col(
        "Tác giả",
        lambda r: f"{label(SUBJECT_KINDS, r.get('author_kind'))} {r.get('author_code') or ''}".strip(),
    ),
    UNIT,
    Col("Giá trị làm lợi", _get("benefit_value"), "money", key="gia-tri", sortable=True),
    Col("Ngày đăng ký", _get("registered_on"), "date", key="ngay", sortable=True),
    Col("Trạng thái", _state(INITIATIVE_STATES), key="trang-thai", sortable=True),
)
WORKS = (
    Col("Công trình", _named("name", "code"), key="ten", sortable=True),
    UNIT,
    Col("Chào mừng", _get("occasion")),
    Col("Giá trị", _get("value"), "money", key="gia-tri", sortable=True),
    Col("Ngày đăng ký", _get("registered_on"), "date", key="ngay", sortable=True),
    Col("Trạng thái", _state(WORK_STATES), key="trang-thai", sortable=True),
)
MEMBERS = (
    Col("Họ và tên", _get("full_name"), key="ten", sortable=True),
    Col("Mã", _get("code"), key="ma", sortable=True),
    Col("Đơn vị", _get("unit"), key="don-vi", sortable=True),
)
UNITS = (
    Col("Đơn vị", _get("name"), key="ten", sortable=True),
    Col("Loại", _state(UNIT_KINDS, "kind"), key="loai", sortable=True),
    Col("Mã", _get("code"), key="ma", sortable=True),
)
FORWARDED = (
    Col("Liên đoàn", _get("federation_name"), key="lien-doan", sortable=True),
    SUBJECT,
    KIND,
    AWARD,
    UNIT,
    Col(
        "Hội đồng liên đoàn",
        lambda r: NOMINATION_STATES[nomination_state(r)],
        key="trang-thai",
        sortable=True,
    ),
    Col("Chuyển lên", _state(UPWARD, "forwarded_to")),
)
HELD = (
    Col("Hình thức khen thưởng", _get("award")),
    Col("Năm", _get("year"), "number"),
    Col(
        "Quyết định",
        lambda h: (
            (
                f"Số {h.decision_number}"
                + (f" ngày {h.decision_date}" if h.decision_date else "")
                + (f" ({h.authority})" if h.authority else "")
            )
            if h.decision_number
            else "Không ghi số"
        ),
    ),
    Col("Người ký", lambda h: h.signer or "–"),
    Col(
        "Người ghi nhận vào hệ thống",
        lambda h: h.recorded_by + (f" lúc {h.recorded_at}" if h.recorded_at else ""),
    ),
)
HISTORY = (
    Col("Ngày diễn ra", _get("happened")),
    Col("Thời điểm ghi nhận", _get("when")),
    Col(
        "Việc",
        lambda line: (
            line.what + (f"\n{line.award}" + (f" năm {line.year}" if line.year else "") if line.award else "")
        ),
    ),
    Col("Chi tiết", lambda line: "\n".join(f"{k}: {v}" for k, v in line.facts)),
    Col("Lý do", lambda line: line.reason or "–"),
    Col("Người ghi nhận", _get("recorded_by")),
)
