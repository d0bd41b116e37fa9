"""docs/domain.md, 7. Eligibility rules, rule by rule: one subject passes, one fails exactly that clause."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.awards.domain.facts import Facts, GrantFact
from services.awards.domain.rulebook import DEFAULT_RULES, validate
from services.awards.domain.rules import Verdict, evaluate, in_force
from shared.kernel.errors import Invalid

Y = 2025
ON = date(2025, 12, 1)


def rule(award: str) -> dict[str, Any]:
    found = in_force(DEFAULT_RULES, award, ON)
    assert found is not None
    return found


def member(**kw: Any) -> Facts:
    return Facts("member", kw.pop("code", "dv-1"), **kw)


def grants(award: str, *years: int, **kw: Any) -> list[GrantFact]:
    return [GrantFact(award, y, "x", **kw) for y in years]


def years(rating: str, *ys: int) -> dict[int, str]:
    return dict.fromkeys(ys, rating)


def verdict(award: str, facts: Facts, year: int = Y) -> Verdict:
    return evaluate(rule(award), facts, year)


def only_failure(v: Verdict) -> str:
    assert len(v.failed) == 1, v.as_dict()
    return v.failed[0]


def assert_pair(award: str, good: Facts, bad: Facts, clause: str) -> None:
    ok = verdict(award, good)
    assert ok.eligible, ok.as_dict()
    assert only_failure(verdict(award, bad)) == clause


# -- ldtt -------------------------------------------------------------------------------------


def test_ldtt_rating_at_least_good() -> None:
    assert_pair(
        "ldtt",
        member(ratings={Y: "good"}),
        member(ratings={Y: "complete"}),
        "rating-at-least-good",
    )


def test_ldtt_no_discipline_that_year() -> None:
    assert_pair(
        "ldtt",
        member(ratings={Y: "good"}, disciplines=[(Y - 1, "reprimand")]),
        member(ratings={Y: "good"}, disciplines=[(Y, "reprimand")]),
        "no-discipline",
    )


# -- cstd-co-so -------------------------------------------------------------------------------


def test_cstd_needs_ldtt_that_year() -> None:
    assert_pair(
        "cstd-co-so",
        member(ratings={Y: "excellent"}, grants=grants("ldtt", Y)),
        member(ratings={Y: "excellent"}, grants=grants("ldtt", Y - 1)),
        "holds-ldtt",
    )


def test_cstd_needs_excellent_or_an_initiative() -> None:
    by_initiative = member(ratings={Y: "good"}, grants=grants("ldtt", Y), initiatives={Y: 1})
    assert verdict("cstd-co-so", by_initiative).eligible
    assert_pair(
        "cstd-co-so",
        member(ratings={Y: "excellent"}, grants=grants("ldtt", Y)),
        member(ratings={Y: "good"}, grants=grants("ldtt", Y), initiatives={Y - 1: 3}),
        "excellent-or-initiative",
    )


def test_cstd_ratio_cap_is_a_federation_setting() -> None:
    base = {"ratings": {Y: "excellent"}, "grants": grants("ldtt", Y)}
    policy = {"ratio_caps": {"cstd-co-so": 0.15}}
    assert_pair(
        "cstd-co-so",
        member(**base, policy=policy, unit_counts={("ldtt", Y): 20, ("cstd-co-so", Y): 2}),
        member(**base, policy=policy, unit_counts={("ldtt", Y): 20, ("cstd-co-so", Y): 3}),
        "ratio-cap",
    )
    uncapped = member(**base, unit_counts={("ldtt", Y): 1, ("cstd-co-so", Y): 9})
    assert verdict("cstd-co-so", uncapped).eligible


# -- bang-khen-ldld / provincial --------------------------------------------------------------


@pytest.mark.parametrize("award", ["bang-khen-ldld", "bang-khen-ubnd-tinh"])
def test_provincial_bang_khen_two_consecutive_cstd_or_excellent_with_initiatives(award: str) -> None:
    by_cstd = member(grants=grants("cstd-co-so", Y - 1, Y))
    by_initiatives = member(ratings=years("excellent", Y - 1, Y), initiatives={Y - 1: 1, Y: 1})
    assert verdict(award, by_cstd).eligible and verdict(award, by_initiatives).eligible
    gap = member(grants=grants("cstd-co-so", Y - 2, Y), ratings=years("excellent", Y - 1, Y))
    v = verdict(award, gap)
    assert only_failure(v) == "basis"
    broken = v.clauses[-1].facts_used["any"][0]["facts_used"]
    assert broken["broken_at"] == Y - 1


# -- bang-khen-tld ----------------------------------------------------------------------------


def tld_candidate(**kw: Any) -> Facts:
    base: dict[str, Any] = {
        "ratings": years("excellent", Y - 1, Y),
        "initiatives": {Y: 2},
        "grants": grants("bang-khen-ldld", Y - 1),
    }
    return member(**(base | kw))


def test_bang_khen_tld_two_years_excellent() -> None:
    assert_pair(
        "bang-khen-tld",
        tld_candidate(),
        tld_candidate(ratings={Y - 1: "good", Y: "excellent"}),
        "2-years-excellent",
    )


def test_bang_khen_tld_two_initiatives() -> None:
    assert_pair("bang-khen-tld", tld_candidate(), tld_candidate(initiatives={Y: 1}), "2-initiatives")


def test_bang_khen_tld_needs_the_federation_bang_khen_the_year_before() -> None:
    assert_pair(
        "bang-khen-tld",
        tld_candidate(),
        tld_candidate(grants=grants("bang-khen-ldld", Y)),
        "bang-khen-ldld-year-before",
    )


def test_ad_hoc_and_thematic_awards_are_no_basis() -> None:
    for occasion in ("ad-hoc", "thematic"):
        v = verdict("bang-khen-tld", tld_candidate(grants=grants("bang-khen-ldld", Y - 1, occasion=occasion)))
        assert only_failure(v) == "bang-khen-ldld-year-before"
        assert v.clauses[-1].facts_used["not_counted"][0]["why"] == occasion


def test_revoked_awards_count_as_never_granted() -> None:
    v = verdict("bang-khen-tld", tld_candidate(grants=grants("bang-khen-ldld", Y - 1, revoked=True)))
    assert only_failure(v) == "bang-khen-ldld-year-before"
    assert v.clauses[-1].facts_used["not_counted"][0]["why"] == "revoked"


# -- bang-khen-ttg and huan-chuong ------------------------------------------------------------


def ttg_candidate(**kw: Any) -> Facts:
    base: dict[str, Any] = {
        "ratings": years("good", *range(Y - 4, Y + 1)),
        "grants": [*grants("bang-khen-ubnd-tinh", Y - 3), *grants("cstd-co-so", Y - 4, Y - 2, Y)],
    }
    return member(**(base | kw))


def test_bang_khen_ttg_needs_a_provincial_bang_khen() -> None:
    assert_pair(
        "bang-khen-ttg",
        ttg_candidate(),
        ttg_candidate(grants=grants("cstd-co-so", Y - 4, Y - 2, Y)),
        "holds-provincial-bang-khen",
    )


def test_bang_khen_ttg_five_consecutive_years_ending_at_the_proposal_year() -> None:
    gap = years("good", Y - 5, Y - 4, Y - 3, Y - 1, Y)
    v = verdict("bang-khen-ttg", ttg_candidate(ratings=gap))
    assert only_failure(v) == "5-years-good"
    assert v.clauses[4].facts_used["broken_at"] == Y - 2
    assert verdict("bang-khen-ttg", ttg_candidate()).eligible


def test_bang_khen_ttg_cstd_in_at_least_three_of_five() -> None:
    two = [*grants("bang-khen-ubnd-tinh", Y - 3), *grants("cstd-co-so", Y - 5, Y - 2, Y)]
    assert_pair("bang-khen-ttg", ttg_candidate(), ttg_candidate(grants=two), "3-of-5-cstd")


def hc_candidate(**kw: Any) -> Facts:
    base: dict[str, Any] = {
        "ratings": {**years("good", *range(Y - 4, Y + 1)), Y - 1: "excellent"},
        "grants": [*grants("bang-khen-ttg", Y - 2), *grants("cstd-co-so", Y - 3, Y - 1, Y)],
    }
    return member(**(base | kw))


def test_huan_chuong_needs_bang_khen_ttg() -> None:
    without = grants("cstd-co-so", Y - 3, Y - 1, Y)
    assert_pair("huan-chuong-lao-dong-3", hc_candidate(), hc_candidate(grants=without), "holds-bang-khen-ttg")


def test_huan_chuong_needs_one_excellent_year() -> None:
    assert_pair(
        "huan-chuong-lao-dong-3",
        hc_candidate(),
        hc_candidate(ratings=years("good", *range(Y - 4, Y + 1))),
        "1-excellent-in-5",
    )


def test_revocation_flips_a_dependent_verdict() -> None:
    revoked = [*grants("bang-khen-ubnd-tinh", Y - 3, revoked=True), *grants("cstd-co-so", Y - 4, Y - 2, Y)]
    assert (
        only_failure(verdict("bang-khen-ttg", ttg_candidate(grants=revoked))) == "holds-provincial-bang-khen"
    )


# -- collectives ------------------------------------------------------------------------------


def unit(members: list[Facts], **kw: Any) -> Facts:
    return Facts("unit", "cdcs-a", members=members, **kw)


def staff(n: int, **kw: Any) -> list[Facts]:
    return [member(code=f"dv-{i}", **kw) for i in range(n)]


def test_ttldtt_seventy_percent_ldtt() -> None:
    seven = staff(7, grants=grants("ldtt", Y)) + staff(3)
    six = staff(6, grants=grants("ldtt", Y)) + staff(4)
    assert_pair("ttldtt", unit(seven), unit(six), "70-percent-ldtt")


def test_ttldtt_nobody_disciplined_at_warning_or_above() -> None:
    ldtt = staff(10, grants=grants("ldtt", Y))
    reprimanded = [*ldtt[:9], member(code="x", grants=grants("ldtt", Y), disciplines=[(Y, "reprimand")])]
    warned = [*ldtt[:9], member(code="x", grants=grants("ldtt", Y), disciplines=[(Y, "warning")])]
    assert_pair("ttldtt", unit(reprimanded), unit(warned), "no-warning-or-above")


def ttldxs_staff(**last: Any) -> list[Facts]:
    rated = [member(code=f"dv-{i}", ratings={Y: "good"}) for i in range(8)]
    cstd = member(code="cstd", ratings={Y: "excellent"}, grants=grants("cstd-co-so", Y))
    return [*rated, cstd, member(code="last", **({"ratings": {Y: "complete"}} | last))]


def test_ttldxs_every_member_completes_their_tasks() -> None:
    assert_pair("ttldxs", unit(ttldxs_staff()), unit(ttldxs_staff(ratings={Y: "incomplete"})), "all-complete")


def test_ttldxs_seventy_percent_good_and_one_cstd() -> None:
    few_good = [member(code=f"c{i}", ratings={Y: "complete"}) for i in range(4)] + ttldxs_staff()[4:]
    assert only_failure(verdict("ttldxs", unit(few_good))) == "70-percent-good"
    no_cstd = [m for m in ttldxs_staff() if m.subject_code != "cstd"] + [member(ratings={Y: "good"})]
    assert only_failure(verdict("ttldxs", unit(no_cstd))) == "one-cstd"


def test_co_thi_dua_only_for_an_acclaimed_excellent_block_leader() -> None:
    assert_pair(
        "co-thi-dua-ldld",
        unit([], ratings={Y: "excellent"}, acclaimed=frozenset({Y})),
        unit([], ratings={Y: "excellent"}, acclaimed=frozenset({Y - 1})),
        "acclaimed-block-leader",
    )


# -- general clauses --------------------------------------------------------------------------


def test_pledge_required_where_the_federation_requires_it() -> None:
    policy = {"pledge_required": True}
    assert_pair(
        "ldtt",
        member(ratings={Y: "good"}, policy=policy, pledges=frozenset({("ldtt", Y)})),
        member(ratings={Y: "good"}, policy=policy, pledges=frozenset({("ldtt", Y - 1)})),
        "pledged",
    )


def test_no_award_while_under_discipline_review() -> None:
    assert_pair(
        "ldtt",
        member(ratings={Y: "good"}, disciplines=[(Y - 2, "review"), (Y - 2, "reprimand")]),
        member(ratings={Y: "good"}, disciplines=[(Y - 2, "review")]),
        "not-under-review",
    )


def test_no_second_grant_of_the_same_award_for_the_same_period() -> None:
    assert_pair(
        "ldtt",
        member(ratings={Y: "good"}, grants=grants("ldtt", Y, revoked=True)),
        member(ratings={Y: "good"}, grants=grants("ldtt", Y)),
        "not-granted-twice",
    )


# -- versions ---------------------------------------------------------------------------------


def test_a_later_rule_set_changes_verdicts_after_its_date_only() -> None:
    stricter = {
        "award": "ldtt",
        "version": "draft-2026",
        "effective_from": "2026-07-01",
        "clauses": [{"clause": "excellent", "rating": {"at_least": "excellent"}}],
    }
    rules = [*DEFAULT_RULES, stricter]
    good = member(ratings={Y: "good"})
    before = in_force(rules, "ldtt", date(2026, 6, 30))
    after = in_force(rules, "ldtt", date(2026, 7, 1))
    assert before is not None and after is not None
    assert evaluate(before, good, Y).eligible and before["version"] == "law-06-2022"
    v = evaluate(after, good, Y)
    assert v.rule_version == "draft-2026" and v.failed == ["excellent"]


def test_the_earlier_law_is_in_force_until_law_06_2022() -> None:
    before = in_force(DEFAULT_RULES, "ldtt", date(2023, 12, 31))
    assert before is not None and before["version"] == "law-15-2003-2013"


def test_every_default_rule_is_valid_and_a_broken_one_is_named() -> None:
    for r in DEFAULT_RULES:
        validate(r)
    broken = {"award": "x", "effective_from": "2024-01-01", "clauses": [{"clause": "a", "streak": {}}]}
    with pytest.raises(Invalid) as exc:
        validate(broken)
    assert exc.value.errors[0].field == "rule.clauses.0.streak.years"


def test_holds_an_award_at_a_level() -> None:
    clause = {"clause": "state-award", "holds": {"level": "state", "when": "ever"}}
    custom = {"award": "x", "version": "1", "effective_from": "2024-01-01", "clauses": [clause]}
    validate(custom)
    state = member(grants=[GrantFact("bang-khen-ttg", Y - 3, "state")])
    federation = member(grants=[GrantFact("bang-khen-ldld", Y - 3, "federation")])
    assert evaluate(custom, state, Y).eligible
    assert evaluate(custom, federation, Y).failed == ["state-award"]
