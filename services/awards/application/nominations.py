"""Nominations: submitted with the verdict of the rules in force, withdrawn, disclosed to the
public where the award needs it, and forwarded upward once the federation's council passed them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.awards.application import commands as c
from services.awards.application import lookups
from services.awards.application.eligibility import Verdicts, verdict
from services.awards.application.store import Store
from services.awards.application.subjects import Subjects, require_within, subject_of
from services.awards.domain.nominations import Nomination, submitted
from services.awards.domain.rules import judged_on
from shared.auth.permissions import scope_covers
from shared.kernel import periods
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound
from shared.kernel.periods import Period
from shared.store.eventstore import CommandResult, Context


def nomination_key(store: Store, federation: str, nomination_id: str) -> tuple[str, str] | None:
    """The subject of a nomination, for the caller to look it up in registration's facts."""
    try:
        found = lookups.nomination(store, federation, nomination_id)
    except NotFound:
        return None
    return found.subject_kind, found.subject_code


def submit_nomination(
    store: Store, today: date, ctx: Context, federation: str, cmd: c.SubmitNomination, subjects: Subjects
) -> CommandResult:
    nomination = nominate(store, today, ctx, federation, cmd, subjects)
    return store.commit(ctx, [nomination], nomination.as_dict(), version=nomination.version)


def nominate(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    cmd: c.SubmitNomination,
    subjects: Subjects,
    verdicts: Verdicts | None = None,
) -> Nomination:
    """The new nomination, not yet stored. `today`: the proposal date; the nomination carries the
    verdict of the rules of its year (`judged_on`). `verdicts`: a list's, shared by its rows."""
    verdicts = Verdicts() if verdicts is None else verdicts  # a single nomination's: a list of one
    award = verdicts.award(store, federation, cmd.award, today)  # as it is the day proposed
    if not award.admits(cmd.subject_kind):
        raise Invalid.on("subject_kind", f"'{award.code}' is for a {award.subjects}")
    subject = subject_of(subjects, cmd.subject_kind, cmd.subject_code, federation, "subject_code")
    require_within(ctx, federation, subject, cmd.subject_kind, cmd.subject_code)
    nominated_by = cmd.nominated_by or subject.unit
    if nominated_by not in subject.unit_path:
        raise Invalid.on("nominated_by", f"unit '{nominated_by}' is not above '{cmd.subject_code}'")
    period = periods.stated(cmd.period, cmd.year)
    attempt = _free_attempt(store, federation, cmd, award.code, period)
    on = judged_on(cmd.year, today)
    kind, code = cmd.subject_kind, cmd.subject_code
    found = verdict(store, federation, kind, code, award.code, cmd.year, on, subject, verdicts=verdicts)
    written = found.as_dict()  # written once per verdict, its `eligible` with it
    return submitted(
        federation=federation,
        nomination=str(_nid(federation, cmd, award.code, period, attempt)),
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
        eligible=written["eligible"],
        verdict=written,
        upward=award.upward,
        meta=ctx.meta,
        attempt=attempt,
        period=period.as_dict(),
    )


def _free_attempt(store: Store, federation: str, cmd: c.SubmitNomination, award: str, period: Period) -> int:
    """The first attempt of this nomination's key (subject, award, period) not taken; only
    withdrawn ones may be retried."""
    attempt = 0
    while (found := store.find(Nomination, _nid(federation, cmd, award, period, attempt))) is not None:
        if found.state != "withdrawn":
            raise Conflict(
                f"{cmd.subject_kind} '{cmd.subject_code}' is already nominated for '{award}' "
                f"for {period.label}",
                [FieldError("award", "already nominated")],
            )
        attempt += 1
    return attempt


def _nid(federation: str, cmd: c.SubmitNomination, award: str, period: Period, attempt: int) -> UUID:
    return Nomination.id_for(federation, cmd.subject_kind, cmd.subject_code, award, period.key, attempt)


def withdraw_nomination(store: Store, ctx: Context, federation: str, nomination_id: str) -> CommandResult:
    nomination = lookups.nomination(store, federation, nomination_id)
    if not scope_covers(ctx.scope, federation, tuple(nomination.unit_path)):  # I5: as if it did not exist
        raise NotFound(f"nomination '{nomination_id}' does not exist")
    ctx.check_version(nomination)
    nomination.withdraw(ctx.meta)
    return store.commit(ctx, [nomination], nomination.as_dict(), status=200, version=nomination.version)


def forward_nomination(
    store: Store, ctx: Context, federation: str, nomination_id: str, cmd: c.ForwardNomination
) -> CommandResult:
    nomination = lookups.nomination(store, federation, nomination_id)
    ctx.check_version(nomination)
    expected = "national" if nomination.level == "national" else "state"
    if cmd.to != expected:
        raise Invalid.on("to", f"'{nomination.award}' is granted at the {expected} level")
    nomination.forward(cmd.to, ctx.meta)
    return store.commit(ctx, [nomination], nomination.as_dict(), status=200, version=nomination.version)
