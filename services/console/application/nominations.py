"""Nominations (awards): the eligibility verdict clause by clause before submitting, the
nomination with the verdict attached, and the list of the year's nominations."""

from __future__ import annotations

from typing import Any

from services.console.adapters.services import Services
from services.console.application.labels import award_name

CLAUSES = {
    "pledged": "Đã đăng ký thi đua hình thức này trong năm",
    "not-under-review": "Không đang bị xem xét kỷ luật",
    "not-granted-twice": "Chưa được tặng hình thức này cho cùng kỳ",
    "rating": "Xếp loại của năm",
    "no-discipline": "Không bị kỷ luật trong năm",
    "no_discipline": "Không bị kỷ luật trong năm",
    "initiatives": "Sáng kiến được công nhận",
    "streak": "Số năm liên tục",
    "count": "Số năm đạt trong các năm gần nhất",
    "members": "Tỷ lệ đoàn viên đạt",
    "acclaimed-leader": "Được suy tôn dẫn đầu khối",
    "basis": "Thành tích làm căn cứ",
    "2-years-cstd": "2 năm liên tục Chiến sĩ thi đua cơ sở",
    "2-years-excellent": "2 năm liên tục hoàn thành xuất sắc nhiệm vụ",
    "2-initiatives": "2 sáng kiến được công nhận",
    "2-years-excellent-2-initiatives": "2 năm hoàn thành xuất sắc nhiệm vụ và 2 sáng kiến",
    "ratio-cap": "Trong giới hạn tỷ lệ",
    "rating-at-least-good": "Xếp loại từ Hoàn thành tốt nhiệm vụ trở lên",
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "initiative": "Có sáng kiến được công nhận trong năm",
    "excellent-or-initiative": "Hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến được công nhận",
    "holds": "Đã được tặng hình thức làm căn cứ",
    "holds-ldtt": "Đạt danh hiệu Lao động tiên tiến trong năm",
    "holds-provincial-bang-khen": "Đã được tặng Bằng khen cấp tỉnh",
    "holds-bang-khen-ttg": "Đã được tặng Bằng khen của Thủ tướng Chính phủ",
    "bang-khen-ldld-year-before": "Được tặng Bằng khen của LĐLĐ tỉnh năm trước",
    "5-years-good": "5 năm liên tục hoàn thành tốt nhiệm vụ trở lên",
    "3-of-5-cstd": "3 trong 5 năm gần nhất đạt Chiến sĩ thi đua cơ sở",
    "1-excellent-in-5": "Ít nhất 1 năm hoàn thành xuất sắc nhiệm vụ trong 5 năm gần nhất",
    "70-percent-ldtt": "Ít nhất 70 % đoàn viên đạt Lao động tiên tiến",
    "70-percent-good": "Ít nhất 70 % đoàn viên hoàn thành tốt nhiệm vụ trở lên",
    "all-complete": "Mọi đoàn viên hoàn thành nhiệm vụ trở lên",
    "one-cstd": "Có cá nhân đạt Chiến sĩ thi đua cơ sở",
    "no-warning-or-above": "Không đoàn viên nào bị kỷ luật từ cảnh cáo trở lên",
    "acclaimed-block-leader": "Được suy tôn dẫn đầu khối thi đua",
    "not-granted": "Chưa được tặng hình thức này cho cùng kỳ",
    "2-times-cstd-province": "2 lần Chiến sĩ thi đua cấp tỉnh",
    "3-years-cstd": "3 năm liên tục Chiến sĩ thi đua cơ sở",
    "5-initiatives": "5 sáng kiến được công nhận trong 5 năm",
    "5-years-excellent": "5 năm liên tục hoàn thành xuất sắc nhiệm vụ",
    "holds-huan-chuong-lao-dong-2": "Đã được tặng Huân chương Lao động hạng Nhì",
    "holds-huan-chuong-lao-dong-3": "Đã được tặng Huân chương Lao động hạng Ba",
    "more-than-half-ldtt": "Trên 50 % đoàn viên đạt Lao động tiên tiến",
    "no-rule-in-force": "Có quy định đang có hiệu lực cho năm đề nghị",
    "all": "Đạt tất cả các điều kiện",
    "any": "Đạt một trong các điều kiện",
}
FACTS = {
    "year": "Năm",
    "years": "Các năm",
    "rating": "Xếp loại",
    "ratings": "Xếp loại",
    "required": "Yêu cầu",
    "at_least": "Ít nhất",
    "found": "Tìm thấy",
    "pledges": "Đăng ký",
    "grants": "Khen thưởng đã có",
    "disciplines": "Kỷ luật",
    "recognised": "Sáng kiến được công nhận",
    "share": "Tỷ lệ",
    "reason": "Lý do",
    "pledged": "Đã đăng ký",
    "under_review": "Đang bị xem xét kỷ luật",
    "already_granted": "Đã được tặng",
    "run": "Chuỗi năm liên tục",
    "broken_at": "Gián đoạn ở năm",
    "total": "Tổng",
    "any": "Đạt một trong các điều kiện",
    "2-times-cstd-province": "2 lần Chiến sĩ thi đua cấp tỉnh",
    "3-years-cstd": "3 năm liên tục Chiến sĩ thi đua cơ sở",
    "5-initiatives": "5 sáng kiến được công nhận trong 5 năm",
    "5-years-excellent": "5 năm liên tục hoàn thành xuất sắc nhiệm vụ",
    "holds-huan-chuong-lao-dong-2": "Đã được tặng Huân chương Lao động hạng Nhì",
    "holds-huan-chuong-lao-dong-3": "Đã được tặng Huân chương Lao động hạng Ba",
    "more-than-half-ldtt": "Trên 50 % đoàn viên đạt Lao động tiên tiến",
    "no-rule-in-force": "Có quy định đang có hiệu lực cho năm đề nghị",
    "all": "Đạt tất cả các điều kiện",
    "discipline": "Kỷ luật trong năm",
    "award": "Hình thức",
    "awards": "Hình thức làm căn cứ",
    "when": "Thời điểm",
    "held": "Đã được tặng",
    "not_counted": "Không được tính",
    "why": "Vì",
    "acclaimed_in": "Các năm được suy tôn",
    "met_in": "Các năm đạt",
    "members": "Số đoàn viên",
    "meeting": "Số đoàn viên đạt",
    "not_meeting": "Đoàn viên chưa đạt",
    "cap": "Tỷ lệ tối đa",
    "of": "Tính trên số đạt",
    "basis": "Số làm căn cứ",
    "already": "Số đã có",
}
# Words the facts use as values (discipline levels, when a grant counts, why it does not).
VALUES = {
    "reprimand": "Khiển trách",
    "warning": "Cảnh cáo",
    "demotion": "Hạ bậc lương",
    "dismissal": "Buộc thôi việc",
    "review": "Đang xem xét kỷ luật",
    "year": "trong năm",
    "previous": "năm trước",
    "ever": "từ trước đến nay",
    "revoked": "đã bị thu hồi",
    "thematic": "khen chuyên đề",
    "ad-hoc": "khen đột xuất",
    "regular": "khen thường xuyên",
}
RATINGS = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "complete": "Hoàn thành nhiệm vụ",
    "incomplete": "Không hoàn thành nhiệm vụ",
}


