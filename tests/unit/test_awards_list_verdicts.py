"""A list's rows are judged once per distinct facts (application/eligibility.Verdicts): rows whose
histories read alike share one verdict, and a row whose facts differ in anything is judged on its own."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.awards.application import eligibility
from services.awards.application.eligibility import Verdicts
from services.awards.domain.facts import Facts, GrantFact
from services.awards.domain.rules import evaluate
from shared.kernel.errors import Invalid
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


class CountingStore:
    """A store with no aggregates of the federation (its defaults apply), counting its reads."""

    def __init__(self) -> None:
        self.reads = 0

    def find(self, cls: Any, aggregate_id: Any) -> None:
        self.reads += 1
        return None


def test_given_a_lists_verdicts_when_its_rows_ask_for_what_they_read_alike_then_the_store_is_read_once() -> (
    None
):
    verdicts, store = Verdicts(), CountingStore()
    on = date(Y, 12, 31)
    asked = [
        (
            verdicts.award(store, "ldld", "ldtt", on),  # type: ignore[arg-type]
            verdicts.rule_in_force(store, "ldld", "ldtt", on),  # type: ignore[arg-type]
            verdicts.policy(store, "ldld"),  # type: ignore[arg-type]
        )
        for _ in range(3)
    ]
    assert all(row[0] is asked[0][0] and row[1] is asked[0][1] and row[2] is asked[0][2] for row in asked)
    assert asked[0][0].code == "ldtt" and asked[0][1] is not None
    assert store.reads == 3  # the catalogue, the rule sets, the policy: once each


def test_given_a_lists_verdicts_when_a_row_names_an_unknown_award_then_each_such_row_is_refused() -> None:
    verdicts, store = Verdicts(), CountingStore()
    for _ in range(2):
        with pytest.raises(Invalid, match="unknown award 'nope'"):
            verdicts.award(store, "ldld", "nope", date(Y, 12, 31))  # type: ignore[arg-type]
