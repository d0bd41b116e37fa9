"""What every part of awards' application reads: the federation's catalogue, rule sets,
policy, and subjects' histories. `Subjects` is what registration published about them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from services.awards.domain.catalogue import Award, FederationCatalogue, catalogue_of
from services.awards.domain.grants import Grant
from services.awards.domain.history import History
from services.awards.domain.policy import DEFAULT_POLICY, Policy, RuleBook
from services.awards.domain.rulebook import DEFAULT_RULES
from services.awards.domain.rules import in_force
from shared import clock
from shared.auth import scope_covers
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import Context, ServiceApplication
from shared.settings import AwardsSettings


@dataclass(frozen=True)
class Outside:
    """What awards' directory holds about a subject, copied from registration's events."""

    name: str
    unit: str
    unit_path: list[str]
    pledges: frozenset[tuple[str, int]] = frozenset()
    initiatives: dict[int, int] = field(default_factory=dict)
    acclaimed: frozenset[int] = frozenset()
    # a unit: the members of its subtree; a member: the members of its own unit
    members: tuple[str, ...] = ()
    # federations merged into this one: their histories are this subject's too
    formerly: tuple[str, ...] = ()


Subjects = dict[tuple[str, str], Outside]


class AwardsBase(ServiceApplication):
    name = "Awards"

    def __init__(self, settings: AwardsSettings, today: Callable[[], date] = clock.today):
        super().__init__(settings)
        self.today = today
        # Secret-ballot councils' private keys (domain.ballots): in memory only, until resolved.
        self.ballot_keys: dict[UUID, str] = {}

    def forget_ballot_keys(self) -> None:
        self.ballot_keys.clear()

    def catalogue(self, federation: str) -> dict[str, Award]:
        return catalogue_of(self.find(FederationCatalogue, FederationCatalogue.id_for(federation)))

    def award(self, federation: str, code: str, field_name: str = "award") -> Award:
        award = self.catalogue(federation).get(code)
        if award is None:
            raise Invalid.on(field_name, f"unknown award '{code}'")
        return award

    def rule_sets(self, federation: str) -> list[dict[str, Any]]:
        return [*DEFAULT_RULES, *self.own_rule_sets(federation)]

    def own_rule_sets(self, federation: str) -> list[dict[str, Any]]:
        own = self.find(RuleBook, RuleBook.id_for(federation))
        return list(own.rule_sets) if own else []

    def rule_in_force(self, federation: str, award: str, on: date) -> dict[str, Any] | None:
        """The federation's own rule set in force on `on`, else the default one: a federation
        that switched an award's rule keeps it until it publishes another."""
        return in_force(self.own_rule_sets(federation), award, on) or in_force(DEFAULT_RULES, award, on)

    def policy(self, federation: str) -> dict[str, Any]:
        own = self.find(Policy, Policy.id_for(federation))
        return own.settings if own else dict(DEFAULT_POLICY)

    def holidays(self, federation: str) -> set[date]:
        own = self.find(Policy, Policy.id_for(federation))
        return own.holidays() if own else set()

    def grant_attempt(
        self, federation: str, kind: str, code: str, award: str, year: int, at: str, taken: set[UUID]
    ) -> int:
        """The next free attempt of this grant's key: each earlier one must have been revoked.
        `taken` holds the ids already granted in the same command."""
        attempt = 0
        while True:
            gid = Grant.id_for(federation, kind, code, award, year, attempt)
            found = self.find(Grant, gid)
            if gid in taken or (found is not None and found.revoked is None):
                raise Conflict(
                    f"{kind} '{code}' already holds '{award}' for {year}", [FieldError(at, "already granted")]
                )
            if found is None:
                return attempt
            attempt += 1

    def history(self, federation: str, kind: str, code: str) -> History | None:
        return self.find(History, History.id_for(federation, kind, code))

    def history_for_write(
        self, federation: str, kind: str, code: str, meta: dict, pending: dict[UUID, History]
    ) -> History:
        """The subject's history, opened if new; `pending` keeps one instance per batch."""
        hid = History.id_for(federation, kind, code)
        if hid not in pending:
            pending[hid] = self.find(History, hid) or History(federation, kind, code, meta=meta)
        return pending[hid]


def require_staff(ctx: Context, federation: str) -> None:
    """Federation-wide acts (decisions, councils, catalogue, policy) are not a unit's."""
    if not scope_covers(ctx.scope, federation, ()):
        raise Forbidden("only federation staff may do this; a unit-scoped token may not")


def unknown_subject(kind: str, code: str, federation: str, field_name: str = "subject_code") -> Invalid:
    """The answer for a subject awards does not know, and for one outside the caller's subtree (I5)."""
    return Invalid.on(field_name, f"unknown {kind} '{code}' in federation '{federation}'")


def require_within(
    ctx: Context, federation: str, subject: Outside, kind: str, code: str, field_name: str = "subject_code"
) -> None:
    """A unit-scoped caller acts only on subjects of its subtree; any other does not exist for it."""
    if not scope_covers(ctx.scope, federation, tuple(subject.unit_path)):
        raise unknown_subject(kind, code, federation, field_name)


def subject_of(subjects: Subjects, kind: str, code: str, federation: str, field_name: str) -> Outside:
    subject = subjects.get((kind, code))
    if subject is None:
        raise unknown_subject(kind, code, federation, field_name)
    return subject


def uuid_of(value: str, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"{what} '{value}' does not exist") from None
