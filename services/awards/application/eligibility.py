"""Eligibility: the facts of a subject gathered from awards' own stores, and the verdict of the
rule set in force on the proposal date."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

from services.awards.application import lookups
from services.awards.application.lookups import PendingHistories
from services.awards.application.store import Store
from services.awards.application.subjects import Outside
from services.awards.domain.catalogue import Award
from services.awards.domain.facts import Facts, GrantFact
from services.awards.domain.history import History
from services.awards.domain.rules import Verdict, evaluate

_written: dict[int, tuple[dict[str, Any], str]] = {}  # id -> (the rule, kept alive; its clauses)


def mentions(rule: dict[str, Any] | None, kind: str) -> bool:
    """Whether the rule's clauses name `kind`. A list asks for each row of the same rule read
    once, so the clauses are written out once per rule object (rules are never changed once read)."""
    if rule is None:
        return False
    kept = _written.get(id(rule))
    if kept is None or kept[0] is not rule:
        if len(_written) > 256:
            _written.clear()
        kept = _written[id(rule)] = (rule, json.dumps(rule.get("clauses", [])))
    return f'"{kind}"' in kept[1]


def counts_members(rule: dict[str, Any] | None, kind: str) -> bool:
    """Whether the rule reads the members registration tells of a subject: a unit's own (its
    `members` clauses), a member's peers in its unit (`ratio_cap`)."""
    return mentions(rule, "members") if kind == "unit" else kind == "member" and mentions(rule, "ratio_cap")


def facts(
    store: Store,
    federation: str,
    kind: str,
    code: str,
    outside: Outside,
    rule: dict[str, Any] | None,
    pending: PendingHistories | None,
    verdicts: Verdicts,
) -> Facts:
    """`pending`: histories changed by the command at hand and not yet stored; `verdicts`: those
    of the list the subject is in, which read the policy once for all its rows."""
    policy, counted = verdicts.policy(store, federation), verdicts.counts_members(rule, kind)
    federations = (federation, *outside.formerly)
    members: list[Facts] = []
    unit_counts: Counter[tuple[str, int]] | dict = {}
    if counted and kind == "unit":
        members = [member_facts(store, federations, m, policy, pending=pending) for m in outside.members]
    if counted and kind == "member":
        unit_counts = Counter()
        for peer in outside.members:
            for g in member_facts(store, federations, peer, policy, pending=pending).live_grants():
                unit_counts[(g.award, g.year)] += 1
    ratings, disciplines, grants = _histories(store, federations, code, kind, pending, outside.former_codes)
    return Facts.of(
        kind,
        code,
        ratings=ratings,
        disciplines=disciplines,
        grants=grants,
        initiatives=outside.initiatives,
        pledges=outside.pledges,
        acclaimed=outside.acclaimed,
        members=members,
        unit_counts=dict(unit_counts),
        policy=policy,
    )


def member_facts(
    store: Store,
    federations: tuple[str, ...],
    code: str,
    policy: dict,
    kind: str = "member",
    pending: PendingHistories | None = None,
    former_codes: tuple[str, ...] = (),
) -> Facts:
    """The subject's histories under its federation and those merged into it, and under a unit's
    earlier codes (`former_codes`, oldest first), oldest first: a later one's rating of a year wins."""
    ratings, disciplines, grants = _histories(store, federations, code, kind, pending, former_codes)
    return Facts.of(kind, code, ratings=ratings, disciplines=disciplines, grants=grants, policy=policy)


def _histories(
    store: Store,
    federations: tuple[str, ...],
    code: str,
    kind: str,
    pending: PendingHistories | None,
    former_codes: tuple[str, ...],
) -> tuple[dict[int, str], list[tuple[int, str]], list[GrantFact]]:
    """`member_facts`' ratings, disciplines and grants."""
    ratings: dict[int, str] = {}
    disciplines: list[tuple[int, str]] = []
    grants: list[GrantFact] = []
    for under, known_as in counted(federations, code, former_codes):
        hid = History.id_for(under, kind, known_as)
        changed = (pending or {}).get(hid) if (under, known_as) == (federations[0], code) else None
        found = changed.facts() if changed is not None else store.history_facts([hid]).get(hid)
        if found is not None:
            ratings.update(found.ratings)
            disciplines.extend(found.disciplines)
            grants.extend(found.grants)
    return ratings, disciplines, grants


