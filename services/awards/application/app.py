"""Awards' application: the event store on PostgreSQL (shared/store/eventstore.py) with the parts
every use case may need — the clock and the key-encryption key of secret ballots — and one
delegating method per use case. The rules live in the use-case modules (`decisions`,
`nominations`, `councils`, `records`, `terms`, `eligibility`, `lookups`), plain functions that
receive the store, the date and the keys explicitly; this class only hands them over."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from services.awards.application import commands as c
from services.awards.application import (
    councils,
    decisions,
    disclosures,
    eligibility,
    history_facts,
    lookups,
    national,
    nomination_lists,
    nominations,
    records,
    subject_records,
    terms,
    voting,
)
from services.awards.application.lookups import PendingHistories
from services.awards.application.nomination_lists import Mode
from services.awards.application.subjects import Outside, Subjects
from services.awards.domain import ballot_keys
from services.awards.domain.ballot_keys import Kek
from services.awards.domain.catalogue import Award
from services.awards.domain.councils import Council
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.history import History, HistoryFacts
from services.awards.domain.nominations import Nomination
from services.awards.domain.rules import Verdict
from shared.kernel import clock
from shared.kernel.errors import NotFound
from shared.kernel.settings import AwardsSettings
from shared.store.eventstore import CommandResult, Context, ServiceApplication


class AwardsApplication(ServiceApplication):
    name = "Awards"

    def __init__(self, settings: AwardsSettings, today: Callable[[], date] = clock.today):
        super().__init__(settings)
        self.today = today
        # Wraps secret-ballot councils' private keys (domain.ballot_keys); never logged.
        self.kek = Kek.from_setting(settings.ballot_kek.get_secret_value())
        self.kept_facts = history_facts.KeptFacts()

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        recordings = super().save(*objs, **kwargs)
        self.kept_facts.saved(o for o in objs if isinstance(o, History))  # committed: now stored
        return recordings

    # -- reads -------------------------------------------------------------------------------

    def catalogue(self, federation: str, on: date | None = None) -> dict[str, Award]:
        return lookups.catalogue(self, federation, on)

    def award(self, federation: str, code: str, field_name: str = "award") -> Award:
        return lookups.award(self, federation, code, field_name)

    def rule_sets(self, federation: str) -> list[dict[str, Any]]:
        return lookups.rule_sets(self, federation)

    def policy(self, federation: str) -> dict[str, Any]:
        return lookups.policy(self, federation)

    def history(self, federation: str, kind: str, code: str) -> History | None:
        return lookups.history(self, federation, kind, code)

    def history_facts(self, ids: Iterable[UUID]) -> dict[UUID, HistoryFacts]:
        return history_facts.read_facts(self, ids, self.kept_facts)

    def record(self, federation: str, kind: str, code: str, outside: Outside) -> dict[str, Any]:
        return subject_records.record(self, federation, kind, code, outside)

    def nomination(self, federation: str, nomination_id: str) -> Nomination:
        return lookups.nomination(self, federation, nomination_id)

    def find_nomination_key(self, federation: str, nomination_id: str) -> tuple[str, str] | None:
        return nominations.nomination_key(self, federation, nomination_id)

    def council(self, federation: str, code: str) -> Council:
        return lookups.council(self, federation, code)

    def council_read(self, federation: str, code: str) -> tuple[Council, dict[str, Any]]:
        return councils.council_read(self, federation, code)

    def decision(self, federation: str, decision_id: str) -> Decision:
        return decisions.decision(self, federation, decision_id)

    def decision_seen_by(self, federation: str, decision_id: str, scope: str) -> tuple[dict, int]:
        return decisions.decision_seen_by(self, federation, decision_id, scope)

    def grant(self, federation: str, grant_id: str) -> Grant:
        return decisions.grant(self, federation, grant_id)

    def verdict(
        self,
        federation: str,
        kind: str,
        code: str,
        award: str,
        year: int,
        on: date,
        outside: Outside,
        pending: PendingHistories | None = None,
    ) -> Verdict:
        return eligibility.verdict(self, federation, kind, code, award, year, on, outside, pending)

    # -- commands (each `(ctx, ...)`, as shared.web.app.execute calls them) ------------------------

    def define_award(self, ctx: Context, federation: str, cmd: c.DefineAward) -> CommandResult:
        return terms.define_award(self, ctx, federation, cmd)

    def amend_award(self, ctx: Context, federation: str, code: str, cmd: c.AmendAward) -> CommandResult:
        return terms.amend_award(self, ctx, federation, code, cmd)

    def retire_award(self, ctx: Context, federation: str, code: str, cmd: c.RetireAward) -> CommandResult:
        return terms.retire_award(self, ctx, federation, code, cmd)

    def publish_rule_set(self, ctx: Context, federation: str, cmd: c.PublishRuleSet) -> CommandResult:
        return terms.publish_rule_set(self, ctx, federation, cmd)

    def set_policy(self, ctx: Context, federation: str, cmd: c.SetPolicy) -> CommandResult:
        return terms.set_policy(self, ctx, federation, cmd)

    def record_ratings(
        self, ctx: Context, federation: str, cmd: c.RecordRatings, subjects: Subjects, single: bool = False
    ) -> CommandResult:
        return records.record_ratings(self, self.today(), ctx, federation, cmd, subjects, single)

    def record_disciplines(
        self,
        ctx: Context,
        federation: str,
        cmd: c.RecordDisciplines,
        subjects: Subjects,
        single: bool = False,
    ) -> CommandResult:
        return records.record_disciplines(self, self.today(), ctx, federation, cmd, subjects, single)

    def import_grants(
        self, ctx: Context, federation: str, cmd: c.ImportGrants, subjects: Subjects
    ) -> CommandResult:
        return records.import_grants(self, self.today(), ctx, federation, cmd, subjects)

    def submit_nomination(
        self, ctx: Context, federation: str, cmd: c.SubmitNomination, subjects: Subjects
    ) -> CommandResult:
        return nominations.submit_nomination(self, self.today(), ctx, federation, cmd, subjects)

    def submit_nominations(
        self,
        ctx: Context,
        federation: str,
        cmd: c.SubmitNominations,
        by_year: dict[int, Subjects],
        mode: Mode,
        staged: nomination_lists.Staging | None = None,
        members_read: bool = True,
    ) -> CommandResult:
        return nomination_lists.submit_nominations(
            self, self.today(), ctx, federation, cmd, by_year, mode, staged, members_read
        )

    def stage_nominations(self, federation: str, cmd: c.SubmitNominations) -> nomination_lists.Staging:
        return nomination_lists.stage(self, federation, cmd)

    def nominations_read_members(self, federation: str, cmd: c.SubmitNominations) -> bool:
        return nomination_lists.reads_members(self, self.today(), federation, cmd)

    def withdraw_nomination(self, ctx: Context, federation: str, nomination_id: str) -> CommandResult:
        return nominations.withdraw_nomination(self, ctx, federation, nomination_id)

    def forward_nomination(
        self, ctx: Context, federation: str, nomination_id: str, cmd: c.ForwardNomination
    ) -> CommandResult:
        return disclosures.forward_nomination(self, self.today(), ctx, federation, nomination_id, cmd)

    def disclose_nomination(
        self, ctx: Context, federation: str, nomination_id: str, cmd: c.DiscloseNomination
    ) -> CommandResult:
        return disclosures.disclose_nomination(self, ctx, federation, nomination_id, cmd)

    def record_objection(
        self, ctx: Context, federation: str, nomination_id: str, cmd: disclosures.RecordObjection
    ) -> CommandResult:
        return disclosures.record_objection(self, self.today(), ctx, federation, nomination_id, cmd)

    def objections(self, federation: str, nomination_id: str) -> list[dict[str, Any]]:
        return disclosures.objections(self, federation, nomination_id)

    def disclosure_board(self, federation: str) -> list[dict[str, Any]]:
        return disclosures.board(self, self.today(), federation)

    def convene_council(self, ctx: Context, federation: str, cmd: c.ConveneCouncil) -> CommandResult:
        return councils.convene_council(self, self.kek, ctx, federation, cmd)

    def cast_vote(
        self, ctx: Context, federation: str, code: str, cmd: c.CastVote, written: bool = False
    ) -> CommandResult:
        return voting.cast_vote(self, self.today(), ctx, federation, code, cmd, written)

    def cast_agenda(
        self, ctx: Context, federation: str, code: str, cmd: c.CastAgenda, written: bool = False
    ) -> CommandResult:
        return voting.cast_agenda(self, self.today(), ctx, federation, code, cmd, written)

    def recuse(self, ctx: Context, federation: str, code: str, cmd: c.Recuse) -> CommandResult:
        return voting.recuse(self, ctx, federation, code, cmd)

    def ballot_key_held(self, council: Council) -> bool:
        """Whether this service opens the council's ballots without the teller's copy."""
        wrapped = council.ballot_key_wrapped
        return wrapped is not None and ballot_keys.wrapped_under(wrapped) == self.kek.id

    def resolve_council(
        self, ctx: Context, federation: str, code: str, cmd: c.ResolveCouncil | None = None
    ) -> CommandResult:
        return councils.resolve_council(self, self.kek, ctx, federation, code, cmd)

    def issue_decision(
        self, ctx: Context, federation: str, cmd: c.IssueDecision, subjects: Subjects
    ) -> CommandResult:
        return decisions.issue_decision(self, self.today(), ctx, federation, cmd, subjects)

    def issue_national_decision(
        self, ctx: Context, cmd: c.IssueDecision, subjects: dict[str, Subjects]
    ) -> CommandResult:
        return decisions.issue_national_decision(self, self.today(), ctx, cmd, subjects)

    def forwarded_nomination(self, nomination_id: str) -> Nomination | None:
        """A nomination forwarded to the national union, of any federation; None if there is none."""
        try:
            return national.forwarded_nomination(self, nomination_id, "nomination")
        except NotFound:
            return None

    def revoke_grant(self, ctx: Context, federation: str, grant_id: str, cmd: c.RevokeGrant) -> CommandResult:
        return decisions.revoke_grant(self, self.today(), ctx, federation, grant_id, cmd)
