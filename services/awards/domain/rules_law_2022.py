"""The default rule sets in force from 1 January 2024: Law 06/2022/QH15 on Emulation and
Commendation and Decree 98/2023/NĐ-CP, and the national union's own rules (2019 version, then
QĐ 999/QĐ-TLĐ of 2024). The rules both laws state alike are in `rules_common`."""

from __future__ import annotations

from typing import Any

from services.awards.domain.rule_parts import (
    ALL_COMPLETE,
    BLOCK_LEADER,
    EXCELLENT,
    GOOD,
    NO_WARNING_IN_UNIT,
    ONE_CSTD,
    PROVINCIAL_BANG_KHEN,
    TLD_BANG_KHEN,
    TWO_EXCELLENT_TWO_INITIATIVES,
    holds,
)
from services.awards.domain.rules_common import Law

LAW_2024 = "2024-01-01"  # Law 06/2022/QH15 in force
VERSION = "law-06-2022"
LAW = "Luật Thi đua, khen thưởng 06/2022/QH15"
DECREE = "Nghị định 98/2023/NĐ-CP"
TLD = "Quyết định 999/QĐ-TLĐ (2024) của Tổng Liên đoàn Lao động Việt Nam"

_LAW = Law(LAW, DECREE, VERSION, LAW_2024)
_rule, _alike = _LAW.rule, _LAW.alike()

_BANG_KHEN_PROVINCE = [
    {
        "clause": "basis",
        "any": [
            {"clause": "2-years-cstd", "streak": {"years": 2, "each": holds("cstd-co-so")}},
            {"clause": "2-years-excellent-2-initiatives", "all": TWO_EXCELLENT_TWO_INITIATIVES},
        ],
    }
]

RULES_2024: tuple[dict[str, Any], ...] = (
    _alike["ldtt"],
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
    _alike["huan-chuong-lao-dong-2"],
    _alike["huan-chuong-lao-dong-1"],
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
    _alike["co-thi-dua-ldld"],
    _rule("co-thi-dua-tld", TLD, BLOCK_LEADER),
    *(_alike[code] for code in ("cstd-cap-tinh", "cstd-toan-quoc", "giay-khen", "anh-hung-lao-dong")),
    _rule("bang-lao-dong-sang-tao", f"{TLD}, Bằng Lao động sáng tạo: do Hội đồng xét", []),
)
