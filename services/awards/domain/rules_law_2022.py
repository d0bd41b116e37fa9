"""The default rule sets in force from 1 January 2024: Law 06/2022/QH15 on Emulation and
Commendation and Decree 98/2023/NĐ-CP, and the national union's own rules (2019 version, then
QĐ 999/QĐ-TLĐ of 2024)."""

from __future__ import annotations

from typing import Any

from services.awards.domain.rule_parts import (
    ALL_COMPLETE,
    BLOCK_LEADER,
    CSTD_NATION,
    CSTD_PROVINCE,
    EXCELLENT,
    GOOD,
    LDTT,
    NO_WARNING_IN_UNIT,
    ONE_CSTD,
    PROVINCIAL_BANG_KHEN,
    TLD_BANG_KHEN,
    holds,
    holds_lower_class,
)

LAW_2024 = "2024-01-01"  # Law 06/2022/QH15 in force
VERSION = "law-06-2022"
LAW = "Luật Thi đua, khen thưởng 06/2022/QH15"
DECREE = "Nghị định 98/2023/NĐ-CP"
TLD = "Quyết định 999/QĐ-TLĐ (2024) của Tổng Liên đoàn Lao động Việt Nam"


def _rule(
    award: str, source: str, clauses: list[dict[str, Any]], version: str = VERSION, since: str = LAW_2024
) -> dict[str, Any]:
    return {"award": award, "version": version, "effective_from": since, "source": source, "clauses": clauses}


_BANG_KHEN_PROVINCE = [
    {
        "clause": "basis",
        "any": [
            {"clause": "2-years-cstd", "streak": {"years": 2, "each": holds("cstd-co-so")}},
            {
                "clause": "2-years-excellent-2-initiatives",
                "all": [
                    {"clause": "2-years-excellent", "streak": {"years": 2, "each": EXCELLENT}},
                    {"clause": "2-initiatives", "initiatives": {"at_least": 2, "years": 2}},
                ],
            },
        ],
    }
]

RULES_2024: tuple[dict[str, Any], ...] = (
    _rule("ldtt", f"{LAW}, Điều 24; {DECREE}", LDTT),
    _rule(
        "cstd-co-so",
        f"{LAW}, Điều 23; {DECREE}",
        [
            {"clause": "holds-ldtt", **holds("ldtt")},
            {
                "clause": "excellent-or-initiative",
                "any": [
                    {"clause": "excellent", **EXCELLENT},
                    {"clause": "initiative", "initiatives": {"at_least": 1, "years": 1}},
                ],
            },
            {"clause": "ratio-cap", "ratio_cap": {"of": "ldtt"}},
        ],
    ),
    *(
        _rule(code, f"{LAW}, Điều 74; {DECREE}", _BANG_KHEN_PROVINCE, "law-06-2022-art-74")
        for code in ("bang-khen-ldld", "bang-khen-ubnd-tinh")
    ),
    _rule(
        "bang-khen-tld",
        "Quy chế khen thưởng của Tổng Liên đoàn Lao động Việt Nam (2019)",
        TLD_BANG_KHEN,
        "tld-2019",
        "2019-01-01",
    ),
    _rule(
        "bang-khen-ttg",
        f"{LAW}, Điều 73; {DECREE}",
        [
            {"clause": "holds-provincial-bang-khen", **holds(PROVINCIAL_BANG_KHEN, "ever")},
            {"clause": "5-years-good", "streak": {"years": 5, "each": GOOD}},
            {"clause": "3-of-5-cstd", "count": {"at_least": 3, "of_last": 5, "each": holds("cstd-co-so")}},
        ],
        "law-06-2022-art-73",
    ),
    _rule(
        "huan-chuong-lao-dong-3",
        f"{LAW}, Huân chương Lao động hạng Ba; {DECREE}",
        [
            {"clause": "holds-bang-khen-ttg", **holds("bang-khen-ttg", "ever")},
            {"clause": "5-years-good", "streak": {"years": 5, "each": GOOD}},
            {"clause": "1-excellent-in-5", "count": {"at_least": 1, "of_last": 5, "each": EXCELLENT}},
            {"clause": "3-of-5-cstd", "count": {"at_least": 3, "of_last": 5, "each": holds("cstd-co-so")}},
        ],
    ),
    *(
        _rule(f"huan-chuong-lao-dong-{n}", f"{LAW}, Huân chương Lao động hạng {c}", holds_lower_class(lower))
        for n, c, lower in ((2, "Nhì", "huan-chuong-lao-dong-3"), (1, "Nhất", "huan-chuong-lao-dong-2"))
    ),
    _rule(
        "ttldtt",
        f"{LAW}, Điều 28; {DECREE}",
        [
            {"clause": "70-percent-ldtt", "members": {"each": holds("ldtt"), "share_at_least": 0.7}},
            NO_WARNING_IN_UNIT,
        ],
    ),
    _rule(
        "ttldxs",
        f"{LAW}, Điều 27; {DECREE}",
        [
            ALL_COMPLETE,
            {"clause": "70-percent-good", "members": {"each": GOOD, "share_at_least": 0.7}},
            ONE_CSTD,
            NO_WARNING_IN_UNIT,
        ],
    ),
    _rule("co-thi-dua-ldld", f"{LAW}, Điều 26; {DECREE}", BLOCK_LEADER),
    _rule("co-thi-dua-tld", TLD, BLOCK_LEADER),
    _rule("cstd-cap-tinh", f"{LAW}, Điều 22", CSTD_PROVINCE),
    _rule("cstd-toan-quoc", f"{LAW}, Điều 21", CSTD_NATION),
    # Criteria left to the granting authority's or the council's judgement: general clauses only.
    _rule("giay-khen", f"{LAW}, Giấy khen: do người đứng đầu đơn vị xét", []),
    _rule("anh-hung-lao-dong", f"{LAW}, Anh hùng Lao động: do Hội đồng xét", []),
    _rule("bang-lao-dong-sang-tao", f"{TLD}, Bằng Lao động sáng tạo: do Hội đồng xét", []),
)
