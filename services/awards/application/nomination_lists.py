"""A list of nominations (`nominations:batch`): each row runs the single nomination's use case
against a staging store, which reads each aggregate once for the whole list (the catalogue, the
rules, the policy, the subjects' histories read at once) and keeps the row's new nomination
instead of saving it; the good rows are then stored in one transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Literal, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.awards.application import commands as c
from services.awards.application import lookups
from services.awards.application.eligibility import Verdicts, counts_members
from services.awards.application.nominations import nominate
from services.awards.application.store import Store
from services.awards.application.subjects import Subjects
from services.awards.domain.history import History, HistoryFacts
from services.awards.domain.nominations import Nomination
from services.awards.domain.rules import judged_on
from shared.kernel.errors import Conflict, DomainError, FieldError, Invalid, NotFound
from shared.ops.gc_pause import collector_paused
from shared.store.eventstore import CommandResult, Context

A = TypeVar("A", bound=Aggregate)
Mode = Literal["all-or-nothing", "keep-good-rows"]
_UNREAD: Any = object()


class Staging:
    """The store a row's use case reads and commits to. Every aggregate is read from the real
    store once; a committed one is kept, and seen by the rows after it. A nomination's use case
    only adds a new aggregate: a refused row leaves nothing read changed."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: dict[UUID, Aggregate | None] = {}
        self.kept: dict[UUID, Aggregate] = {}
        self.facts: dict[UUID, HistoryFacts | None] = {}  # histories are only read

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        found = self.seen.get(aggregate_id, _UNREAD)
        if found is _UNREAD:
            found = self.seen[aggregate_id] = self.store.find(Aggregate, aggregate_id)  # type: ignore[type-abstract]
        # An exact class first: isinstance on an aggregate class goes through ABCMeta (µs a row).
        return found if found is not None and (type(found) is cls or isinstance(found, cls)) else None  # type: ignore[return-value]

    def find_many(self, cls: type[A], ids: Iterable[UUID]) -> dict[UUID, A]:
        ids = list(ids)
        _fill(self.seen, ids, lambda chunk: self.store.find_many(Aggregate, chunk))  # type: ignore[type-abstract]
        return {i: a for i in ids if isinstance(a := self.seen.get(i), cls)}

    def find_unchanged(self, cls: type[A], aggregate_id: UUID) -> A | None:
        return self.find(cls, aggregate_id)

    def history_facts(self, ids: Iterable[UUID]) -> dict[UUID, HistoryFacts]:
        ids = list(ids)
        if len(ids) == 1 and (one := self.facts.get(ids[0], _UNREAD)) is not _UNREAD:
            return {} if one is None else {ids[0]: one}  # a row's own, read with the list
        _fill(self.facts, ids, self.store.history_facts)
        return {i: f for i in ids if (f := self.facts.get(i)) is not None}

    def load(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        found = self.find(cls, aggregate_id)
        if found is None:
            raise NotFound(f"{what} does not exist")
        return found

    def commit(
        self,
        ctx: Context,
        aggregates: Sequence[Aggregate],
        body: Any,
        *,
        status: int = 201,
        version: int | None = None,
    ) -> CommandResult:
        for aggregate in aggregates:
            self.seen[aggregate.id] = self.kept[aggregate.id] = aggregate
        return CommandResult(status, body, version)


def _fill(cache: dict[UUID, Any], ids: list[UUID], read: Callable[[list[UUID]], Mapping[UUID, Any]]) -> None:
    """Read into `cache` what it lacks of `ids`, 5,000 at a time (None for what does not exist)."""
    wanted = [i for i in dict.fromkeys(ids) if i not in cache]
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        found = read(chunk)
        cache.update({i: found.get(i) for i in chunk})


def reads_members(store: Store, today: date, federation: str, cmd: c.SubmitNominations) -> bool:
    """Whether the rule of any row counts the members registration tells of, as
    `eligibility.facts` reads them (`counts_members`): if none does, the list's subjects are read
    without their members (thousands of codes)."""
    for kind, code, year in {(line.subject_kind, line.award, line.year) for line in cmd.nominations}:
        try:
            award = lookups.award(store, federation, code, on=today)
        except DomainError:
            continue  # the row is refused for its award, before its facts are read
        rule = lookups.rule_in_force(store, federation, award.code, judged_on(year, today))
        if counts_members(rule, kind):
            return True
    return False


@collector_paused()  # thousands of histories' facts and ids (the list's reads run beside it)
def stage(store: Store, federation: str, cmd: c.SubmitNominations) -> Staging:
    """The list's staging holding what its rows read whatever registration says of their
    subjects: the subjects' own histories and first nominations, at once (the API reads them
    while it asks for registration's facts)."""
    staging = Staging(store)
    histories = [History.id_for(federation, line.subject_kind, line.subject_code) for line in cmd.nominations]
    nominations = [
        Nomination.id_for(federation, line.subject_kind, line.subject_code, line.award, _key(line), 0)
        for line in cmd.nominations
    ]
    staging.history_facts(histories)
    staging.find_many(Aggregate, nominations)  # type: ignore[type-abstract]
    return staging


@collector_paused()  # thousands of aggregates and events, freed by reference counting
def submit_nominations(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    cmd: c.SubmitNominations,
    by_year: dict[int, Subjects],
    mode: Mode,
    staged: Staging | None = None,
    members_read: bool = True,
) -> CommandResult:
    """`by_year`: registration's facts of the subjects as counted for each year of the list;
    `staged`: `stage` of this list, if read already; `members_read`: whether `by_year` holds the
    subjects' members (`reads_members` said the rules need none if not)."""
    staging = staged or stage(store, federation, cmd)
    if not members_read and reads_members(staging, today, federation, cmd):
        raise Conflict(
            "the rules of an award on this list changed while it was read; nothing was stored; "
            "send the list again"
        )
    _units_members(staging, federation, cmd, by_year)
    # The rows' use cases commit nothing themselves: the key and versions are the list's.
    row_ctx = dataclasses.replace(ctx, idempotency_key=None, fingerprint=None, expected_version=None)
    results: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    verdicts = Verdicts()
    for i, line in enumerate(cmd.nominations, start=1):
        try:
            nomination = nominate(staging, today, row_ctx, federation, line, by_year[line.year], verdicts)
        except DomainError as exc:
            found = [FieldError(e.field, e.message, i) for e in exc.errors or [FieldError("row", exc.detail)]]
            errors.extend(found)
            results.append({"row": i, "status": "rejected", "errors": [e.as_dict() for e in found]})
            continue
        staging.commit(row_ctx, [nomination], None)
        results.append({"row": i, "status": "accepted", "nomination": str(nomination.id)})
    rows = len(cmd.nominations)
    if mode == "all-or-nothing" and errors:
        raise Invalid(f"{len(errors)} problem(s) in {rows} rows; nothing was stored", errors)
    if not staging.kept:
        raise Invalid(f"none of the {rows} rows can be stored; nothing was stored", errors)
    accepted = len(staging.kept)
    body = {"mode": mode, "rows": rows, "accepted": accepted, "rejected": rows - accepted, "results": results}
    try:
        return store.commit(ctx, list(staging.kept.values()), body)
    except Conflict:
        raise Conflict(
            "some of these nominations were submitted concurrently; nothing was stored; "
            "send the list again with mode=keep-good-rows"
        ) from None


def _units_members(
    staging: Staging, federation: str, cmd: c.SubmitNominations, by_year: dict[int, Subjects]
) -> None:
    """The facts of the histories of the members of the list's units, at once."""
    histories: list[UUID] = []
    for line in cmd.nominations:
        outside = by_year.get(line.year, {}).get((line.subject_kind, line.subject_code))
        if outside is not None and line.subject_kind == "unit":
            histories += [History.id_for(federation, "member", m) for m in outside.members]
    staging.history_facts(histories)


def _key(line: c.SubmitNomination) -> str:
    """The key of the period a row states (checked when the row is submitted)."""
    return line.period.period.key if line.period is not None else str(line.year)
