"""Registration's application: each command checks its rules and stores its events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.registration.application import commands as c
from services.registration.domain.movements import Movement
from services.registration.domain.organisation import PARENT_KINDS, Federation, Member, Unit
from services.registration.domain.pledges import LIVE, Pledge
from shared import clock
from shared.auth import scope_covers
from shared.catalogue import BY_CODE
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import CommandResult, Context, ServiceApplication
from shared.settings import RegistrationSettings


class RegistrationApplication(ServiceApplication):
    name = "Registration"

    def __init__(self, settings: RegistrationSettings, today: Callable[[], date] = clock.today):
        super().__init__(settings)
        self.today = today

    # -- the organisation tree -------------------------------------------------------------

    def create_federation(self, ctx: Context, cmd: c.CreateFederation) -> CommandResult:
        if self.find(Federation, Federation.id_for(cmd.code)):
            raise Conflict(f"federation '{cmd.code}' already exists", [FieldError("code", "already exists")])
        federation = Federation(federation=cmd.code, name=cmd.name, meta=ctx.meta)
        return self.commit(ctx, [federation], federation.as_dict(), version=federation.version)

    def federation(self, code: str) -> Federation:
        return self.load(Federation, Federation.id_for(code), f"federation '{code}'")

    def unit(self, federation: str, code: str, field: str = "unit") -> Unit:
        unit = self.find(Unit, Unit.id_for(federation, code))
        if unit is None:
            raise NotFound(
                f"unit '{code}' does not exist in federation '{federation}'",
                [FieldError(field, f"unknown unit '{code}'")],
            )
        return unit

    def member(self, federation: str, code: str, field: str = "member") -> Member:
        member = self.find(Member, Member.id_for(federation, code))
        if member is None:
            raise NotFound(
                f"member '{code}' does not exist in federation '{federation}'",
                [FieldError(field, f"unknown member '{code}'")],
            )
        return member

    def register_unit(self, ctx: Context, federation: str, cmd: c.RegisterUnit) -> CommandResult:
        self.federation(federation)
        if self.find(Unit, Unit.id_for(federation, cmd.code)):
            raise Conflict(
                f"unit '{cmd.code}' already exists in '{federation}'", [FieldError("code", "already exists")]
            )
        ancestry: list[str] = []
        parent_kind = ""
        if cmd.parent:
            parent = self.unit(federation, cmd.parent, "parent")
            ancestry, parent_kind = list(parent.ancestry), parent.kind
        if parent_kind not in PARENT_KINDS[cmd.kind]:
            where = f"a unit of kind '{parent_kind}'" if parent_kind else "the federation"
            raise Invalid.on("parent", f"a unit of kind '{cmd.kind}' cannot sit under {where}")
        self._require_subtree(ctx, federation, ancestry, "parent")
        unit = Unit(
            federation=federation,
            code=cmd.code,
            name=cmd.name,
            kind=cmd.kind,
            parent=cmd.parent,
            ancestry=[*ancestry, cmd.code],
            meta=ctx.meta,
        )
        return self.commit(ctx, [unit], unit.as_dict(), version=unit.version)

    def register_member(self, ctx: Context, federation: str, cmd: c.RegisterMember) -> CommandResult:
        self.federation(federation)
        if self.find(Member, Member.id_for(federation, cmd.code)):
            raise Conflict(
                f"member '{cmd.code}' already exists in '{federation}'",
                [FieldError("code", "already exists")],
            )
        unit = self.unit(federation, cmd.unit)
        if unit.kind == "block":
            raise Invalid.on("unit", "members belong to a union unit, not to an emulation block")
        self._require_subtree(ctx, federation, unit.ancestry, "unit")
        member = Member(
            federation=federation,
            code=cmd.code,
            full_name=cmd.full_name,
            unit=unit.code,
            unit_name=unit.name,
            unit_path=list(unit.ancestry),
            birth_year=cmd.birth_year,
            gender=cmd.gender,
            position=cmd.position,
            meta=ctx.meta,
        )
        return self.commit(ctx, [member], member.as_dict(), version=member.version)

    # -- movements -------------------------------------------------------------------------

    def movement(self, federation: str, code: str, field: str = "movement") -> Movement:
        movement = self.find(Movement, Movement.id_for(federation, code))
        if movement is None:
            raise NotFound(
                f"movement '{code}' does not exist in federation '{federation}'",
                [FieldError(field, f"unknown movement '{code}'")],
            )
        return movement

    def launch_movement(self, ctx: Context, federation: str, cmd: c.LaunchMovement) -> CommandResult:
        self.federation(federation)
        if self.find(Movement, Movement.id_for(federation, cmd.code)):
            raise Conflict(
                f"movement '{cmd.code}' already exists in '{federation}'",
                [FieldError("code", "already exists")],
            )
        for i, award in enumerate(cmd.awards):
            if award not in BY_CODE:
                raise Invalid.on(f"awards.{i}", f"unknown award '{award}'")
        for i, phase in enumerate(cmd.phases):
            if phase.starts.year != cmd.year or phase.ends.year != cmd.year:
                raise Invalid.on(f"phases.{i}", f"a phase must lie inside the year {cmd.year}")
        if cmd.kind == "phase" and not cmd.phases:
            raise Invalid.on("phases", "a movement of kind 'phase' needs its phases")
        if cmd.launched_by:
            unit = self.unit(federation, cmd.launched_by, "launched_by")
            self._require_subtree(ctx, federation, unit.ancestry, "launched_by")
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

    # -- pledges ---------------------------------------------------------------------------

    def register_pledge(self, ctx: Context, federation: str, cmd: c.RegisterPledge) -> CommandResult:
        pledge = self.prepare_pledge(ctx, federation, cmd)
        return self.commit(ctx, [pledge], pledge.as_dict(), version=pledge.version)

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
            member = self.member(federation, cmd.subject_code, "subject_code")
            name, unit_code, path = member.full_name, member.unit, list(member.unit_path)
        else:
            subject_unit = self.unit(federation, cmd.subject_code, "subject_code")
            if subject_unit.kind == "block":
                raise Invalid.on("subject_code", "an emulation block does not pledge; its units do")
            name, unit_code, path = subject_unit.name, subject_unit.code, list(subject_unit.ancestry)
        if movement.launched_by and movement.launched_by not in path:
            raise Invalid.on(
                "subject_code",
                f"'{cmd.subject_code}' is outside the subtree of "
                f"'{movement.launched_by}' that launched the movement",
            )
        submitter = self.unit(federation, cmd.submitted_by or unit_code, "submitted_by")
        if submitter.code not in path:
            raise Invalid.on(
                "submitted_by", f"unit '{submitter.code}' may only submit pledges for its own subtree"
            )
        self._require_subtree(ctx, federation, submitter.ancestry, "submitted_by")
        existing = self.find(
            Pledge, Pledge.id_for(federation, movement.code, cmd.subject_kind, cmd.subject_code, award.code)
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
        return Pledge(
            federation=federation,
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
            unit_path=path,
            submitted_by=submitter.code,
            pledged_on=pledged_on,
            meta=ctx.meta,
        )

    def pledge(self, federation: str, pledge_id: str) -> Pledge:
        from uuid import UUID

        try:
            ident = UUID(pledge_id)
        except ValueError:
            raise NotFound(f"pledge '{pledge_id}' does not exist") from None
        pledge = self.load(Pledge, ident, f"pledge '{pledge_id}'")
        if pledge.federation != federation:
            raise NotFound(f"pledge '{pledge_id}' does not exist")
        return pledge

    def transition_pledge(
        self, ctx: Context, federation: str, pledge_id: str, action: str, cmd: c.PledgeDecision
    ) -> CommandResult:
        pledge = self.pledge(federation, pledge_id)
        ctx.check_version(pledge)
        self._require_subtree(ctx, federation, tuple(pledge.unit_path), "pledge")
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

    # -- scope -----------------------------------------------------------------------------

    @staticmethod
    def _require_subtree(
        ctx: Context, federation: str, ancestry: tuple[str, ...] | list[str], field: str
    ) -> None:
        if not scope_covers(ctx.scope, federation, tuple(ancestry)):
            raise Forbidden(
                f"'{field}' is outside the subtree your token may act in",
                [FieldError(field, "outside your scope")],
            )
