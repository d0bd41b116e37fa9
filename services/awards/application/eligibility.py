"""Eligibility: the facts of a subject gathered from awards' own stores, and the verdict of the
rule set in force on the proposal date."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any
from uuid import UUID

from services.awards.application.base import AwardsBase, Outside
from services.awards.domain.facts import Facts
from services.awards.domain.history import History
from services.awards.domain.rules import Verdict, evaluate, in_force

Pending = dict[UUID, History]


def mentions(rule: dict[str, Any] | None, kind: str) -> bool:
    return rule is not None and f'"{kind}"' in json.dumps(rule.get("clauses", []))


class Eligibility(AwardsBase):
    def facts(
        self,
        federation: str,
        kind: str,
        code: str,
        outside: Outside,
        rule: dict[str, Any] | None,
        pending: Pending | None = None,
    ) -> Facts:
        """`pending`: histories changed by the command at hand and not yet stored."""
        policy = self.policy(federation)
        members: list[Facts] = []
        unit_counts: Counter[tuple[str, int]] = Counter()
        if kind == "unit" and mentions(rule, "members"):
            members = [self._member_facts(federation, m, policy, pending=pending) for m in outside.members]
        if kind == "member" and mentions(rule, "ratio_cap"):
            for peer in outside.members:
                for g in self._member_facts(federation, peer, policy, pending=pending).live_grants():
                    unit_counts[(g.award, g.year)] += 1
        own = self._member_facts(federation, code, policy, kind, pending)
        return Facts(
            kind,
            code,
            ratings=own.ratings,
            disciplines=own.disciplines,
            grants=own.grants,
            initiatives=outside.initiatives,
            pledges=outside.pledges,
            acclaimed=outside.acclaimed,
            members=members,
            unit_counts=dict(unit_counts),
            policy=policy,
        )

    def _member_facts(
        self, federation: str, code: str, policy: dict, kind: str = "member", pending: Pending | None = None
    ) -> Facts:
        history = (pending or {}).get(History.id_for(federation, kind, code)) or self.history(
            federation, kind, code
        )
        if history is None:
            return Facts(kind, code, policy=policy)
        return Facts(
            kind,
            code,
            ratings=dict(history.ratings),
            disciplines=history.discipline_facts(),
            grants=history.grant_facts(),
            policy=policy,
        )

    def verdict(
        self,
        federation: str,
        kind: str,
        code: str,
        award: str,
        year: int,
        on: date,
        outside: Outside,
        pending: Pending | None = None,
    ) -> Verdict:
        """The verdict of the rule set in force on `on`, the proposal date."""
        rule = in_force(self.rule_sets(federation), award, on)
        return evaluate(rule, self.facts(federation, kind, code, outside, rule, pending), year, award)
