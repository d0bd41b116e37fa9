"""Awards' application: decisions grant awards; revocations undo them in later checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from services.awards.application import commands as c
from services.awards.domain.grants import Decision, Grant
from shared import clock
from shared.catalogue import BY_CODE
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import CommandResult, Context, ServiceApplication
from shared.settings import AwardsSettings

# Levels a federation decides itself; higher levels are granted by the national union
# or the state and reach a federation's history through grants:import.
FEDERATION_LEVELS = ("grassroots", "federation", "issuing-unit")
NATIONAL_LEVELS = (*FEDERATION_LEVELS, "national")

Subjects = dict[tuple[str, str], dict]


class AwardsApplication(ServiceApplication):
    name = "Awards"

    def __init__(self, settings: AwardsSettings, today: Callable[[], date] = clock.today):
        super().__init__(settings)
        self.today = today

    def issue_decision(
        self, ctx: Context, federation: str, cmd: c.IssueDecision, subjects: Subjects
    ) -> CommandResult:
        """`subjects` maps (kind, code) to what registration published about each subject."""
        authority = cmd.authority or f"ldld:{federation}"
        if authority not in (f"ldld:{federation}", "tld"):
            raise Invalid.on(
                "authority", f"the authority is 'ldld:{federation}' or, for the national union, 'tld'"
            )
        if authority == "tld" and ctx.scope != "*":
            raise Forbidden(
                "only national staff issue decisions of the national union",
                [FieldError("authority", "not your authority")],
            )
        if self.find(Decision, Decision.id_for(authority, cmd.year, cmd.number)):
            raise Conflict(
                f"decision '{cmd.number}' of {authority} for {cmd.year} already exists",
                [FieldError("number", "already used")],
            )
        if cmd.signed_on > self.today():
            raise Invalid.on("signed_on", "a decision cannot be signed in the future")
        allowed = NATIONAL_LEVELS if authority == "tld" else FEDERATION_LEVELS
        decision_id = Decision.id_for(authority, cmd.year, cmd.number)
        grants: list[Grant] = []
        seen: set[UUID] = set()
        for i, line in enumerate(cmd.grants):
            award = BY_CODE.get(line.award)
            if award is None:
                raise Invalid.on(f"grants.{i}.award", f"unknown award '{line.award}'")
            if award.level not in allowed:
                raise Invalid.on(
                    f"grants.{i}.award",
                    f"'{award.code}' is a {award.level}-level award; {authority} "
                    "cannot grant it (record it with grants:import)",
                )
            if not award.admits(line.subject_kind):
                raise Invalid.on(f"grants.{i}.subject_kind", f"'{award.code}' is for a {award.subjects}")
            subject = subjects.get((line.subject_kind, line.subject_code))
            if subject is None:
                raise Invalid.on(
                    f"grants.{i}.subject_code",
                    f"unknown {line.subject_kind} '{line.subject_code}' in federation '{federation}'",
                )
            grant_id = Grant.id_for(federation, line.subject_kind, line.subject_code, award.code, cmd.year)
            if grant_id in seen or self.find(Grant, grant_id):
                raise Conflict(
                    f"{line.subject_kind} '{line.subject_code}' already holds '{award.code}' for {cmd.year}",
                    [FieldError(f"grants.{i}", "already granted")],
                )
            seen.add(grant_id)
            grants.append(
                Grant(
                    federation=federation,
                    subject_kind=line.subject_kind,
                    subject_code=line.subject_code,
                    subject_name=subject["name"],
                    unit=subject["unit"],
                    unit_path=subject["unit_path"],
                    award=award.code,
                    award_name=award.name,
                    level=award.level,
                    year=cmd.year,
                    decision_id=str(decision_id),
                    decision_number=cmd.number,
                    decision_date=cmd.signed_on,
                    signer=cmd.signer,
                    authority=authority,
                    source="decision",
                    meta=ctx.meta,
                )
            )
        decision = Decision(
            federation=federation,
            authority=authority,
            number=cmd.number,
            signed_on=cmd.signed_on,
            signer=cmd.signer,
            year=cmd.year,
            title=cmd.title,
            grants=[
                {**line.model_dump(), "grant_id": str(g.id)}
                for line, g in zip(cmd.grants, grants, strict=True)
            ],
            meta=ctx.meta,
        )
        return self.commit(ctx, [decision, *grants], decision.as_dict(), version=decision.version)

    def decision(self, federation: str, decision_id: str) -> Decision:
        decision = self.load(Decision, _uuid(decision_id, "decision"), f"decision '{decision_id}'")
        if decision.federation != federation:
            raise NotFound(f"decision '{decision_id}' does not exist")
        return decision

    def grant(self, federation: str, grant_id: str) -> Grant:
        grant = self.load(Grant, _uuid(grant_id, "grant"), f"grant '{grant_id}'")
        if grant.federation != federation:
            raise NotFound(f"grant '{grant_id}' does not exist")
        return grant

    def revoke_grant(self, ctx: Context, federation: str, grant_id: str, cmd: c.RevokeGrant) -> CommandResult:
        grant = self.grant(federation, grant_id)
        ctx.check_version(grant)
        revoked_on = cmd.revoked_on or self.today()
        if revoked_on > self.today():
            raise Invalid.on("revoked_on", "a revocation cannot be dated in the future")
        grant.revoke(cmd.reason, cmd.reference, revoked_on, ctx.meta)
        return self.commit(ctx, [grant], grant.as_dict(), status=200, version=grant.version)


def _uuid(value: str, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"{what} '{value}' does not exist") from None
