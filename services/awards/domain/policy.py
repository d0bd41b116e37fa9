"""What a federation sets for itself: its own rule sets (`rule-set-published`) and its policy
(pledges required, ratio caps, holidays and the length of public disclosure)."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.awards.domain.calendar import WorkingCalendar
from shared.kernel.errors import Invalid
from shared.kernel.ids import stable_id

DEFAULT_POLICY: dict[str, Any] = {
    "pledge_required": False,
    "ratio_caps": {},
    "holidays": [],  # the federation's own days off, beside Vietnam's public holidays
    "working_saturdays": [],  # its make-up working Saturdays (ngày làm bù)
    "disclosure_days": 10,
}


class RuleBook(Aggregate):
    @staticmethod
    def create_id(federation: str) -> UUID:
        return RuleBook.id_for(federation)

    @staticmethod
    @functools.lru_cache(maxsize=1024)  # read on every row of a list; a uuid5 costs more
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
    @functools.lru_cache(maxsize=1024)  # read on every row of a list; a uuid5 costs more
    def id_for(federation: str) -> UUID:
        return stable_id("policy", federation)

    @event("Opened")
    def __init__(self, federation: str, meta: dict) -> None:
        self.federation = federation
        self.settings: dict[str, Any] = dict(DEFAULT_POLICY)

    def change(self, settings: dict[str, Any], meta: dict) -> None:
        """New settings; a day cannot be both one of the federation's days off and one of its
        make-up working Saturdays (each list is kept sorted, each day once)."""
        for key in ("holidays", "working_saturdays"):
            if key in settings:
                settings = {**settings, key: sorted(set(settings[key]))}
        after = {**self.settings, **settings}
        both = sorted(set(after.get("holidays", [])) & set(after.get("working_saturdays", [])))
        if both:
            field = "working_saturdays" if "working_saturdays" in settings else "holidays"
            raise Invalid.on(field, f"{both[0]} is both a day off and a working Saturday")
        self._set(settings=settings, meta=meta)

    @event("Set")
    def _set(self, settings: dict[str, Any], meta: dict) -> None:
        self.settings = {**self.settings, **settings}

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.of(
            self.settings.get("holidays", []), self.settings.get("working_saturdays", [])
        )
