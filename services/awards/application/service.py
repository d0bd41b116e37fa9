"""Awards' application: decisions grant passed nominations (or direct awards); revocations undo
them in every later check; a federation's own awards, rule sets and policy."""

from __future__ import annotations

from uuid import UUID

from services.awards.application import commands as c
from services.awards.application.base import Outside, Subjects, require_staff, subject_of, uuid_of
from services.awards.application.councils import Councils
from services.awards.application.records import Records
from services.awards.domain.catalogue import DEFAULTS, FEDERATION_LEVELS, NATIONAL_LEVELS, FederationCatalogue
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.history import History
from services.awards.domain.nominations import Nomination
from services.awards.domain.policy import Policy, RuleBook
from services.awards.domain.rulebook import validate
from shared.auth import scope_covers
from shared.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.eventstore import CommandResult, Context


class AwardsApplication(Councils, Records):
    def issue_decision(
        self, ctx: Context, federation: str, cmd: c.IssueDecision, subjects: Subjects
    ) -> CommandResult:
        """`subjects` holds what registration published about each line's subject."""
        require_staff(ctx, federation)
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
        decision_id = Decision.id_for(authority, cmd.year, cmd.number)
        if self.find(Decision, decision_id):
            raise Conflict(
                f"decision '{cmd.number}' of {authority} for {cmd.year} already exists",
                [FieldError("number", "already used")],
            )
        if cmd.signed_on > self.today():
            raise Invalid.on("signed_on", "a decision cannot be signed in the future")
        allowed = NATIONAL_LEVELS if authority == "tld" else FEDERATION_LEVELS
        catalogue = self.catalogue(federation)
        grants: list[Grant] = []
        lines: list[dict] = []
        histories: dict[UUID, History] = {}
        for i, line in enumerate(cmd.grants):
            at = f"grants.{i}"
            nomination = None
            if line.nomination is not None:
                nomination = self.nomination(federation, line.nomination, f"{at}.nomination")
                kind, code, award_code = nomination.subject_kind, nomination.subject_code, nomination.award
            else:
                assert line.subject_kind and line.subject_code and line.award
                kind, code, award_code = line.subject_kind, line.subject_code, line.award
            award = catalogue.get(award_code)
            if award is None:
                raise Invalid.on(f"{at}.award", f"unknown award '{award_code}'")
            if award.level not in allowed:
                raise Invalid.on(
                    f"{at}.award",
                    f"'{award.code}' is a {award.level}-level award; {authority} "
                    "cannot grant it (record it with grants:import)",
                )
            if not award.admits(kind):
                raise Invalid.on(f"{at}.subject_kind", f"'{award.code}' is for a {award.subjects}")
            subject = subject_of(subjects, kind, code, federation, f"{at}.subject_code")
            if nomination is None and not award.direct:
                raise Invalid.on(
                    f"{at}.nomination", f"'{award.code}' is granted only on a nomination its council passed"
                )
            if nomination is not None:
                # Grants earlier in the same decision count: `ldtt` listed before `cstd-co-so`.
                self._check_nomination(nomination, cmd, authority, subject, at, histories)
            taken = {g.id for g in grants}
            attempt = self.grant_attempt(federation, kind, code, award.code, cmd.year, at, taken)
            grant = Grant(
                federation=federation,
                subject_kind=kind,
                subject_code=code,
                subject_name=subject.name,
                unit=subject.unit,
                unit_path=subject.unit_path,
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
                nomination=line.nomination,
                bonus_coefficient=award.bonus_coefficient,
                occasion=line.occasion,
                attempt=attempt,
            )
            grants.append(grant)
            history = self.history_for_write(federation, kind, code, ctx.meta, histories)
            history.note_grant(str(grant.id), award.code, cmd.year, award.level, line.occasion, ctx.meta)
            lines.append(
                {
                    "subject_kind": kind,
                    "subject_code": code,
                    "award": award.code,
                    "nomination": line.nomination,
                    "occasion": line.occasion,
                    "grant_id": str(grant.id),
                }
            )
        decision = Decision(
            federation=federation,
            authority=authority,
            number=cmd.number,
            signed_on=cmd.signed_on,
            signer=cmd.signer,
            year=cmd.year,
            title=cmd.title,
            grants=lines,
            meta=ctx.meta,
        )
        return self.commit(
            ctx, [decision, *grants, *histories.values()], decision.as_dict(), version=decision.version
        )

    def _check_nomination(
        self,
        nomination: Nomination,
        cmd: c.IssueDecision,
        authority: str,
        subject: Outside,
        at: str,
        pending: dict[UUID, History],
    ) -> None:
        """Only a live nomination its council passed, disclosed where the award needs it, and
        still eligible on the day of the decision."""
        nomination.require_live()
        if nomination.year != cmd.year:
            raise Invalid.on(f"{at}.nomination", f"the nomination is for {nomination.year}, not {cmd.year}")
        if not nomination.passed:
            why = "has not been resolved by a council" if nomination.council is None else "did not pass"
            raise Invalid.on(f"{at}.nomination", f"nomination {nomination.id} {why}")
        if authority == "tld" and nomination.forwarded_to != "national":
            raise Invalid.on(f"{at}.nomination", "the nomination was not forwarded to the national union")
        if self.award(nomination.federation, nomination.award).disclosure:
            if nomination.disclosure is None:
                raise Invalid.on(f"{at}.nomination", "the nomination has not been publicly disclosed")
            if cmd.signed_on <= nomination.disclosure["ends_on"]:
                raise Invalid.on(
                    f"{at}.nomination",
                    f"public disclosure runs until {nomination.disclosure['ends_on']}; "
                    "the decision must be signed after it",
                )
        verdict = self.verdict(
            nomination.federation,
            nomination.subject_kind,
            nomination.subject_code,
            nomination.award,
            cmd.year,
            cmd.signed_on,
            subject,
            pending,
        )
        if not verdict.eligible:
            raise Invalid(
                f"nomination {nomination.id} is no longer eligible: {', '.join(verdict.failed)}",
                [FieldError(f"{at}.nomination", f"fails {clause}") for clause in verdict.failed],
            )

    def decision(self, federation: str, decision_id: str) -> Decision:
        decision = self.load(Decision, uuid_of(decision_id, "decision"), f"decision '{decision_id}'")
        if decision.federation != federation:
            raise NotFound(f"decision '{decision_id}' does not exist")
        return decision

    def decision_seen_by(self, federation: str, decision_id: str, scope: str) -> tuple[dict, int]:
        """The decision as a user of `scope` may see it: a unit-scoped user sees only the lines
        of its own subtree, and no decision without one."""
        decision = self.decision(federation, decision_id)
        body = decision.as_dict()
        if not scope_covers(scope, federation, ()):
            lines = []
            for line in decision.grants:
                grant = self.find(Grant, UUID(line["grant_id"]))
                if grant is not None and scope_covers(scope, federation, tuple(grant.unit_path)):
                    # placed, so the gate's last line checks each line too (shared.screen)
                    lines.append({**line, "unit": grant.unit, "unit_path": list(grant.unit_path)})
            if not lines:
                raise NotFound(f"decision '{decision_id}' does not exist")
            body["grants"] = lines
        return body, decision.version

    def grant(self, federation: str, grant_id: str) -> Grant:
        grant = self.load(Grant, uuid_of(grant_id, "grant"), f"grant '{grant_id}'")
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
        history = self.history_for_write(federation, grant.subject_kind, grant.subject_code, ctx.meta, {})
        history.note_revocation(str(grant.id), ctx.meta)
        return self.commit(ctx, [grant, history], grant.as_dict(), status=200, version=grant.version)

    # -- what a federation sets for itself --------------------------------------------------

    def define_award(self, ctx: Context, federation: str, cmd: c.DefineAward) -> CommandResult:
        require_staff(ctx, federation)
        if cmd.code in DEFAULTS:
            raise Conflict(f"'{cmd.code}' is a default award", [FieldError("code", "already exists")])
        own = self.find(FederationCatalogue, FederationCatalogue.id_for(federation))
        own = own or FederationCatalogue(federation, meta=ctx.meta)
        if cmd.code in own.awards:
            raise Conflict(f"award '{cmd.code}' already exists", [FieldError("code", "already exists")])
        own.define(
            federation=federation,
            authority=f"ldld:{federation}",
            meta=ctx.meta,
            **cmd.model_dump(),
        )
        return self.commit(ctx, [own], own.all()[cmd.code].as_dict(), version=own.version)

    def publish_rule_set(self, ctx: Context, federation: str, cmd: c.PublishRuleSet) -> CommandResult:
        require_staff(ctx, federation)
        self.award(federation, cmd.award)
        rule = {"award": cmd.award, "source": cmd.source, "clauses": cmd.clauses}
        validate({**rule, "effective_from": cmd.effective_from.isoformat()}, at="body")
        book = self.find(RuleBook, RuleBook.id_for(federation)) or RuleBook(federation, meta=ctx.meta)
        if book.has(cmd.award, cmd.rule_version):
            raise Conflict(
                f"rule set '{cmd.rule_version}' of '{cmd.award}' already exists",
                [FieldError("rule_version", "already exists")],
            )
        book.publish(federation, cmd.award, cmd.rule_version, cmd.effective_from, rule, ctx.meta)
        return self.commit(ctx, [book], book.rule_sets[-1], version=book.version)

    def set_policy(self, ctx: Context, federation: str, cmd: c.SetPolicy) -> CommandResult:
        require_staff(ctx, federation)
        changes = cmd.model_dump(mode="json", exclude_none=True)
        for award in changes.get("ratio_caps", {}):
            self.award(federation, award, f"ratio_caps.{award}")
        policy = self.find(Policy, Policy.id_for(federation)) or Policy(federation, meta=ctx.meta)
        policy.change(changes, ctx.meta)
        return self.commit(ctx, [policy], policy.settings, status=200, version=policy.version)