def clause_label(name: str) -> str:
    return CLAUSES.get(name, CLAUSES.get(name.replace("_", "-"), name))


def fact_text(value: Any) -> str:
    """A fact the rules used, as a line of text (the facts are data, shown as they are)."""
    if value is None:
        return "không có"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, str):
        return RATINGS.get(value) or VALUES.get(value) or award_name(value)
    if isinstance(value, list):
        return "; ".join(fact_text(v) for v in value) if value else "không có"
    if isinstance(value, dict):
        return "; ".join(f"{FACTS.get(str(k), str(k))}: {fact_text(v)}" for k, v in value.items())
    return str(value)


def _is_clause(value: Any) -> bool:
    return isinstance(value, dict) and "clause" in value and "passed" in value


def facts(clause: dict[str, Any]) -> list[dict[str, Any]]:
    """The facts a clause used, each as a label and a text; a clause made of clauses (`any`,
    `all`) lists them, each with its own result and facts."""
    out: list[dict[str, Any]] = []
    for key, value in (clause.get("facts_used") or {}).items():
        label = FACTS.get(str(key), str(key))
        if isinstance(value, list) and value and all(_is_clause(v) for v in value):
            parts = [
                {
                    "label": clause_label(v["clause"]),
                    "code": v["clause"],
                    "passed": v["passed"],
                    "facts": facts(v),
                }
                for v in value
            ]
            out.append({"label": label, "text": "", "clauses": parts})
        else:
            out.append({"label": label, "text": fact_text(value), "clauses": []})
    return out


async def verdict(
    services: Services, token: str, federation: str, kind: str, code: str, award: str, year: int
) -> dict[str, Any]:
    return await services.awards.get(  # type: ignore[no-any-return]
        f"/v1/federations/{federation}/eligibility",
        token,
        subject_kind=kind,
        subject_code=code,
        award=award,
        year=year,
    )


async def listing(services: Services, token: str, federation: str, year: int) -> list[dict[str, Any]]:
    return await services.awards.pages(
        f"/v1/federations/{federation}/nominations", token, year=year, limit=1000
    )


# the list page's columns (list_columns.NOMINATIONS) by the order awards sorts them in
AWARDS_SORTS = {
    "doi-tuong": "subject",
    "hinh-thuc": "award",
    "don-vi": "unit",
    "dieu-kien": "eligible",
    "trang-thai": "stage",
}
PAGE_SIZE = 50


def awards_sort(sort: str | None) -> str | None:
    """The console's `sort=` (a column's key, `-` for descending) as awards' `sort`."""
    name = AWARDS_SORTS.get((sort or "").removeprefix("-"))
    return None if name is None else ("-" if (sort or "").startswith("-") else "") + name


async def page_of_year(
    services: Services,
    token: str,
    federation: str,
    params: dict[str, Any],
    sort: str | None,
    cursor: str | None,
    size: int = PAGE_SIZE,
) -> dict[str, Any]:
    """One page of the year's nominations (`params`: the filters), sorted by awards itself and
    paged by its cursor: `items` and `next_cursor`."""
    return await services.awards.get(  # type: ignore[no-any-return]
        f"/v1/federations/{federation}/nominations",
        token,
        **params,
        sort=awards_sort(sort),
        cursor=cursor,
        limit=size,
    )
