"""Registration's application object: it holds the parts (the event store it is, the tree's
look-ups over it, the reads and caches of stored events, the clock) and hands them to the use
cases, which live as plain functions in one module per part of the domain (organisation,
pledging, bulk, activities) and receive what they need in their signatures. The methods below are
thin: each passes the parts to one use case, so a reader (or a route, or a test) follows any of
them to a function that shows every dependency it uses."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from services.registration.adapters.event_reads import EventReads
from services.registration.application import (
    activities,
    activity_corrections,
    bulk,
    lists,
    movements,
    organisation,
    pledge_corrections,
    pledge_rules,
    pledging,
    recoding,
    unit_endings,
)
from services.registration.application import activity_commands as ac
from services.registration.application import commands as c
from services.registration.application.bulk import Mode
from services.registration.application.member_facts import KeptMemberFacts
from services.registration.application.reads import Reads, current, memoised
from services.registration.application.tree import Tree
from services.registration.domain.covenants import Covenant
from services.registration.domain.members import Member, MemberFacts
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Federation, Unit
from services.registration.domain.pledges import Pledge
from services.registration.domain.programmes import Initiative, Target, Work
from shared.kernel import clock
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import CommandResult, Context, IdempotencyRecord, ServiceApplication

A = TypeVar("A", bound=Aggregate)


class RegistrationApplication(ServiceApplication):
    name = "Registration"

    def __init__(self, settings: RegistrationSettings, today: Callable[[], date] = clock.today):
        super().__init__(settings)
        self.event_reads = EventReads(self.recorder, self.mapper)
        self.tree = Tree(self.repository, self.event_reads, today)

    @property
    def today(self) -> Callable[[], date]:
        """The clock the use cases read (the tree's): setting it sets theirs."""
        return self.tree.today

    @today.setter
    def today(self, today: Callable[[], date]) -> None:
        self.tree.today = today

    # -- the store's hooks, read through the command's reads --------------------------------

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        return self.tree.find(cls, aggregate_id)

    def command_session(self) -> contextlib.AbstractContextManager[Reads]:
        """What shared.web.app.execute runs each command in."""
        return memoised()

    def replay(self, ctx: Context) -> CommandResult | None:
        # Read from the store, never from this command's reads: after a clash the key's answer
        # may have been stored by the concurrent writer a moment ago.
        reads = current()
        if reads is not None and ctx.idempotency_key:
            ident = IdempotencyRecord.id_for(ctx.actor, ctx.idempotency_key)
            reads.stored.pop(ident, None)
            reads.aggregates.pop(ident, None)
        return super().replay(ctx)

    def memoised(self, reads: Reads | None = None) -> contextlib.AbstractContextManager[Reads]:
        return memoised(reads)

    @property
    def kept_facts(self) -> KeptMemberFacts:
        return self.tree.kept_facts

    def _rebuild(self, stored: list[StoredEvent]) -> Aggregate | None:
        return self.event_reads.rebuild(stored)

    # -- application.tree: look-ups ---------------------------------------------------------

    def federation(self, code: str) -> Federation:
        return self.tree.federation(code)

    def knows_federation(self, code: str) -> bool:
        return self.tree.knows_federation(code)

    def unit(self, federation: str, code: str, field: str = "unit") -> Unit:
        return self.tree.unit(federation, code, field)

    def member(self, federation: str, code: str, field: str = "member") -> Member:
        return self.tree.member(federation, code, field)

    def movement(self, federation: str, code: str, field: str = "movement") -> Movement:
        return self.tree.movement(federation, code, field)

    def member_facts(self, federation: str, code: str, field: str = "member") -> Member | MemberFacts:
        return self.tree.member_facts(federation, code, field)

    def placement(self, unit: Unit, on: date) -> tuple[str, list[str]] | None:
        return self.tree.placement(unit, on)

    def member_placement(self, member: Member | MemberFacts, on: date) -> tuple[Unit, str, list[str]] | None:
        return self.tree.member_placement(member, on)

    def known_placement(self, member: Member | MemberFacts, on: date) -> tuple[str, list[str]]:
        return self.tree.known_placement(member, on)

    # -- application.organisation ----------------------------------------------------------
    def create_federation(self, ctx: Context, cmd: c.CreateFederation) -> CommandResult:
        return organisation.create_federation(self.tree, self, ctx, cmd)

    def register_unit(self, ctx: Context, federation: str, cmd: c.RegisterUnit) -> CommandResult:
        return organisation.register_unit(self.tree, self, ctx, federation, cmd)

    def register_member(self, ctx: Context, federation: str, cmd: c.RegisterMember) -> CommandResult:
        return organisation.register_member(self.tree, self, ctx, federation, cmd)

    def move_unit(self, ctx: Context, federation: str, code: str, cmd: c.MoveUnit) -> CommandResult:
        return organisation.move_unit(self.tree, self, ctx, federation, code, cmd)

    def merge_unit(
        self,
        ctx: Context,
        federation: str,
        code: str,
        cmd: c.MergeUnit,
        members: Sequence[str] = (),
        seen: int | None = None,
    ) -> CommandResult:
        return unit_endings.merge_unit(self.tree, self, ctx, federation, code, cmd, members, seen)

    def recode_unit(
        self,
        ctx: Context,
        federation: str,
        code: str,
        cmd: c.RecodeUnit,
        members: Sequence[str] = (),
        subunits: Sequence[str] = (),
        seen: int | None = None,
    ) -> CommandResult:
        return recoding.recode_unit(self.tree, self, ctx, federation, code, cmd, members, subunits, seen)

    def dissolve_unit(
        self,
        ctx: Context,
        federation: str,
        code: str,
        cmd: c.DissolveUnit,
        members: Sequence[str] = (),
        subunits: Sequence[str] = (),
        seen: int | None = None,
    ) -> CommandResult:
        return unit_endings.dissolve_unit(
            self.tree, self, ctx, federation, code, cmd, members, subunits, seen
        )

    def transfer_member(
        self, ctx: Context, federation: str, code: str, cmd: c.TransferMember
    ) -> CommandResult:
        return organisation.transfer_member(self.tree, self, ctx, federation, code, cmd)

    def member_leaves(self, ctx: Context, federation: str, code: str, cmd: c.MemberLeaves) -> CommandResult:
        return organisation.member_leaves(self.tree, self, ctx, federation, code, cmd)

    def merge_federation(
        self, ctx: Context, federation: str, cmd: c.MergeFederation, top_units: list[str]
    ) -> CommandResult:
        return organisation.merge_federation(self.tree, self, ctx, federation, cmd, top_units)

    def correct_member(self, ctx: Context, federation: str, code: str, cmd: c.CorrectMember) -> CommandResult:
        return organisation.correct_member(self.tree, self, ctx, federation, code, cmd)

    def correct_unit(self, ctx: Context, federation: str, code: str, cmd: c.CorrectName) -> CommandResult:
        return organisation.correct_unit(self.tree, self, ctx, federation, code, cmd)

    def correct_federation(self, ctx: Context, federation: str, cmd: c.CorrectName) -> CommandResult:
        return organisation.correct_federation(self.tree, self, ctx, federation, cmd)

    # -- application.movements, pledge_rules, pledging ------------------------------------
    def launch_movement(self, ctx: Context, federation: str, cmd: c.LaunchMovement) -> CommandResult:
        return movements.launch_movement(self.tree, self, ctx, federation, cmd)

    def amend_movement(self, ctx: Context, federation: str, code: str, cmd: c.AmendMovement) -> CommandResult:
        return movements.amend_movement(self.tree, self, ctx, federation, code, cmd)

    def close_movement(self, ctx: Context, federation: str, code: str) -> CommandResult:
        return movements.close_movement(self.tree, self, ctx, federation, code)

    def register_pledge(self, ctx: Context, federation: str, cmd: c.RegisterPledge) -> CommandResult:
        return pledging.register_pledge(self.tree, self, ctx, federation, cmd)

    def register_pledge_group(
        self, group: Sequence[tuple[Context, str, c.RegisterPledge]]
    ) -> list[CommandResult | Exception]:
        return pledging.register_pledge_group(self.tree, self, group)

    def prepare_pledge(self, ctx: Context, federation: str, cmd: c.RegisterPledge) -> Pledge:
        return pledge_rules.prepare_pledge(self.tree, ctx, federation, cmd)

    def pledge(self, federation: str, pledge_id: str) -> Pledge:
        return pledging.pledge_of(self.tree, federation, pledge_id)

    def transition_pledge(
        self, ctx: Context, federation: str, pledge_id: str, action: str, cmd: c.PledgeDecision
    ) -> CommandResult:
        return pledging.transition_pledge(self.tree, self, ctx, federation, pledge_id, action, cmd)

    def resubmit_pledge(
        self, ctx: Context, federation: str, pledge_id: str, cmd: c.ResubmitPledge
    ) -> CommandResult:
        return pledge_corrections.resubmit_pledge(self.tree, self, ctx, federation, pledge_id, cmd)

    # -- application.bulk ------------------------------------------------------------------
    def register_pledges(
        self,
        ctx: Context,
        federation: str,
        rows: list[tuple[int, dict[str, Any]]],
        mode: Mode,
        new_members: bool = False,
    ) -> CommandResult:
        return bulk.register_pledges(self.tree, self, ctx, federation, rows, mode, new_members)

    def register_list(
        self, ctx: Context, federation: str, kind: str, rows: list[tuple[int, dict[str, Any]]], mode: Mode
    ) -> CommandResult:
        return lists.register_list(self.tree, self, ctx, federation, kind, rows, mode)

    # -- application.activities ------------------------------------------------------------
    def covenant(self, federation: str, block: str, year: int) -> Covenant:
        return activities.covenant_of(self.tree, federation, block, year)

    def sign_covenant(self, ctx: Context, federation: str, cmd: ac.SignCovenant) -> CommandResult:
        return activities.sign_covenant(self.tree, self, ctx, federation, cmd)

    def score_block(
        self, ctx: Context, federation: str, block: str, year: int, cmd: ac.ScoreBlock
    ) -> CommandResult:
        return activities.score_block(self.tree, self, ctx, federation, block, year, cmd)

    def acclaim_leader(
        self, ctx: Context, federation: str, block: str, year: int, cmd: ac.AcclaimLeader
    ) -> CommandResult:
        return activities.acclaim_leader(self.tree, self, ctx, federation, block, year, cmd)

    def assign_target(self, ctx: Context, federation: str, cmd: ac.AssignTarget) -> CommandResult:
        return activities.assign_target(self.tree, self, ctx, federation, cmd)

    def target(self, federation: str, unit: str, programme: str, year: int) -> Target:
        return activities.target_of(self.tree, federation, unit, programme, year)

    def register_initiative(self, ctx: Context, federation: str, cmd: ac.RegisterInitiative) -> CommandResult:
        return activities.register_initiative(self.tree, self, ctx, federation, cmd)

    def initiative(self, federation: str, code: str) -> Initiative:
        return activities.initiative_of(self.tree, federation, code)

    def decide_initiative(
        self, ctx: Context, federation: str, code: str, action: str, cmd: ac.DecideInitiative
    ) -> CommandResult:
        return activities.decide_initiative(self.tree, self, ctx, federation, code, action, cmd)

    def register_work(self, ctx: Context, federation: str, cmd: ac.RegisterWork) -> CommandResult:
        return activities.register_work(self.tree, self, ctx, federation, cmd)

    def work(self, federation: str, code: str) -> Work:
        return activities.work_of(self.tree, federation, code)

    def advance_work(
        self, ctx: Context, federation: str, code: str, action: str, cmd: ac.WorkStep
    ) -> CommandResult:
        return activities.advance_work(self.tree, self, ctx, federation, code, action, cmd)

    def correct_initiative(
        self, ctx: Context, federation: str, code: str, cmd: ac.CorrectInitiative, decides: bool = False
    ) -> CommandResult:
        return activity_corrections.correct_initiative(self.tree, self, ctx, federation, code, cmd, decides)

    def correct_work(self, ctx: Context, federation: str, code: str, cmd: ac.CorrectWork) -> CommandResult:
        return activity_corrections.correct_work(self.tree, self, ctx, federation, code, cmd)