def counted(
    federations: tuple[str, ...], code: str, former_codes: tuple[str, ...] = ()
) -> Iterator[tuple[str, str]]:
    """(federation, code) of each history the rules count for a subject of `code` in
    `federations[0]`, oldest first: under a unit's earlier codes, then its code, each under the
    federations merged into its own before its own."""
    for known_as in (*former_codes, code):
        for under in reversed(federations):
            yield under, known_as


class Verdicts:
    """The verdicts of one list's rows, each computed once for the same rule, year and facts:
    a year's list is mostly members whose histories read alike; and what every row reads alike
    (its award, the rule in force, the policy), read once. Only for one federation's list read
    through one staging store (its catalogue, policy and rules do not change within it), or for
    one command (a list of one)."""

    def __init__(self) -> None:
        self.found: dict[tuple[Any, ...], tuple[dict[str, Any] | None, Verdict]] = {}
        self._awards: dict[tuple[str, str, date], Award] = {}
        self._rules: dict[tuple[str, str, date], dict[str, Any] | None] = {}
        self._policies: dict[str, dict[str, Any]] = {}
        self._counted: dict[tuple[int, str], bool] = {}  # by the id of a rule kept in _rules

    def award(self, store: Store, federation: str, code: str, on: date) -> Award:
        """`lookups.award` as it was on `on`; a refusal is not kept (each row raises its own)."""
        key = (federation, code, on)
        found = self._awards.get(key)
        if found is None:
            found = self._awards[key] = lookups.award(store, federation, code, on=on)
        return found

    def rule_in_force(self, store: Store, federation: str, award: str, on: date) -> dict[str, Any] | None:
        key = (federation, award, on)
        if key not in self._rules:
            self._rules[key] = lookups.rule_in_force(store, federation, award, on)
        return self._rules[key]

    def policy(self, store: Store, federation: str) -> dict[str, Any]:
        found = self._policies.get(federation)
        if found is None:
            found = self._policies[federation] = lookups.policy(store, federation)
        return found

    def counts_members(self, rule: dict[str, Any] | None, kind: str) -> bool:
        """`counts_members` of a rule this list read (`rule_in_force`: kept alive, its id not reused)."""
        key = (id(rule), kind)
        found = self._counted.get(key)
        if found is None:
            found = self._counted[key] = counts_members(rule, kind)
        return found

    def of(self, rule: dict[str, Any] | None, facts: Facts, year: int, award: str) -> Verdict:
        """`evaluate`'s verdict, shared by the rows alike (a verdict is never changed)."""
        if facts.members:  # a unit's members' facts: their codes are named in the verdict
            return evaluate(rule, facts, year, award)
        key = (
            id(rule),
            year,
            award,
            facts.subject_kind,
            tuple(facts.ratings.items()),
            tuple(facts.disciplines),
            tuple(facts.grants),
            tuple(facts.initiatives.items()),
            facts.pledges,
            facts.acclaimed,
            tuple(facts.unit_counts.items()),
        )
        kept = self.found.get(key)
        if kept is None or kept[0] is not rule:  # the rule kept alive, so its id is not reused
            kept = self.found[key] = (rule, evaluate(rule, facts, year, award))
        return kept[1]


def verdict(
    store: Store,
    federation: str,
    kind: str,
    code: str,
    award: str,
    year: int,
    on: date,
    outside: Outside,
    pending: PendingHistories | None = None,
    verdicts: Verdicts | None = None,
) -> Verdict:
    """The verdict of the rule set in force on `on`, the proposal date. `verdicts`: those of the
    list this row is in (none: this command's own, a list of one)."""
    verdicts = Verdicts() if verdicts is None else verdicts
    rule = verdicts.rule_in_force(store, federation, award, on)
    judged = facts(store, federation, kind, code, outside, rule, pending, verdicts)
    return verdicts.of(rule, judged, year, award)
