"""History inputs: yearly ratings and discipline (one or a list), and imported grants of
before the system or of other authorities (`grants:import`, source `import`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from services.awards.application import commands as c
from services.awards.application import lookups
from services.awards.application.lookups import PendingHistories
from services.awards.application.store import Store
from services.awards.application.subjects import Outside, Subjects, require_staff, require_within, subject_of
from services.awards.domain import disclosure
from services.awards.domain.catalogue import Award
from services.awards.domain.facts import CLEARED
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.history import History, opened
from shared.kernel import periods
from shared.kernel.errors import DomainError, FieldError, Invalid
from shared.ops.gc_pause import collector_paused
from shared.store.eventstore import CommandResult, Context


@collector_paused()  # a list allocates thousands of events; reference counting frees them
def record_ratings(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    cmd: c.RecordRatings,
    subjects: Subjects,
    single: bool = False,
) -> CommandResult:
    """`single`: one rating, whose refusal is answered as it is rather than by row."""
    pending = _histories(store, federation, [(r.subject_kind, r.subject_code) for r in cmd.ratings], ctx.meta)
    errors: list[FieldError] = []
    for i, line in enumerate(cmd.ratings):
        try:
            s = subject_of(subjects, line.subject_kind, line.subject_code, federation, "subject_code")
            require_within(ctx, federation, s, line.subject_kind, line.subject_code)
            if line.year > today.year:
                raise Invalid.on("year", "a year not yet begun cannot be rated")
        except DomainError as exc:
            if single:
                raise
            errors.extend(_at(exc, i))
            continue
        history = lookups.history_for_write(
            store, federation, line.subject_kind, line.subject_code, ctx.meta, pending
        )
        history.record_rating(s.name, s.unit, line.year, line.rating, ctx.meta)
    return _save(store, ctx, pending, errors, "ratings", len(cmd.ratings))


@collector_paused()
def record_disciplines(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    cmd: c.RecordDisciplines,
    subjects: Subjects,
    single: bool = False,
) -> CommandResult:
    """`single`: one discipline, whose refusal is answered as it is rather than by row."""
    pending = _histories(
        store, federation, [(d.subject_kind, d.subject_code) for d in cmd.disciplines], ctx.meta
    )
    errors: list[FieldError] = []
    for i, line in enumerate(cmd.disciplines):
        try:
            s = subject_of(subjects, line.subject_kind, line.subject_code, federation, "subject_code")
            require_within(ctx, federation, s, line.subject_kind, line.subject_code)
            if line.decided_on > today:
                raise Invalid.on("decided_on", "a discipline cannot be decided in the future")
            history = lookups.history_for_write(
                store, federation, line.subject_kind, line.subject_code, ctx.meta, pending
            )
            if line.level == CLEARED and not history.under_review:
                raise Invalid.on("level", f"'{line.subject_code}' has no open review to clear")
        except DomainError as exc:
            if single:
                raise
            errors.extend(_at(exc, i))
            continue
        history.record_discipline(s.name, s.unit, line.year, line.level, line.decided_on, ctx.meta)
    return _save(store, ctx, pending, errors, "disciplines", len(cmd.disciplines))


def _histories(
    store: Store, federation: str, subjects: list[tuple[str, str]], meta: dict
) -> PendingHistories:
    """The list's histories, the stored read in one query rather than one a row, the others opened
    (a list with a bad row stores none of them)."""
    ids = {History.id_for(federation, kind, code): (kind, code) for kind, code in subjects}
    found: PendingHistories = {}
    wanted = list(ids)
    for start in range(0, len(wanted), 5000):
        found.update(store.find_many(History, wanted[start : start + 5000]))
    for hid, (kind, code) in ids.items():
        if hid not in found:
            found[hid] = opened(federation=federation, subject_kind=kind, subject_code=code, meta=meta)
    return found


def _save(
    store: Store, ctx: Context, pending: PendingHistories, errors: list[FieldError], what: str, count: int
) -> CommandResult:
    if errors:
        raise Invalid(f"{len(errors)} of the {what} cannot be recorded; nothing was recorded", errors)
    histories = list(pending.values())
    body: dict = {"recorded": count}
    if len(histories) == 1:
        body["history"] = histories[0].as_dict()
    return store.commit(ctx, histories, body)


def import_grants(
    store: Store, today: date, ctx: Context, federation: str, cmd: c.ImportGrants, subjects: Subjects
) -> CommandResult:
    """Every line is checked first; one bad row refuses the whole list, row by row."""
    require_staff(ctx, federation)
    catalogue = lookups.catalogue_by_date(store, federation)
    pending: PendingHistories = {}
    grants: list[Grant] = []
    seen: set[UUID] = set()
    errors: list[FieldError] = []
    for i, line in enumerate(cmd.grants):
        try:
            award, s, attempt = _check_import(store, today, federation, catalogue, line, subjects, seen)
        except DomainError as exc:
            errors.extend(_at(exc, i))
            continue
        grant = _imported_grant(ctx, federation, line, award, s, attempt)
        seen.add(grant.id)
        grants.append(grant)
        history = lookups.history_for_write(
            store, federation, line.subject_kind, line.subject_code, ctx.meta, pending
        )
        history.note_grant(str(grant.id), award.code, line.year, award.level, line.occasion, ctx.meta)
    if errors:
        raise Invalid(f"{len(errors)} rows cannot be imported; nothing was imported", errors)
    body = {"imported": len(grants), "grants": [g.as_dict() for g in grants]}
    return store.commit(ctx, [*grants, *pending.values()], body)


def _check_import(
    store: Store,
    today: date,
    federation: str,
    catalogue: Callable[[date], dict[str, Award]],
    line: c.ImportedGrant,
    subjects: Subjects,
    seen: set[UUID],
) -> tuple[Award, Outside, int]:
    """One row's award, subject and free attempt of its grant's key, or the row's refusal."""
    award = catalogue(line.decision_date).get(line.award)  # as it was the day decided
    if award is None:
        known = lookups.catalogue(store, federation).get(line.award)
        reason = lookups.not_in_force(known, line.decision_date) if known else f"unknown award '{line.award}'"
        raise Invalid.on("award", reason)
    if not award.admits(line.subject_kind):
        raise Invalid.on("subject_kind", f"'{award.code}' is for a {award.subjects}")
    s = subject_of(subjects, line.subject_kind, line.subject_code, federation, "subject_code")
    if line.decision_date > today:
        raise Invalid.on("decision_date", "a decision cannot be dated in the future")
    if line.nomination is not None:
        _check_forwarded(store, federation, line)
    period = periods.stated(line.period, line.year)
    attempt = lookups.grant_attempt(
        store, federation, line.subject_kind, line.subject_code, award.code, period, "award", seen
    )
    return award, s, attempt


