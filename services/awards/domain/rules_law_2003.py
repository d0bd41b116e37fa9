"""The default rule sets in force from 1 June 2014 to 31 December 2023: the Law on Emulation and
Commendation 15/2003/QH11 as amended by 47/2005/QH11 and 39/2013/QH13 (in force 1 June 2014),
with Decree 65/2014/NĐ-CP and then Decree 91/2017/NĐ-CP; the union's own awards by its rules of
the time. Where the criteria differ from Law 06/2022 the clauses differ: `cstd-co-so` needed an
initiative (excellence alone was not enough), `ttldtt` more than half of the members with
`ldtt` (not 70 %), `ttldxs` 70 % with `ldtt`, a provincial Bằng khen two excellent years with
two initiatives, the Prime Minister's five excellent years with five initiatives. The rules both
laws state alike are in `rules_common`."""

from __future__ import annotations

from typing import Any

from services.awards.domain.rule_parts import (
    ALL_COMPLETE,
    BLOCK_LEADER,
    EXCELLENT,
    NO_WARNING_IN_UNIT,
    ONE_CSTD,
    PROVINCIAL_BANG_KHEN,
    TLD_BANG_KHEN,
    TWO_EXCELLENT_TWO_INITIATIVES,
    holds,
)
from services.awards.domain.rules_common import Law

FROM = "2014-06-01"  # Law 39/2013/QH13 in force
VERSION = "law-15-2003-2013"
LAW = "Luật Thi đua, Khen thưởng 15/2003/QH11, sửa đổi 47/2005/QH11 và 39/2013/QH13"
DECREE = "Nghị định 91/2017/NĐ-CP (trước đó 65/2014/NĐ-CP)"
TLD_BEFORE_2019 = "Quy chế khen thưởng của Tổng Liên đoàn Lao động Việt Nam (trước 2019)"

_LAW = Law(LAW, DECREE, VERSION, FROM)
_rule, _alike = _LAW.rule, _LAW.alike()

RULES_2014: tuple[dict[str, Any], ...] = (
    _alike["ldtt"],
    _rule(
        "cstd-co-so",
        f"{LAW}, Điều 23; {DECREE}",
        [
            {"clause": "holds-ldtt", **holds("ldtt")},
            {"clause": "initiative", "initiatives": {"at_least": 1, "years": 1}},
            {"clause": "ratio-cap", "ratio_cap": {"of": "ldtt"}},
        ],
    ),
    _rule(
        "ttldtt",
        f"{LAW}, Điều 28",
        [
            {"clause": "more-than-half-ldtt", "members": {"each": holds("ldtt"), "share_more_than": 0.5}},
            NO_WARNING_IN_UNIT,
        ],
    ),
    _rule(
        "ttldxs",
        f"{LAW}, Điều 27",
        [
            ALL_COMPLETE,
            {"clause": "70-percent-ldtt", "members": {"each": holds("ldtt"), "share_at_least": 0.7}},
            ONE_CSTD,
            NO_WARNING_IN_UNIT,
        ],
    ),
    _alike["co-thi-dua-ldld"],
    *(
        _rule(code, f"{LAW}, Điều 72; {DECREE}", TWO_EXCELLENT_TWO_INITIATIVES)
        for code in ("bang-khen-ldld", "bang-khen-ubnd-tinh")
    ),
    _rule(
        "bang-khen-ttg",
        f"{LAW}, Điều 71; {DECREE}",
        [
            {"clause": "holds-provincial-bang-khen", **holds(PROVINCIAL_BANG_KHEN, "ever")},
            {"clause": "5-years-excellent", "streak": {"years": 5, "each": EXCELLENT}},
            {"clause": "5-initiatives", "initiatives": {"at_least": 5, "years": 5}},
        ],
    ),
    _rule(
        "huan-chuong-lao-dong-3",
        f"{LAW}, Huân chương Lao động hạng Ba; {DECREE}",
        [
            {"clause": "holds-bang-khen-ttg", **holds("bang-khen-ttg", "ever")},
            {"clause": "5-years-excellent", "streak": {"years": 5, "each": EXCELLENT}},
        ],
    ),
    *(
        _alike[code]
        for code in (
            "huan-chuong-lao-dong-2",
            "huan-chuong-lao-dong-1",
            "cstd-cap-tinh",
            "cstd-toan-quoc",
            "giay-khen",
            "anh-hung-lao-dong",
        )
    ),
    # The union's own awards, by its rules of the time (criteria as their 2019 version).
    *(
        _rule(code, f"{TLD_BEFORE_2019}", clauses, "tld-2014")
        for code, clauses in (
            ("bang-khen-tld", TLD_BANG_KHEN),
            ("co-thi-dua-tld", BLOCK_LEADER),
            ("bang-lao-dong-sang-tao", []),
        )
    ),
)
