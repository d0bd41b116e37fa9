"""Nominations (đề nghị khen thưởng): submitted with their verdict, withdrawn, resolved by a
council, disclosed to the public where the award needs it, forwarded upward."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import periods
from shared.kernel.errors import Conflict, Invalid
from shared.kernel.ids import stable_id
from shared.store.fast_events import Creation


class Nomination(Aggregate):
    """One live per subject, award and period (shared.kernel.periods; a calendar year keyed by
    its number, as before periods): the id is that business key and the attempt, and attempt
    n + 1 is opened only once attempt n was withdrawn, so two live ones clash in the store."""

    @staticmethod
    def create_id(
        federation: str,
        subject_kind: str,
        subject_code: str,
        award: str,
        year: int,
        attempt: int = 0,
        period: dict | None = None,
    ) -> UUID:
        key = periods.of(period, year).key
        return Nomination.id_for(federation, subject_kind, subject_code, award, key, attempt)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a list derives each several times; a uuid5 costs more
    def id_for(
        federation: str, subject_kind: str, subject_code: str, award: str, period: int | str, attempt: int = 0
    ) -> UUID:
        """`period`: the period's key, or a calendar year."""
        again = [f"#{attempt}"] if attempt else []
        return stable_id("nomination", federation, subject_kind, subject_code, award, str(period), *again)

    @event("Submitted")
    def __init__(
        self,
        federation: str,
        nomination: str,
        subject_kind: str,
        subject_code: str,
        subject_name: str,
        unit: str,
        unit_path: list[str],
        award: str,
        award_name: str,
        level: str,
        year: int,
        nominated_by: str,
        grounds: str,
        eligible: bool,
        verdict: dict[str, Any],
        upward: bool,
        meta: dict,
        attempt: int = 0,
        period: dict | None = None,
    ) -> None:
        self.attempt = attempt
        self.period = periods.of(period, year).as_dict()
        self.federation = federation
        self.subject_kind = subject_kind
        self.subject_code = subject_code
        self.subject_name = subject_name
        self.unit = unit
        self.unit_path = unit_path
        self.award = award
        self.award_name = award_name
        self.level = level
        self.year = year
        self.nominated_by = nominated_by
        self.grounds = grounds
        self.eligible = eligible
        self.verdict = verdict
        self.upward = upward
        self.state = "submitted"
        self.forwarded_to: str | None = None
        self.council: dict[str, Any] | None = None
        # the national union's council's result on a nomination forwarded to it
        self.national_council: dict[str, Any] | None = None
        self.disclosure: dict[str, date] | None = None

    @property
    def passed(self) -> bool:
        return self.council is not None and bool(self.council["passed"])

    def _key(self) -> dict[str, Any]:
        return {
            "federation": self.federation,
            "nomination": str(self.id),
            "subject_kind": self.subject_kind,
            "subject_code": self.subject_code,
            "award": self.award,
            "year": self.year,
        }

    def withdraw(self, meta: dict) -> None:
        if self.state == "withdrawn":
            raise Conflict("this nomination was already withdrawn")
        self._withdrawn(**self._key(), meta=meta)

    @event("Withdrawn")
    def _withdrawn(
        self,
        federation: str,
        nomination: str,
        subject_kind: str,
        subject_code: str,
        award: str,
        year: int,
        meta: dict,
    ) -> None:
        self.state = "withdrawn"

    def forward(self, to: str, meta: dict) -> None:
        if not self.upward:
            raise Invalid.on("to", f"'{self.award}' is decided by the federation; nothing to forward")
        if self.state == "withdrawn":
            raise Conflict("a withdrawn nomination cannot be forwarded")
        if not self.passed:
            raise Conflict("only a nomination the federation's council passed goes upward")
        if self.forwarded_to is not None:
            raise Conflict(f"this nomination was already forwarded to {self.forwarded_to}")
        self._forwarded(**self._key(), to=to, meta=meta)

    @event("Forwarded")
    def _forwarded(
        self,
        federation: str,
        nomination: str,
        subject_kind: str,
        subject_code: str,
        award: str,
        year: int,
        to: str,
        meta: dict,
    ) -> None:
        self.forwarded_to = to

    def require_live(self) -> None:
        if self.state == "withdrawn":
            raise Conflict(f"nomination {self.id} was withdrawn")

    @event("Resolved")
    def record_result(self, council: str, result: dict[str, Any], meta: dict) -> None:
        self.council = {"council": council, **result}

    @event("NationallyResolved")
    def record_national_result(self, council: str, result: dict[str, Any], meta: dict) -> None:
        self.national_council = {"council": council, **result}

    def disclose(self, starts_on: date, ends_on: date, meta: dict) -> None:
        self.require_live()
        self._disclosed(starts_on=starts_on, ends_on=ends_on, meta=meta)

    @event("Disclosed")
    def _disclosed(self, starts_on: date, ends_on: date, meta: dict) -> None:
        self.disclosure = {"starts_on": starts_on, "ends_on": ends_on}

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            **self._key(),
            "period": self.period,
            "subject_name": self.subject_name,
            "unit": self.unit,
            "unit_path": self.unit_path,
            "award_name": self.award_name,
            "level": self.level,
            "nominated_by": self.nominated_by,
            "grounds": self.grounds,
            "eligible": self.eligible,
            "verdict": self.verdict,
            "upward": self.upward,
            "attempt": self.attempt,
            "state": self.state,
            "forwarded_to": self.forwarded_to,
            "council": self.council,
            "national_council": self.national_council,
            "disclosure": self.disclosure,
            "version": self.version,
        }


# `Nomination(**kw)`, keywords only: the same aggregate and event made without the library's
# argument handling (a list submits thousands).
submitted = Creation(Nomination, "Submitted")