def _imported_grant(
    ctx: Context, federation: str, line: c.ImportedGrant, award: Award, s: Outside, attempt: int
) -> Grant:
    return Grant(
        federation=federation,
        subject_kind=line.subject_kind,
        subject_code=line.subject_code,
        subject_name=s.name,
        unit=s.unit,
        unit_path=s.unit_path,
        award=award.code,
        award_name=award.name,
        level=award.level,
        year=line.year,
        decision_id=str(Decision.id_for(line.authority, line.year, line.decision_number)),
        decision_number=line.decision_number,
        decision_date=line.decision_date,
        signer=line.signer,
        authority=line.authority,
        source="import",
        meta=ctx.meta,
        nomination=line.nomination,
        bonus_coefficient=award.bonus_coefficient,
        occasion=line.occasion,
        attempt=attempt,
        period=periods.stated(line.period, line.year).as_dict(),
    )


def _check_forwarded(store: Store, federation: str, line: c.ImportedGrant) -> None:
    """A higher level's grant links back to the nomination the federation forwarded."""
    assert line.nomination is not None
    nomination = lookups.nomination(store, federation, line.nomination, "nomination")
    same = (nomination.subject_kind, nomination.subject_code, nomination.award, nomination.year)
    if same != (line.subject_kind, line.subject_code, line.award, line.year):
        raise Invalid.on("nomination", "the nomination is for another subject, award or year")
    if nomination.forwarded_to is None:
        raise Invalid.on("nomination", "the nomination was not forwarded upward")
    if lookups.award(store, federation, nomination.award).disclosure:
        # forwarded before disclosure was enforced: the higher level decided on an undisclosed one
        why = disclosure.missing(nomination.disclosure, line.decision_date)
        if why is not None:
            raise Invalid.on("nomination", f"decided on {line.decision_date.isoformat()}: {why}")


def _at(exc: DomainError, row: int) -> list[FieldError]:
    """The error's fields, numbered by row (rows count from 1, as in a sheet)."""
    fields = exc.errors or [FieldError("row", exc.detail)]
    return [FieldError(f.field, f.message, row + 1) for f in fields]
