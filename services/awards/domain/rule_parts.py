"""The clauses the default rule sets of every period are built from (rules.py reads them)."""

from __future__ import annotations

from services.awards.domain.rules import Clause


def holds(award: str | list[str], when: str = "year") -> Clause:
    return {"holds": {"award": award, "when": when}}


EXCELLENT: Clause = {"rating": {"at_least": "excellent"}}
GOOD: Clause = {"rating": {"at_least": "good"}}
COMPLETE: Clause = {"rating": {"at_least": "complete"}}
NO_WARNING: Clause = {"no_discipline": {"at_least": "warning"}}
PROVINCIAL_BANG_KHEN = ["bang-khen-ldld", "bang-khen-ubnd-tinh", "bang-khen-tld"]

LDTT: list[Clause] = [
    {"clause": "rating-at-least-good", **GOOD},
    {"clause": "no-discipline", "no_discipline": {"at_least": "reprimand"}},
]
NO_WARNING_IN_UNIT: Clause = {
    "clause": "no-warning-or-above",
    "members": {"each": NO_WARNING, "share_at_least": 1.0},
}
ALL_COMPLETE: Clause = {"clause": "all-complete", "members": {"each": COMPLETE, "share_at_least": 1.0}}
ONE_CSTD: Clause = {"clause": "one-cstd", "members": {"each": holds("cstd-co-so"), "count_at_least": 1}}
BLOCK_LEADER: list[Clause] = [
    {"clause": "acclaimed-block-leader", "acclaimed_leader": {}},
    {"clause": "excellent", **EXCELLENT},
]
CSTD_PROVINCE: list[Clause] = [
    {"clause": "3-years-cstd", "streak": {"years": 3, "each": holds("cstd-co-so")}},
]
CSTD_NATION: list[Clause] = [
    {
        "clause": "2-times-cstd-province",
        "count": {"at_least": 2, "of_last": 6, "each": holds("cstd-cap-tinh")},
    },
]


def holds_lower_class(lower: str) -> list[Clause]:
    """A higher class of an order goes to who already holds the class below."""
    return [{"clause": f"holds-{lower}", **holds(lower, "ever")}]


TWO_EXCELLENT_TWO_INITIATIVES: list[Clause] = [
    {"clause": "2-years-excellent", "streak": {"years": 2, "each": EXCELLENT}},
    {"clause": "2-initiatives", "initiatives": {"at_least": 2, "years": 2}},
]

# The national union's Bằng khen (its rules, 2019 version): two excellent years with two
# initiatives, and the federation's Bằng khen the year before.
TLD_BANG_KHEN: list[Clause] = [
    *TWO_EXCELLENT_TWO_INITIATIVES,
    {"clause": "bang-khen-ldld-year-before", **holds("bang-khen-ldld", "previous")},
]
