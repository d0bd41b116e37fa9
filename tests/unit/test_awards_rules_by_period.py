"""docs/domain.md, 7: every default rule set of every period, one subject that passes it and one
that fails exactly the named clause; a proposal is judged by the rules of its own year, and
before the first rule set nothing is eligible ("no rule in force")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.awards.domain.facts import Facts, GrantFact
from services.awards.domain.rulebook import DEFAULT_RULES
from services.awards.domain.rules import NO_RULE, evaluate, in_force, judged_on

Y2019, Y2025 = 2019, 2025


def member(**kw: Any) -> Facts:
    return Facts("member", kw.pop("code", "dv-1"), **kw)


def unit(members: list[Facts], **kw: Any) -> Facts:
    return Facts("unit", "cdcs-a", members=members, **kw)


def held(award: str, *years: int, level: str = "x") -> list[GrantFact]:
    return [GrantFact(award, y, level) for y in years]


def rated(rating: str, year: int, n: int) -> dict[int, str]:
    return dict.fromkeys(range(year - n + 1, year + 1), rating)


def staff(year: int, ldtt: int, total: int = 10, rating: str = "good", cstd: int = 0) -> list[Facts]:
    """`total` members rated `rating`, the first `ldtt` holding ldtt, the first `cstd` cstd-co-so."""
    return [
        member(
            code=f"dv-{i}",
            ratings={year: rating},
            grants=[*held("ldtt", year)[: i < ldtt], *held("cstd-co-so", year)[: i < cstd]],
        )
        for i in range(total)
    ]


def cases(y: int) -> dict[str, tuple[Facts, Facts, str]]:
    """Per award: a subject that passes, one that fails one clause, that clause (both periods)."""
    under_review = member(ratings={y: "excellent"}, disciplines=[(y, "review")])
    two_excellent = rated("excellent", y, 2)
    return {
        "ldtt": (member(ratings={y: "good"}), member(ratings={y: "complete"}), "rating-at-least-good"),
        "giay-khen": (member(), under_review, "not-under-review"),
        "anh-hung-lao-dong": (member(), under_review, "not-under-review"),
        "huan-chuong-lao-dong-2": (
            member(grants=held("huan-chuong-lao-dong-3", y - 5)),
            member(grants=held("bang-khen-ttg", y - 5)),
            "holds-huan-chuong-lao-dong-3",
        ),
        "huan-chuong-lao-dong-1": (
            member(grants=held("huan-chuong-lao-dong-2", y - 5)),
            member(grants=held("huan-chuong-lao-dong-3", y - 5)),
            "holds-huan-chuong-lao-dong-2",
        ),
        "cstd-cap-tinh": (
            member(grants=held("cstd-co-so", y - 2, y - 1, y)),
            member(grants=held("cstd-co-so", y - 3, y - 1, y)),
            "3-years-cstd",
        ),
        "cstd-toan-quoc": (
            member(grants=held("cstd-cap-tinh", y - 3, y)),
            member(grants=held("cstd-cap-tinh", y - 6, y)),
            "2-times-cstd-province",
        ),
        "co-thi-dua-ldld": (
            unit([], ratings={y: "excellent"}, acclaimed=frozenset({y})),
            unit([], ratings={y: "excellent"}),
            "acclaimed-block-leader",
        ),
        "co-thi-dua-tld": (
            unit([], ratings={y: "excellent"}, acclaimed=frozenset({y})),
            unit([], ratings={y: "good"}, acclaimed=frozenset({y})),
            "excellent",
        ),
        "bang-khen-tld": (
            member(ratings=two_excellent, initiatives={y: 2}, grants=held("bang-khen-ldld", y - 1)),
            member(ratings=two_excellent, initiatives={y: 2}, grants=held("bang-khen-ldld", y - 2)),
            "bang-khen-ldld-year-before",
        ),
    }


def cases_2014(y: int) -> dict[str, tuple[Facts, Facts, str]]:
    """Where the earlier law differs from Law 06/2022."""
    five_excellent = rated("excellent", y, 5)
    two_good_years = {
        "bang-khen-ldld": (
            member(ratings=rated("excellent", y, 2), initiatives={y - 1: 1, y: 1}),
            member(ratings=rated("excellent", y, 2), initiatives={y: 1}),
            "2-initiatives",
        ),
    }
    return {
        **cases(y),
        **two_good_years,
        "bang-khen-ubnd-tinh": two_good_years["bang-khen-ldld"],
        "cstd-co-so": (
            member(ratings={y: "good"}, grants=held("ldtt", y), initiatives={y: 1}),
            member(ratings={y: "excellent"}, grants=held("ldtt", y)),
            "initiative",
        ),
        "ttldtt": (unit(staff(y, ldtt=6)), unit(staff(y, ldtt=5)), "more-than-half-ldtt"),
        "ttldxs": (unit(staff(y, ldtt=7, cstd=1)), unit(staff(y, ldtt=6, cstd=1)), "70-percent-ldtt"),
        "bang-khen-ttg": (
            member(ratings=five_excellent, initiatives={y: 5}, grants=held("bang-khen-ldld", y - 6)),
            member(ratings=five_excellent, initiatives={y: 4}, grants=held("bang-khen-ldld", y - 6)),
            "5-initiatives",
        ),
        "huan-chuong-lao-dong-3": (
            member(ratings=rated("excellent", y, 5), grants=held("bang-khen-ttg", y - 6)),
            member(ratings={**rated("excellent", y, 5), y - 2: "good"}, grants=held("bang-khen-ttg", y - 6)),
            "5-years-excellent",
        ),
        "bang-lao-dong-sang-tao": (member(), member(disciplines=[(y, "review")]), "not-under-review"),
    }


def cases_2024(y: int) -> dict[str, tuple[Facts, Facts, str]]:
    cstd = held("cstd-co-so", y - 4, y - 2, y)
    ttg = held("bang-khen-ttg", y - 6)
    return {
        **cases(y),
        **{
            code: (
                member(grants=held("cstd-co-so", y - 1, y)),
                member(grants=held("cstd-co-so", y - 2, y)),
                "basis",
            )
            for code in ("bang-khen-ldld", "bang-khen-ubnd-tinh")
        },
        "cstd-co-so": (
            member(ratings={y: "excellent"}, grants=held("ldtt", y)),
            member(ratings={y: "good"}, grants=held("ldtt", y)),
            "excellent-or-initiative",
        ),
        "ttldtt": (unit(staff(y, ldtt=7)), unit(staff(y, ldtt=6)), "70-percent-ldtt"),
        "ttldxs": (
            unit(staff(y, ldtt=0, cstd=1)),
            unit(staff(y, ldtt=0, cstd=1, rating="complete")),
            "70-percent-good",
        ),
        "bang-khen-ttg": (
            member(ratings=rated("good", y, 5), grants=[*held("bang-khen-ldld", y - 6), *cstd]),
            member(ratings=rated("good", y, 5), grants=[*held("bang-khen-ldld", y - 6), *cstd[1:]]),
            "3-of-5-cstd",
        ),
        "huan-chuong-lao-dong-3": (
            member(ratings={**rated("good", y, 5), y: "excellent"}, grants=[*ttg, *cstd]),
            member(ratings=rated("good", y, 5), grants=[*ttg, *cstd]),
            "1-excellent-in-5",
        ),
        "bang-lao-dong-sang-tao": (member(), member(disciplines=[(y, "review")]), "not-under-review"),
    }


PERIODS = {
    "law-15-2003-2013": (Y2019, cases_2014(Y2019)),
    "law-06-2022": (Y2025, cases_2024(Y2025)),
    # The union's Bằng khen before its 2019 rules.
    "tld-2014": (2017, {"bang-khen-tld": cases(2017)["bang-khen-tld"]}),
}
PAIRS = [(period, award) for period, (_, table) in PERIODS.items() for award in table]


@pytest.mark.parametrize(("period", "award"), PAIRS)
def test_each_default_rule_of_each_period_passes_one_subject_and_names_the_clause_another_fails(
    period: str, award: str
) -> None:
    year, table = PERIODS[period]
    good, bad, clause = table[award]
    rule = in_force(DEFAULT_RULES, award, judged_on(year, date(2026, 12, 6)))
    assert rule is not None and rule["source"]
    passed = evaluate(rule, good, year)
    assert passed.eligible, passed.as_dict()
    failed = evaluate(rule, bad, year)
    assert failed.failed == [clause], failed.as_dict()


def test_every_default_rule_set_of_every_period_has_its_pair_and_cites_its_source() -> None:
    for rule in DEFAULT_RULES:
        covered = [
            period
            for period, (year, table) in PERIODS.items()
            if rule["award"] in table and in_force(DEFAULT_RULES, rule["award"], date(year, 12, 31)) is rule
        ]
        assert covered, rule["version"] + " " + rule["award"]
        assert "Luật" in rule["source"] or "Quy" in rule["source"], rule["source"]


def test_a_2023_member_rated_incomplete_is_judged_by_the_law_of_2023_and_not_eligible() -> None:
    rule = in_force(DEFAULT_RULES, "ldtt", judged_on(2023, date(2026, 12, 6)))
    verdict = evaluate(rule, member(ratings={2023: "incomplete"}), 2023)
    assert verdict.rule_version == "law-15-2003-2013"
    assert verdict.failed == ["rating-at-least-good"]


def test_a_proposal_is_judged_by_the_rules_of_its_year_not_of_the_day_it_is_made() -> None:
    assert judged_on(2019, date(2026, 12, 6)) == date(2019, 12, 31)
    assert judged_on(2026, date(2026, 12, 6)) == date(2026, 12, 6)
    excellent_no_initiative = member(ratings={2023: "excellent"}, grants=held("ldtt", 2023))
    then = in_force(DEFAULT_RULES, "cstd-co-so", judged_on(2023, date(2026, 12, 6)))
    assert evaluate(then, excellent_no_initiative, 2023).failed == ["initiative"]


def test_before_the_first_rule_set_the_verdict_is_no_rule_in_force_and_never_eligible() -> None:
    rule = in_force(DEFAULT_RULES, "ldtt", date(2013, 12, 31))
    verdict = evaluate(rule, member(ratings={2013: "excellent"}), 2013, award="ldtt")
    assert rule is None and not verdict.eligible
    assert verdict.failed == [NO_RULE] and verdict.rule_version is None


def test_an_own_award_with_no_rule_set_published_is_never_eligible() -> None:
    verdict = evaluate(None, member(ratings={2025: "excellent"}), 2025, award="lao-dong-gioi")
    assert verdict.failed == [NO_RULE]
