"""The organisation tree's look-ups, which every command uses: federations, units, members and
movements by code, and paths derived by walking parents as of a date, following merged units to
their successor and stopping at dissolved ones. Reads go through the command's `Reads`
(application.reads) when it has them, else straight to the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate

from services.registration.adapters.award_catalogue import KnownAwards
from services.registration.adapters.event_reads import MAX_REBUILT, EventReads
from services.registration.application.member_facts import KeptMemberFacts
from services.registration.application.reads import current
from services.registration.application.scope import require_subtree, unknown_member, unknown_unit
from services.registration.domain.members import Member, MemberFacts
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import PARENT_KINDS, Federation, Unit
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound

A = TypeVar("A", bound=Aggregate)
MAX_DEPTH = 16


class Tree:
    """Look-ups over the store: `repository` for a read outside a command's reads, `events` for
    reads within them, `today` the date commands default to."""

    def __init__(self, repository: Repository[UUID], events: EventReads, today: Callable[[], date]) -> None:
        self.repository = repository
        self.events = events
        self.today = today
        self.kept_facts = KeptMemberFacts(events.mapper, MAX_REBUILT)
        self.awards = KnownAwards(events.datastore)  # the federations' own awards, as awards published
        mapper = events.mapper
        # The fold reads plain stored JSON: not with a cipher or compression.
        self.folds_facts = mapper.cipher is None and mapper.compressor is None

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        reads = current()
        if reads is None:
            try:
                aggregate: Aggregate = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                return None
            return aggregate if isinstance(aggregate, cls) else None
        if aggregate_id not in reads.aggregates:
            if aggregate_id not in reads.stored:
                self.events.prefetch(reads.stored, [aggregate_id])
            stored = reads.stored[aggregate_id]
            reads.aggregates[aggregate_id] = (
                self.events.rebuild_kept(aggregate_id, stored)
                if reads.read_only_kept
                else self.events.rebuild(stored)
            )
        found = reads.aggregates[aggregate_id]
        return found if isinstance(found, cls) else None

    def prefetch(self, ids: list[UUID]) -> None:
        """Read many aggregates' events in one query into the current reads (none: a no-op)."""
        reads = current()
        if reads is not None:
            self.events.prefetch(reads.stored, ids)

    def read_current(self, ids: list[UUID], checked: bool = False) -> None:
        """As `prefetch`, with the long-lived aggregates kept between commands and checked
        against the log (adapters.aggregate_cache)."""
        reads = current()
        if reads is not None:
            self.events.read_current(reads.stored, ids, checked)

    def phases_named(self, federation: str, movement: str) -> set[str]:
        """The phases the movement's pledges name, whatever their state."""
        return self.events.phases_named(federation, movement)

    def federation(self, code: str) -> Federation:
        found = self.find(Federation, Federation.id_for(code))
        if found is None:
            raise NotFound(f"federation '{code}' does not exist")
        return found

    def knows_federation(self, code: str) -> bool:
        return self.find(Federation, Federation.id_for(code)) is not None

    def open_federation(self, code: str) -> Federation:
        federation = self.federation(code)
        if federation.merged_by(self.today()):
            raise Conflict(
                f"federation '{code}' was merged into '{federation.merged_into}' on {federation.merged_on}"
            )
        return federation

    def reachable(self, federation: str) -> list[str]:
        """The federation and those merged into it: their units and members are addressed through it."""
        reads = current()
        if reads is not None and reads.placed is not None:
            homes = reads.homes.get(federation)
            if homes is None:
                homes = reads.homes[federation] = self._reachable(federation)
            return homes
        return self._reachable(federation)

    def _reachable(self, federation: str) -> list[str]:
        return [federation, *(a["code"] for a in self.federation(federation).absorbed)]

    def resolve(self, cls: type[A], federation: str, code: str) -> A | None:
        for home in self.reachable(federation):
            found = self.find(cls, cls.id_for(home, code))  # type: ignore[attr-defined]
            if found is not None:
                return found
        return None

    def unit(self, federation: str, code: str, field: str = "unit") -> Unit:
        unit = self.resolve(Unit, federation, code)
        if unit is None:
            raise unknown_unit(federation, code, field)
        return unit

    def member(self, federation: str, code: str, field: str = "member") -> Member:
        member = self.resolve(Member, federation, code)
        if member is None:
            raise unknown_member(federation, code, field)
        return member

    def movement(self, federation: str, code: str, field: str = "movement") -> Movement:
        movement = self.resolve(Movement, federation, code)
        if movement is None:
            raise NotFound(
                f"movement '{code}' does not exist in federation '{federation}'",
                [FieldError(field, f"unknown movement '{code}'")],
            )
        return movement

    def member_facts(self, federation: str, code: str, field: str = "member") -> Member | MemberFacts:
        """`member`, for a command that only reads it: its facts folded from its stored events
        (MemberFacts.fold), or the aggregate where they cannot be (or it is rebuilt already)."""
        reads = current()
        if reads is None or not self.folds_facts:
            return self.member(federation, code, field)
        known = reads.members.get((federation, code))
        if known is not None:
            return known
        for home in self.reachable(federation):
            ident = Member.id_for(home, code)
            found: Member | MemberFacts | None = None
            if ident not in reads.aggregates:
                if ident not in reads.stored:
                    self.events.prefetch(reads.stored, [ident])
                stored = reads.stored[ident]
                found = self.kept_facts.get(stored) if stored else None
            if found is None:
                found = self.find(Member, ident)
            if found is not None:
                reads.members[(federation, code)] = found
                return found
        return self.member(federation, code, field)  # not there: refused as `member` refuses it

    def placement(self, unit: Unit, on: date) -> tuple[str, list[str]] | None:
        """(federation, path from the top) of `unit` on `on`; None if it was not in the tree then."""
        chain: list[str] = []
        current_unit = unit
        for _ in range(MAX_DEPTH):
            placed = current_unit.placement_on(on)
            if placed is None:
                ended = current_unit.ended_on is not None and current_unit.ended_on <= on
                successor = current_unit.successor if ended else None
                if not chain or successor is None:
                    return None
                # An ancestor merged into another unit (or recoded): its subtree sits under the successor.
                current_unit = self.unit(current_unit.federation, successor)
                continue
            chain.append(current_unit.code)
            if placed["parent"] is None:
                return placed["federation"], chain[::-1]
            current_unit = self.unit(placed["federation"], placed["parent"])
        raise Conflict(f"the tree above unit '{unit.code}' is deeper than {MAX_DEPTH} levels")

    def live_unit(
        self, federation: str, code: str, field: str = "unit", on: date | None = None, ctx: Any = None
    ) -> tuple[Unit, list[str]]:
        """A unit in the federation's tree on `on` (default today), with its path. With the
        command's `ctx`, a unit outside the caller's subtree is refused first, exactly as one
        that does not exist, whatever its state (I5)."""
        unit = self.unit(federation, code, field)
        on = on or self.today()
        placed = self.placement(unit, on)
        if ctx is not None:
            known = placed[1] if placed is not None and placed[0] == federation else unit.ancestry
            require_subtree(ctx, federation, known, field)
        if placed is None:
            if unit.recoded_by(on) is not None:
                raise Invalid.on(field, unit.recoded_notice())
            raise Invalid.on(field, f"unit '{code}' is not in the tree on {on} ({unit.state})")
        if placed[0] != federation:
            raise Invalid.on(field, f"unit '{code}' belongs to federation '{placed[0]}' on {on}")
        return unit, placed[1]

    def placeable_unit(
        self, federation: str, code: str, field: str, on: date, ctx: Any = None
    ) -> tuple[Unit, list[str]]:
        """`live_unit`, for a unit someone or some unit is placed in from `on`: refused if it has
        ended since (Unit.refuse_placement)."""
        unit, path = self.live_unit(federation, code, field, on, ctx)
        unit.refuse_placement(field)
        return unit, path

    def member_placement(self, member: Member | MemberFacts, on: date) -> tuple[Unit, str, list[str]] | None:
        unit_code = member.unit_on(on)
        if unit_code is None:
            return None
        reads = current()
        memo = reads.placed if reads is not None else None
        key = (member.federation, unit_code, on)
        if memo is not None and key in memo:
            return memo[key]
        unit = self.unit(member.federation, unit_code)
        placed = self.placement(unit, on)
        result = None if placed is None else (unit, placed[0], placed[1])
        if memo is not None:
            memo[key] = result
        return result

    def known_placement(self, member: Member | MemberFacts, on: date) -> tuple[str, list[str]]:
        """(federation, path) where `member` is known to be, for a scope check: its placement on
        `on`, else today, else its last unit's path (a member who left)."""
        for day in (on, self.today()):
            placed = self.member_placement(member, day)
            if placed is not None:
                return placed[1], placed[2]
        last = None
        if member.placements:
            last = self.resolve(Unit, member.federation, member.placements[-1]["unit"])
        if last is not None and last.ended_on is not None:  # its path on its last day (ancestors move)
            then = self.placement(last, last.ended_on - timedelta(days=1))
            if then is not None:
                return then
        return (last.federation, list(last.ancestry)) if last is not None else (member.federation, [])

    def code_is_free(self, cls: type[Aggregate], federation: str, code: str, what: str) -> None:
        if self.resolve(cls, federation, code) is not None:
            raise Conflict(
                f"{what} '{code}' already exists in '{federation}'", [FieldError("code", "already exists")]
            )

    def check_parent(
        self, federation: str, kind: str, parent: str | None, on: date, ctx: Any = None, field: str = "parent"
    ) -> list[str]:
        """The parent's path (empty for the federation itself), if a `kind` unit may sit under it;
        with `ctx`, a parent outside the caller's subtree does not exist for it."""
        path: list[str] = []
        parent_kind = ""
        if parent:
            parent_unit, path = self.placeable_unit(federation, parent, field, on, ctx)
            parent_kind = parent_unit.kind
        if parent_kind not in PARENT_KINDS[kind]:
            where = f"a unit of kind '{parent_kind}'" if parent_kind else "the federation"
            raise Invalid.on(field, f"a unit of kind '{kind}' cannot sit under {where}")
        return path
