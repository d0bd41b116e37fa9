"""Reads of awards' own aggregates that several use cases share: a federation's catalogue, rule
sets and policy, subjects' histories, nominations, councils, and the next free key of a grant.
Each takes the store it reads (application/store.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

from services.awards.application.store import Store
from services.awards.domain.calendar import WorkingCalendar
from services.awards.domain.catalogue import Award, FederationCatalogue, award_of, catalogue_of
from services.awards.domain.councils import Council
from services.awards.domain.grants import Grant
from services.awards.domain.history import History, opened
from services.awards.domain.nominations import Nomination
from services.awards.domain.policy import DEFAULT_POLICY, Policy, RuleBook
from services.awards.domain.rulebook import DEFAULT_RULES
from services.awards.domain.rules import in_force
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound
from shared.kernel.periods import Period

PendingHistories = dict[UUID, History]  # histories a command changed and has not stored yet


def catalogue(store: Store, federation: str, on: date | None = None) -> dict[str, Award]:
    """Every award in its latest version (the retired too), or those in force on `on` as they were."""
    return catalogue_of(store.find(FederationCatalogue, FederationCatalogue.id_for(federation)), on)


def catalogue_by_date(store: Store, federation: str) -> Callable[[date], dict[str, Award]]:
    """The catalogue as of each date asked, read once (an import's rows have their own dates)."""
    own = store.find(FederationCatalogue, FederationCatalogue.id_for(federation))
    return functools.lru_cache(maxsize=64)(lambda on: catalogue_of(own, on))


def award(
    store: Store, federation: str, code: str, field_name: str = "award", on: date | None = None
) -> Award:
    """The award (`on`: as it was that day, refused if it was not in force then)."""
    own = store.find(FederationCatalogue, FederationCatalogue.id_for(federation))
    found = award_of(own, code)
    if found is None:
        raise Invalid.on(field_name, f"unknown award '{code}'")
    if on is None:
        return found
    then = award_of(own, code, on)
    if then is None:
        raise Invalid.on(field_name, not_in_force(found, on))
    return then


def not_in_force(award: Award, on: date) -> str:
    if award.effective_until is not None and on > award.effective_until:
        return f"award '{award.code}' was retired after {award.effective_until}; not in force on {on}"
    return f"award '{award.code}' is in force from {award.effective_from}; not on {on}"


def rule_sets(store: Store, federation: str) -> list[dict[str, Any]]:
    return [*DEFAULT_RULES, *own_rule_sets(store, federation)]


def own_rule_sets(store: Store, federation: str) -> list[dict[str, Any]]:
    own = store.find(RuleBook, RuleBook.id_for(federation))
    return list(own.rule_sets) if own else []


def rule_in_force(store: Store, federation: str, award: str, on: date) -> dict[str, Any] | None:
    """The federation's own rule set in force on `on`, else the default one: a federation
    that switched an award's rule keeps it until it publishes another."""
    return in_force(own_rule_sets(store, federation), award, on) or _default_in_force(award, on)


@functools.lru_cache(maxsize=4096)  # every row of a list asks; the defaults are constants
def _default_in_force(award: str, on: date) -> dict[str, Any] | None:
    return in_force(DEFAULT_RULES, award, on)


def policy(store: Store, federation: str) -> dict[str, Any]:
    own = store.find(Policy, Policy.id_for(federation))
    return own.settings if own else dict(DEFAULT_POLICY)


def calendar(store: Store, federation: str) -> WorkingCalendar:
    """Vietnam's working days with the federation's own days off and make-up Saturdays."""
    own = store.find(Policy, Policy.id_for(federation))
    return own.calendar() if own else WorkingCalendar()


def history(store: Store, federation: str, kind: str, code: str) -> History | None:
    return store.find(History, History.id_for(federation, kind, code))


def history_for_write(
    store: Store, federation: str, kind: str, code: str, meta: dict, pending: PendingHistories
) -> History:
    """The subject's history, opened if new; `pending` keeps one instance per batch."""
    hid = History.id_for(federation, kind, code)
    if hid not in pending:
        found = store.find(History, hid)
        pending[hid] = found or opened(federation=federation, subject_kind=kind, subject_code=code, meta=meta)
    return pending[hid]


def grant_attempt(
    store: Store, federation: str, kind: str, code: str, award: str, period: Period, at: str, taken: set[UUID]
) -> int:
    """The next free attempt of this grant's key (the same award for the same period): each
    earlier one must have been revoked or cancelled. `taken` holds the ids already granted in the
    same command."""
    attempt = 0
    while True:
        gid = Grant.id_for(federation, kind, code, award, period.key, attempt)
        found = store.find(Grant, gid)
        if gid in taken or (found is not None and found.standing):
            raise Conflict(
                f"{kind} '{code}' already holds '{award}' for {period.label}",
                [FieldError(at, "already granted")],
            )
        if found is None:
            return attempt
        attempt += 1


def nomination(
    store: Store, federation: str, nomination_id: str, field_name: str | None = None
) -> Nomination:
    found = store.find(Nomination, uuid_of(nomination_id, "nomination"))
    if found is None or found.federation != federation:
        errors = [FieldError(field_name, "unknown nomination")] if field_name else []
        raise NotFound(f"nomination '{nomination_id}' does not exist", errors)
    return found


def unknown_council(federation: str, code: str) -> NotFound:
    """The answer for a council that does not exist, and for one a caller may not see (I5)."""
    return NotFound(f"council '{code}' does not exist in federation '{federation}'")


def council(store: Store, federation: str, code: str) -> Council:
    found = store.find(Council, Council.id_for(federation, code))
    if found is None:
        raise unknown_council(federation, code)
    return found


def uuid_of(value: str, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"{what} '{value}' does not exist") from None
