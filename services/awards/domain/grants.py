"""Decisions (quyết định khen thưởng) and the grants they make; revocations."""

from __future__ import annotations

import functools
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel import periods
from shared.kernel.errors import Conflict
from shared.kernel.ids import stable_id


class Decision(Aggregate):
    """Number unique per issuing authority and year: the id is that key."""

    @staticmethod
    def create_id(authority: str, year: int, number: str) -> UUID:
        return Decision.id_for(authority, year, number)

    @staticmethod
    def id_for(authority: str, year: int, number: str) -> UUID:
        return stable_id("decision", authority, str(year), number)

    @event("Issued")
    def __init__(
        self,
        federation: str,
        authority: str,
        number: str,
        signed_on: date,
        signer: str,
        year: int,
        title: str,
        grants: list[dict],
        meta: dict,
        period: dict | None = None,
        signer_title: str = "",
        signing_for: str = "",
    ) -> None:
        self.period = periods.of(period, year).as_dict()
        # as printed above the signature (older decisions hold none: the federation's paper's)
        self.signer_title = signer_title
        self.signing_for = signing_for
        self.federation = federation
        self.authority = authority
        self.number = number
        self.signed_on = signed_on
        self.signer = signer
        self.year = year
        self.title = title
        self.grants = grants
        self.removed: list[dict] = []
        self.cancelled: dict | None = None

    def require_standing(self) -> None:
        if self.cancelled is not None:
            raise Conflict(f"decision '{self.number}' was cancelled on {self.cancelled['cancelled_on']}")

    def amend(
        self, added: list[dict], removed: list[str], corrected: list[dict], reason: str, on: date, meta: dict
    ) -> None:
        """Lines added, removed (by grant id; kept in `removed`) and names corrected, with why."""
        self._amended(self.federation, self.number, added, removed, corrected, reason, on, meta)

    @event("Amended")
    def _amended(
        self, federation: str, number: str, added: list[dict], removed: list[str], corrected: list[dict],
        reason: str, on: date, meta: dict,
    ) -> None:  # fmt: skip
        kept = [g for g in self.grants if g["grant_id"] not in removed]
        self.removed += [{**g, "removed_on": on, "reason": reason} for g in self.grants if g not in kept]
        names = {c["grant_id"]: c["subject_name"] for c in corrected}
        named = [g | {"subject_name": names[g["grant_id"]]} if g["grant_id"] in names else g for g in kept]
        self.grants = named + added

    def cancel(self, reason: str, cancelled_on: date, grants: list[str], meta: dict) -> None:
        """Every grant of the decision (`grants`: those cancelled with it) counts as never granted."""
        self._cancelled(self.federation, self.number, reason, cancelled_on, grants, meta)

    @event("Cancelled")
    def _cancelled(
        self, federation: str, number: str, reason: str, cancelled_on: date, grants: list[str], meta: dict
    ) -> None:
        self.cancelled = {"reason": reason, "cancelled_on": cancelled_on}

    def as_dict(self) -> dict:
        return {
            "id": str(self.id),
            "federation": self.federation,
            "authority": self.authority,
            "number": self.number,
            "signed_on": self.signed_on,
            "signer": self.signer,
            "signer_title": self.signer_title,
            "signing_for": self.signing_for,
            "year": self.year,
            "period": self.period,
            "title": self.title,
            "grants": self.grants,
            "removed": self.removed,
            "cancelled": self.cancelled,
            "version": self.version,
        }


