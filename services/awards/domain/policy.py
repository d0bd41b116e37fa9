"""What a federation sets for itself: its own rule sets (`rule-set-published`) and its policy
(pledges required, ratio caps, holidays and the length of public disclosure)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id

DEFAULT_POLICY: dict[str, Any] = {
    "pledge_required": False,
    "ratio_caps": {},
    "holidays": [],
    "disclosure_days": 10,
}


class RuleBook(Aggregate):
    @staticmethod
    def create_id(federation: str) -> UUID:
        return RuleBook.id_for(federation)

    @staticmethod
    def id_for(federation: str) -> UUID:
        return stable_id("rulebook", federation)

    @event("Opened")
    def __init__(self, federation: str, meta: dict) -> None:
        self.federation = federation
        self.rule_sets: list[dict[str, Any]] = []

    @event("Published")
    def publish(
        self, federation: str, award: str, rule_version: str, effective_from: date, rule: dict, meta: dict
    ) -> None:
        self.rule_sets.append(
            {**rule, "award": award, "version": rule_version, "effective_from": effective_from.isoformat()}
        )

    def has(self, award: str, rule_version: str) -> bool:
        return any(r["award"] == award and r["version"] == rule_version for r in self.rule_sets)


class Policy(Aggregate):
    @staticmethod
    def create_id(federation: str) -> UUID:
        return Policy.id_for(federation)

    @staticmethod
    def id_for(federation: str) -> UUID:
        return stable_id("policy", federation)

    @event("Opened")
    def __init__(self, federation: str, meta: dict) -> None:
        self.federation = federation
        self.settings: dict[str, Any] = dict(DEFAULT_POLICY)

    @event("Set")
    def change(self, settings: dict[str, Any], meta: dict) -> None:
        self.settings = {**self.settings, **settings}

    def holidays(self) -> set[date]:
        return {date.fromisoformat(d) for d in self.settings.get("holidays", [])}
