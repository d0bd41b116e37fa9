"""The default rule sets of docs/domain.md section 7, as data. A federation publishes its own
(`rule-set-published`) to switch or tighten them from an effective date."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.awards.domain.facts import DISCIPLINE_LEVELS, RATINGS
from services.awards.domain.rules import KINDS, Clause
from shared.kernel.errors import Invalid

LAW_2024 = "2024-01-01"  # Law 06/2022/QH15 in force


def _holds(award: str | list[str], when: str = "year") -> Clause:
    return {"holds": {"award": award, "when": when}}


EXCELLENT: Clause = {"rating": {"at_least": "excellent"}}
GOOD: Clause = {"rating": {"at_least": "good"}}
PROVINCIAL_BANG_KHEN = ["bang-khen-ldld", "bang-khen-ubnd-tinh", "bang-khen-tld"]
NO_WARNING: Clause = {"no_discipline": {"at_least": "warning"}}

_BANG_KHEN_PROVINCE = [
    {
        "clause": "basis",
        "any": [
            {"clause": "2-years-cstd", "streak": {"years": 2, "each": _holds("cstd-co-so")}},
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

DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {
        "award": "ldtt",
        "version": "law-06-2022",
        "effective_from": LAW_2024,
        "clauses": [
            {"clause": "rating-at-least-good", **GOOD},
            {"clause": "no-discipline", "no_discipline": {"at_least": "reprimand"}},
        ],
    },
    {
        "award": "cstd-co-so",
        "version": "law-06-2022",
        "effective_from": LAW_2024,
        "clauses": [
            {"clause": "holds-ldtt", **_holds("ldtt")},
            {
                "clause": "excellent-or-initiative",
                "any": [
                    {"clause": "excellent", **EXCELLENT},
                    {"clause": "initiative", "initiatives": {"at_least": 1, "years": 1}},
                ],
            },
            {"clause": "ratio-cap", "ratio_cap": {"of": "ldtt"}},
        ],
    },
    {
        "award": "bang-khen-ldld",
        "version": "law-06-2022-art-74",
        "effective_from": LAW_2024,
        "clauses": _BANG_KHEN_PROVINCE,
    },
    {
        "award": "bang-khen-ubnd-tinh",
        "version": "law-06-2022-art-74",
        "effective_from": LAW_2024,
        "clauses": _BANG_KHEN_PROVINCE,
    },
    {
        "award": "bang-khen-tld",
        "version": "tld-2019",
        "effective_from": "2019-01-01",
        "clauses": [
            {"clause": "2-years-excellent", "streak": {"years": 2, "each": EXCELLENT}},
            {"clause": "2-initiatives", "initiatives": {"at_least": 2, "years": 2}},
            {"clause": "bang-khen-ldld-year-before", **_holds("bang-khen-ldld", "previous")},
        ],
    },
    {
        "award": "bang-khen-ttg",
        "version": "law-06-2022-art-73",
        "effective_from": LAW_2024,
        "clauses": [
            {"clause": "holds-provincial-bang-khen", **_holds(PROVINCIAL_BANG_KHEN, "ever")},
            {"clause": "5-years-good", "streak": {"years": 5, "each": GOOD}},
            {"clause": "3-of-5-cstd", "count": {"at_least": 3, "of_last": 5, "each": _holds("cstd-co-so")}},
        ],
    },
    {
        "award": "huan-chuong-lao-dong-3",
        "version": "law-06-2022",
        "effective_from": LAW_2024,
        "clauses": [
            {"clause": "holds-bang-khen-ttg", **_holds("bang-khen-ttg", "ever")},
            {"clause": "5-years-good", "streak": {"years": 5, "each": GOOD}},
            {"clause": "1-excellent-in-5", "count": {"at_least": 1, "of_last": 5, "each": EXCELLENT}},
            {"clause": "3-of-5-cstd", "count": {"at_least": 3, "of_last": 5, "each": _holds("cstd-co-so")}},
        ],
    },
    {
        "award": "ttldtt",
        "version": "law-06-2022",
        "effective_from": LAW_2024,
        "clauses": [
            {"clause": "70-percent-ldtt", "members": {"each": _holds("ldtt"), "share_at_least": 0.7}},
            {"clause": "no-warning-or-above", "members": {"each": NO_WARNING, "share_at_least": 1.0}},
        ],
    },
    {
        "award": "ttldxs",
        "version": "law-06-2022",
        "effective_from": LAW_2024,
        "clauses": [
            {
                "clause": "all-complete",
                "members": {"each": {"rating": {"at_least": "complete"}}, "share_at_least": 1.0},
            },
            {"clause": "70-percent-good", "members": {"each": GOOD, "share_at_least": 0.7}},
            {"clause": "one-cstd", "members": {"each": _holds("cstd-co-so"), "count_at_least": 1}},
            {"clause": "no-warning-or-above", "members": {"each": NO_WARNING, "share_at_least": 1.0}},
        ],
    },
    *(
        {
            "award": code,
            "version": "law-06-2022",
            "effective_from": LAW_2024,
            "clauses": [
                {"clause": "acclaimed-block-leader", "acclaimed_leader": {}},
                {"clause": "excellent", **EXCELLENT},
            ],
        }
        for code in ("co-thi-dua-ldld", "co-thi-dua-tld")
    ),
)


def validate(rule: dict[str, Any], at: str = "rule") -> None:
    """Refuse a rule document the evaluator could not read, naming the offending clause."""
    try:
        date.fromisoformat(str(rule.get("effective_from")))
    except ValueError:
        raise Invalid.on(f"{at}.effective_from", "an ISO date (YYYY-MM-DD) is required") from None
    if not isinstance(rule.get("clauses"), list):
        raise Invalid.on(f"{at}.clauses", "a list of clauses is required")
    for i, clause in enumerate(rule["clauses"]):
        if not isinstance(clause, dict) or not clause.get("clause"):
            raise Invalid.on(f"{at}.clauses.{i}", "each clause needs a name in 'clause'")
        _validate_clause(clause, f"{at}.clauses.{i}")


def _validate_clause(clause: Any, at: str) -> None:
    if not isinstance(clause, dict):
        raise Invalid.on(at, "a clause is an object")
    kinds = [k for k in clause if k in KINDS]
    if len(kinds) != 1:
        raise Invalid.on(at, f"a clause has exactly one kind of {sorted(KINDS)}")
    spec = clause[kinds[0]]
    kind = kinds[0]
    if kind in ("all", "any"):
        if not isinstance(spec, list) or not spec:
            raise Invalid.on(f"{at}.{kind}", "a non-empty list of clauses")
        for i, inner in enumerate(spec):
            _validate_clause(inner, f"{at}.{kind}.{i}")
        return
    if not isinstance(spec, dict):
        raise Invalid.on(f"{at}.{kind}", "an object")
    if "each" in spec:
        _validate_clause(spec["each"], f"{at}.{kind}.each")
    if kind == "rating" and spec.get("at_least", "good") not in RATINGS:
        raise Invalid.on(f"{at}.rating.at_least", f"one of {RATINGS}")
    if kind == "no_discipline" and spec.get("at_least", "reprimand") not in DISCIPLINE_LEVELS:
        raise Invalid.on(f"{at}.no_discipline.at_least", f"one of {DISCIPLINE_LEVELS}")
    if kind == "holds" and spec.get("when", "year") not in ("year", "previous", "ever"):
        raise Invalid.on(f"{at}.holds.when", "one of year, previous, ever")
    needed = {"streak": ("years", "each"), "count": ("at_least", "of_last", "each"), "members": ("each",)}
    for key in needed.get(kind, ()):
        if key not in spec:
            raise Invalid.on(f"{at}.{kind}.{key}", "required")
    if kind == "ratio_cap" and "of" not in spec:
        raise Invalid.on(f"{at}.ratio_cap.of", "required")