class Grant(Aggregate):
    """One award to one subject for one period (shared.kernel.periods; the id keys the period,
    a calendar year by its number as before periods existed). Revoked grants count as never
    granted: attempt n + 1 of the same key is opened only once attempt n was revoked, so two
    live ones clash."""

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
        return Grant.id_for(federation, subject_kind, subject_code, award, key, attempt)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a list derives each several times; a uuid5 costs more
    def id_for(
        federation: str, subject_kind: str, subject_code: str, award: str, period: str, attempt: int = 0
    ) -> UUID:
        """`period`: the period's key ('2023' for a calendar year, as before periods)."""
        again = [f"#{attempt}"] if attempt else []
        return stable_id("grant", federation, subject_kind, subject_code, award, period, *again)

    @event("Granted")
    def __init__(
        self,
        federation: str,
        subject_kind: str,
        subject_code: str,
        subject_name: str,
        unit: str,
        unit_path: list[str],
        award: str,
        award_name: str,
        level: str,
        year: int,
        decision_id: str,
        decision_number: str,
        decision_date: date,
        signer: str,
        authority: str,
        source: str,
        meta: dict,
        nomination: str | None = None,
        bonus_coefficient: float | None = None,
        occasion: str = "regular",
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
        self.award = award
        self.award_name = award_name
        self.level = level
        self.year = year
        self.decision_id = decision_id
        self.decision_number = decision_number
        self.decision_date = decision_date
        self.signer = signer
        self.authority = authority
        self.source = source
        self.nomination = nomination
        self.bonus_coefficient = bonus_coefficient
        self.occasion = occasion
        self.unit_path = unit_path
        self.revoked: dict | None = None
        self.cancelled: dict | None = None

    @property
    def standing(self) -> bool:
        return self.revoked is None and self.cancelled is None

    def revoke(self, reason: str, reference: str, revoked_on: date, meta: dict) -> None:
        if self.cancelled is not None:
            raise Conflict(f"this grant was cancelled on {self.cancelled['cancelled_on']}")
        if self.revoked is not None:
            raise Conflict(f"this grant was already revoked on {self.revoked['revoked_on']}")
        self._revoked(
            federation=self.federation,
            subject_kind=self.subject_kind,
            subject_code=self.subject_code,
            subject_name=self.subject_name,
            unit=self.unit,
            award=self.award,
            award_name=self.award_name,
            level=self.level,
            year=self.year,
            decision_number=self.decision_number,
            reason=reason,
            reference=reference,
            revoked_on=revoked_on,
            meta=meta,
        )

    @event("Revoked")
    def _revoked(
        self,
        federation: str,
        subject_kind: str,
        subject_code: str,
        subject_name: str,
        unit: str,
        award: str,
        award_name: str,
        level: str,
        year: int,
        decision_number: str,
        reason: str,
        reference: str,
        revoked_on: date,
        meta: dict,
    ) -> None:
        self.revoked = {"reason": reason, "reference": reference, "revoked_on": revoked_on}

    def cancel(self, reason: str, cancelled_on: date, by: str, meta: dict) -> None:
        """Removed from its decision by an amendment (`by` 'amendment') or with the whole decision
        ('cancellation'): it counts as never granted, reported apart from revocations."""
        if not self.standing:
            raise Conflict(f"this grant was already {'revoked' if self.revoked else 'cancelled'}")
        self._cancelled(
            self.federation, self.subject_kind, self.subject_code, self.subject_name, self.unit,
            self.unit_path, self.award, self.award_name, self.level, self.year, self.decision_id,
            self.decision_number, self.nomination, reason, cancelled_on, by, meta,
        )  # fmt: skip

    @event("Cancelled")
    def _cancelled(
        self, federation: str, subject_kind: str, subject_code: str, subject_name: str, unit: str,
        unit_path: list[str], award: str, award_name: str, level: str, year: int, decision_id: str,
        decision_number: str, nomination: str | None, reason: str, cancelled_on: date, by: str, meta: dict,
    ) -> None:  # fmt: skip
        self.cancelled = {"reason": reason, "cancelled_on": cancelled_on, "by": by}

    def correct_name(self, subject_name: str, reason: str, meta: dict) -> None:
        """The grantee's name as printed corrected; the grant keeps its identity."""
        self._corrected(
            self.federation, self.subject_kind, self.subject_code, self.unit, self.unit_path,
            self.award, self.year, self.decision_number, subject_name, self.subject_name, reason, meta,
        )  # fmt: skip

    @event("Corrected")
    def _corrected(
        self, federation: str, subject_kind: str, subject_code: str, unit: str, unit_path: list[str],
        award: str, year: int, decision_number: str, subject_name: str, was: str, reason: str, meta: dict,
    ) -> None:  # fmt: skip
        self.subject_name = subject_name

    def as_dict(self) -> dict:
        return {
            "id": str(self.id),
            "federation": self.federation,
            "subject_kind": self.subject_kind,
            "subject_code": self.subject_code,
            "subject_name": self.subject_name,
            "unit": self.unit,
            "award": self.award,
            "award_name": self.award_name,
            "level": self.level,
            "year": self.year,
            "decision_id": self.decision_id,
            "decision_number": self.decision_number,
            "decision_date": self.decision_date,
            "signer": self.signer,
            "authority": self.authority,
            "source": self.source,
            "nomination": self.nomination,
            "bonus_coefficient": self.bonus_coefficient,
            "occasion": self.occasion,
            "period": self.period,
            "attempt": self.attempt,
            "revoked": self.revoked,
            "cancelled": self.cancelled,
            "version": self.version,
        }
