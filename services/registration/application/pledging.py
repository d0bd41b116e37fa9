"""Movements and pledges: the rules a pledge is checked against, one at a time or in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from services.registration.application import commands as c
from services.registration.application.organisation import OrganisationApplication
from services.registration.application.tree import Reads, unknown_member
from services.registration.domain.members import Member
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import Federation, Unit
from services.registration.domain.pledges import LIVE, Pledge
from shared.auth import scope_covers
from shared.catalogue import BY_CODE
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import CommandResult, Context, IdempotencyRecord, ServiceApplication


class PledgeApplication(OrganisationApplication):
    def movement(self, federation: str, code: str, field: str = "movement") -> Movement:
        movement = self._resolve(Movement, federation, code)
        if movement is None:
            raise NotFound(
                f"movement '{code}' does not exist in federation '{federation}'",
                [FieldError(field, f"unknown movement '{code}'")],
            )
        return movement

    def launch_movement(self, ctx: Context, federation: str, cmd: c.LaunchMovement) -> CommandResult:
        self.open_federation(federation)
        self.code_is_free(Movement, federation, cmd.code, "movement")
        for i, award in enumerate(cmd.awards):
            if award not in BY_CODE:
                raise Invalid.on(f"awards.{i}", f"unknown award '{award}'")
        for i, phase in enumerate(cmd.phases):
            if phase.starts.year != cmd.year or phase.ends.year != cmd.year:
                raise Invalid.on(f"phases.{i}", f"a phase must lie inside the year {cmd.year}")
        if cmd.kind == "phase" and not cmd.phases:
            raise Invalid.on("phases", "a movement of kind 'phase' needs its phases")
        if cmd.launched_by:
            self.live_unit(federation, cmd.launched_by, "launched_by", None, ctx)
        elif not scope_covers(ctx.scope, federation, ()):
            raise Forbidden("only federation staff launch a federation-wide movement")
        movement = Movement(
            federation=federation,
            code=cmd.code,
            name=cmd.name,
            theme=cmd.theme,
            year=cmd.year,
            kind=cmd.kind,
            phases=[p.model_dump(mode="json") for p in cmd.phases],
            awards=list(dict.fromkeys(cmd.awards)),
            registration_deadline=cmd.registration_deadline,
            launched_by=cmd.launched_by,
            meta=ctx.meta,
        )
        return self.commit(ctx, [movement], movement.as_dict(), version=movement.version)

    def close_movement(self, ctx: Context, federation: str, code: str) -> CommandResult:
        movement = self.movement(federation, code, "code")
        ctx.check_version(movement)
        if not scope_covers(ctx.scope, movement.federation, ()):
            raise Forbidden("only federation staff close a movement")
        movement.close(self.today(), ctx.meta)
        return self.commit(ctx, [movement], movement.as_dict(), status=200, version=movement.version)

    def register_pledge(self, ctx: Context, federation: str, cmd: c.RegisterPledge) -> CommandResult:
        pledge = self.prepare_pledge(ctx, federation, cmd)
        return self.commit(ctx, [pledge], pledge.as_dict(), version=pledge.version)

    def register_pledge_group(
        self, group: Sequence[tuple[Context, str, c.RegisterPledge]]
    ) -> list[CommandResult | Exception]:
        """Pledges of concurrent requests: read together, checked one by one exactly as
        `register_pledge` checks one, and stored in one transaction. Each request still gets
        its own answer: a refused pledge is refused alone; if the transaction clashes with
        another writer (or two pledges of the group clash with each other), nothing of it was
        stored and each pledge is handled again alone, as if it had come by itself."""
        # A pledge only looks at its federation, movement and units: they are rebuilt once and
        # shared by the group's commands (and the next groups while their versions hold).
        shared = Reads(read_only_kept=True)
        with self.memoised(shared):
            self._read_for_pledges(group)
        results: list[CommandResult | Exception] = []
        pending: list[Aggregate] = []
        stored_with_group: list[int] = []
        for i, (ctx, federation, cmd) in enumerate(group):
            with self.memoised(shared.for_next_command()):
                try:
                    prior = ServiceApplication.replay(self, ctx)  # from the group's reads
                    if prior is not None:
                        results.append(prior)
                        continue
                    pledge = self.prepare_pledge(ctx, federation, cmd)
                    aggregates, result = self.to_commit(
                        ctx, [pledge], pledge.as_dict(), version=pledge.version
                    )
                except Exception as exc:
                    results.append(exc)
                    continue
            results.append(result)
            pending.extend(aggregates)
            stored_with_group.append(i)
        if not pending:
            return results
        try:
            self.save(*pending)
        except IntegrityError:
            for i in stored_with_group:
                ctx, federation, cmd = group[i]
                try:
                    with self.memoised():
                        results[i] = self.replay(ctx) or self.register_pledge(ctx, federation, cmd)
                except Exception as exc:
                    results[i] = exc
        except Exception as exc:
            for i in stored_with_group:
                results[i] = exc
        return results

    def _read_for_pledges(self, group: Sequence[tuple[Context, str, c.RegisterPledge]]) -> None:
        """Read what the group's pledges will look at: their subjects and existing pledges, and
        the federation, movement and units (kept between groups once checked against the log),
        mostly in one query. A guess: whatever the checks look at beyond it is read when they do."""
        first: list[UUID] = []
        for ctx, federation, cmd in group:
            kind: type[Member] | type[Unit] = Member if cmd.subject_kind == "member" else Unit
            first += [
                Federation.id_for(federation),
                Movement.id_for(federation, cmd.movement),
                kind.id_for(federation, cmd.subject_code),
                Pledge.id_for(federation, cmd.movement, cmd.subject_kind, cmd.subject_code, cmd.award),
            ]
            if ctx.idempotency_key:
                first.append(IdempotencyRecord.id_for(ctx.actor, ctx.idempotency_key))
        self.read_current(first)
        then: list[UUID] = []
        for _, federation, cmd in group:
            subject_id = (Member if cmd.subject_kind == "member" else Unit).id_for(
                federation, cmd.subject_code
            )
            subject = self.find(Aggregate, subject_id)
            if isinstance(subject, Member):
                codes = [*subject.unit_path, *(p["unit"] for p in subject.placements)]
            elif isinstance(subject, Unit):
                codes = list(subject.ancestry)
            else:
                continue
            then += [Unit.id_for(subject.federation, code) for code in codes]
        self.read_current(then, checked=True)

    def prepare_pledge(self, ctx: Context, federation: str, cmd: c.RegisterPledge) -> Pledge:
        """Check every pledge rule and build the pledge, unsaved (bulk lists save many at once)."""
        movement = self.movement(federation, cmd.movement)
        if not movement.is_open:
            raise Invalid.on("movement", f"movement '{movement.code}' is closed")
        award = BY_CODE.get(cmd.award)
        if award is None or cmd.award not in movement.awards:
            raise Invalid.on(
                "award", f"award '{cmd.award}' is not open for pledges in movement '{movement.code}'"
            )
        if not award.admits(cmd.subject_kind):
            raise Invalid.on(
                "subject_kind", f"award '{award.code}' is for a {award.subjects}, not a {cmd.subject_kind}"
            )
        pledged_on = cmd.pledged_on or self.today()
        if pledged_on > self.today():
            raise Invalid.on("pledged_on", "a pledge cannot be dated in the future")
        if pledged_on > movement.registration_deadline:
            raise Invalid.on(
                "pledged_on", f"registration for '{movement.code}' closed on {movement.registration_deadline}"
            )
        if cmd.phase is not None and movement.phase_named(cmd.phase) is None:
            raise Invalid.on("phase", f"movement '{movement.code}' has no phase '{cmd.phase}'")
        if cmd.subject_kind == "member":
            member = self.member_facts(federation, cmd.subject_code, "subject_code")
            placed = self.member_placement(member, pledged_on)
            known = placed[1:] if placed is not None else self.known_placement(member, pledged_on)
            missing = unknown_member(federation, cmd.subject_code, "subject_code")
            self.require_subtree(ctx, *known, "subject_code", missing)  # I5: as if it did not exist
            if placed is None:
                raise Invalid.on("subject_code", f"member '{member.code}' was in no unit on {pledged_on}")
            name, unit_code, (home, path) = member.full_name, placed[0].code, placed[1:]
        else:
            subject_unit = self.unit(federation, cmd.subject_code, "subject_code")
            unit_placed = self.placement(subject_unit, pledged_on)
            home, path = unit_placed or (federation, list(subject_unit.ancestry))
            self.require_subtree(ctx, home, path, "subject_code")  # I5: as if it did not exist
            if subject_unit.kind == "block":
                raise Invalid.on("subject_code", "an emulation block does not pledge; its units do")
            if unit_placed is None:
                raise Invalid.on(
                    "subject_code", f"unit '{subject_unit.code}' was not in the tree on {pledged_on}"
                )
            name, unit_code, (home, path) = subject_unit.name, subject_unit.code, unit_placed
        if home != movement.federation:
            raise Invalid.on("subject_code", f"'{cmd.subject_code}' belonged to '{home}' on {pledged_on}")
        if movement.launched_by and movement.launched_by not in path:
            raise Invalid.on(
                "subject_code",
                f"'{cmd.subject_code}' is outside the subtree of '{movement.launched_by}' "
                "that launched the movement",
            )
        submitter = cmd.submitted_by or unit_code
        if submitter not in path:
            self.unit(federation, submitter, "submitted_by")
            raise Invalid.on(
                "submitted_by", f"unit '{submitter}' may only submit pledges for its own subtree"
            )
        self.require_subtree(ctx, home, path[: path.index(submitter) + 1], "submitted_by")
        existing = self.find(
            Pledge,
            Pledge.id_for(movement.federation, movement.code, cmd.subject_kind, cmd.subject_code, award.code),
        )
        if existing is not None:
            if existing.state in LIVE:
                raise Conflict(
                    f"'{cmd.subject_code}' already pledged for '{award.code}' in "
                    f"'{movement.code}' (pledge {existing.id}, {existing.state})",
                    [FieldError("award", "duplicate pledge")],
                )
            existing.resubmit(pledged_on, ctx.meta)
            return existing
        return Pledge.register(
            federation=movement.federation,
            movement=movement.code,
            movement_name=movement.name,
            year=movement.year,
            phase=cmd.phase,
            award=award.code,
            award_name=award.name,
            subject_kind=cmd.subject_kind,
            subject_code=cmd.subject_code,
            subject_name=name,
            unit=unit_code,
            unit_path=list(path),
            submitted_by=submitter,
            pledged_on=pledged_on,
            meta=ctx.meta,
        )

    def pledge(self, federation: str, pledge_id: str) -> Pledge:
        try:
            ident = UUID(pledge_id)
        except ValueError:
            raise NotFound(f"pledge '{pledge_id}' does not exist") from None
        pledge = self.find(Pledge, ident)
        if pledge is None or pledge.federation not in self.reachable(federation):
            raise NotFound(f"pledge '{pledge_id}' does not exist")
        return pledge

    def transition_pledge(
        self, ctx: Context, federation: str, pledge_id: str, action: str, cmd: c.PledgeDecision
    ) -> CommandResult:
        pledge = self.pledge(federation, pledge_id)
        missing = NotFound(f"pledge '{pledge_id}' does not exist")
        self.require_subtree(ctx, federation, tuple(pledge.unit_path), "pledge", missing)
        ctx.check_version(pledge)
        pledge.belong_to(federation)
        on = self.today()
        if action == "accept":
            pledge.accept(on, ctx.meta)
        elif action == "return":
            pledge.return_for_correction(cmd.reason or "", on, ctx.meta)
        elif action == "resubmit":
            pledge.resubmit(on, ctx.meta)
        elif action == "withdraw":
            pledge.withdraw(on, ctx.meta)
        else:  # pragma: no cover - the router offers only the four
            raise NotFound(f"no action '{action}'")
        return self.commit(ctx, [pledge], pledge.as_dict(), status=200, version=pledge.version)
