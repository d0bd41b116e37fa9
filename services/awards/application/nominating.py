"""Nominations: submitted with the verdict of the rules in force, withdrawn, disclosed to the
public where the award needs it, and forwarded upward once the federation's council passed them."""

from __future__ import annotations

from uuid import UUID

from services.awards.application import commands as c
from services.awards.application.base import Subjects, require_within, subject_of, uuid_of
from services.awards.application.eligibility import Eligibility
from services.awards.domain.calendar import disclosure_ends
from services.awards.domain.nominations import Nomination
from shared.auth import scope_covers
from shared.errors import Conflict, FieldError, Invalid, NotFound
from shared.eventstore import CommandResult, Context


class Nominating(Eligibility):
    def nomination(self, federation: str, nomination_id: str, field_name: str | None = None) -> Nomination:
        found = self.find(Nomination, uuid_of(nomination_id, "nomination"))
        if found is None or found.federation != federation:
            errors = [FieldError(field_name, "unknown nomination")] if field_name else []
            raise NotFound(f"nomination '{nomination_id}' does not exist", errors)
        return found

    def find_nomination_key(self, federation: str, nomination_id: str) -> tuple[str, str] | None:
        """The subject of a nomination, for the caller to look it up in the directory."""
        try:
            found = self.nomination(federation, nomination_id)
        except NotFound:
            return None
        return found.subject_kind, found.subject_code

    def submit_nomination(
        self, ctx: Context, federation: str, cmd: c.SubmitNomination, subjects: Subjects
    ) -> CommandResult:
        award = self.award(federation, cmd.award)
        if not award.admits(cmd.subject_kind):
            raise Invalid.on("subject_kind", f"'{award.code}' is for a {award.subjects}")
        subject = subject_of(subjects, cmd.subject_kind, cmd.subject_code, federation, "subject_code")
        require_within(ctx, federation, subject, cmd.subject_kind, cmd.subject_code)
        nominated_by = cmd.nominated_by or subject.unit
        if nominated_by not in subject.unit_path:
            raise Invalid.on("nominated_by", f"unit '{nominated_by}' is not above '{cmd.subject_code}'")
        attempt = 0
        while (found := self.find(Nomination, self._nid(federation, cmd, award.code, attempt))) is not None:
            if found.state != "withdrawn":
                raise Conflict(
                    f"{cmd.subject_kind} '{cmd.subject_code}' is already nominated for "
                    f"'{award.code}' in {cmd.year}",
                    [FieldError("award", "already nominated")],
                )
            attempt += 1
        nid = self._nid(federation, cmd, award.code, attempt)
        verdict = self.verdict(
            federation, cmd.subject_kind, cmd.subject_code, award.code, cmd.year, self.today(), subject
        )
        nomination = Nomination(
            federation=federation,
            nomination=str(nid),
            subject_kind=cmd.subject_kind,
            subject_code=cmd.subject_code,
            subject_name=subject.name,
            unit=subject.unit,
            unit_path=subject.unit_path,
            award=award.code,
            award_name=award.name,
            level=award.level,
            year=cmd.year,
            nominated_by=nominated_by,
            grounds=cmd.grounds,
            eligible=verdict.eligible,
            verdict=verdict.as_dict(),
            upward=award.upward,
            meta=ctx.meta,
            attempt=attempt,
        )
        return self.commit(ctx, [nomination], nomination.as_dict(), version=nomination.version)

    @staticmethod
    def _nid(federation: str, cmd: c.SubmitNomination, award: str, attempt: int) -> UUID:
        return Nomination.id_for(federation, cmd.subject_kind, cmd.subject_code, award, cmd.year, attempt)

    def withdraw_nomination(self, ctx: Context, federation: str, nomination_id: str) -> CommandResult:
        nomination = self.nomination(federation, nomination_id)
        if not scope_covers(ctx.scope, federation, tuple(nomination.unit_path)):  # I5: as if it did not exist
            raise NotFound(f"nomination '{nomination_id}' does not exist")
        ctx.check_version(nomination)
        nomination.withdraw(ctx.meta)
        return self.commit(ctx, [nomination], nomination.as_dict(), status=200, version=nomination.version)

    def forward_nomination(
        self, ctx: Context, federation: str, nomination_id: str, cmd: c.ForwardNomination
    ) -> CommandResult:
        nomination = self.nomination(federation, nomination_id)
        ctx.check_version(nomination)
        expected = "national" if nomination.level == "national" else "state"
        if cmd.to != expected:
            raise Invalid.on("to", f"'{nomination.award}' is granted at the {expected} level")
        nomination.forward(cmd.to, ctx.meta)
        return self.commit(ctx, [nomination], nomination.as_dict(), status=200, version=nomination.version)

    def disclose_nomination(
        self, ctx: Context, federation: str, nomination_id: str, cmd: c.DiscloseNomination
    ) -> CommandResult:
        nomination = self.nomination(federation, nomination_id)
        ctx.check_version(nomination)
        if not self.award(federation, nomination.award).disclosure:
            raise Invalid.on("nomination", f"'{nomination.award}' needs no public disclosure")
        days = int(self.policy(federation).get("disclosure_days", 10))
        ends_on = disclosure_ends(cmd.starts_on, days, self.holidays(federation))
        nomination.disclose(cmd.starts_on, ends_on, ctx.meta)
        return self.commit(ctx, [nomination], nomination.as_dict(), status=200, version=nomination.version)
