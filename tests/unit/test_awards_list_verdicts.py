"""A list's rows are judged once per distinct facts (application/eligibility.Verdicts): rows whose
histories read alike share one verdict, and a row whose facts differ in anything is judged on its own."""

from __future__ import annotations

from typing import Any

import pytest

from services.awards.application import eligibility
from services.awards.application.eligibility import Verdicts
from services.awards.domain.facts import Facts, GrantFact
from services.awards.domain.rules import evaluate
from tests.unit.test_awards_rules import Y, rule


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    judged: list[str] = []

    def judging(rule: Any, facts: Facts, year: int, award: str | None = None) -> Any:
        judged.append(facts.subject_code)
        return evaluate(rule, facts, year, award)

    monkeypatch.setattr(eligibility, "evaluate", judging)
    return judged


def test_given_two_members_rated_alike_when_listed_then_the_rule_is_evaluated_once(
    counted: list[str],
) -> None:
    verdicts, ldtt = Verdicts(), rule("ldtt")
    first = verdicts.of(ldtt, Facts("member", "dv-1", ratings={Y: "excellent"}), Y, "ldtt")
    second = verdicts.of(ldtt, Facts("member", "dv-2", ratings={Y: "excellent"}), Y, "ldtt")
    assert counted == ["dv-1"]
    assert second == first and first.eligible


@pytest.mark.parametrize(
    "other",
    [
        {"ratings": {Y: "good"}},
        {"ratings": {Y: "excellent"}, "disciplines": [(Y, "reprimand")]},
        {"ratings": {Y: "excellent"}, "grants": [GrantFact("ldtt", Y, "grassroots")]},
        {"ratings": {Y: "excellent"}, "pledges": frozenset({("ldtt", Y)})},
    ],
)
def test_given_a_member_whose_facts_differ_when_listed_then_it_is_judged_on_its_own(
    counted: list[str], other: dict[str, Any]
) -> None:
    verdicts, ldtt = Verdicts(), rule("ldtt")
    verdicts.of(ldtt, Facts("member", "dv-1", ratings={Y: "excellent"}), Y, "ldtt")
    found = verdicts.of(ldtt, Facts("member", "dv-2", **other), Y, "ldtt")
    assert counted == ["dv-1", "dv-2"]
    assert found.as_dict() == evaluate(ldtt, Facts("member", "dv-2", **other), Y, "ldtt").as_dict()


def test_given_a_unit_judged_on_its_members_when_listed_then_each_is_judged(counted: list[str]) -> None:
    verdicts, rule_of_unit = Verdicts(), rule("ttldtt")
    members = [Facts("member", "dv-1", ratings={Y: "excellent"})]
    verdicts.of(rule_of_unit, Facts("unit", "cd-a", members=members), Y, "ttldtt")
    verdicts.of(rule_of_unit, Facts("unit", "cd-b", members=members), Y, "ttldtt")
    assert counted == ["cd-a", "cd-b"]
