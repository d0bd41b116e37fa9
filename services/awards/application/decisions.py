"""Decisions: a decision grants passed nominations (or direct awards) in one transaction, each
grant noted in its subject's history; a revocation undoes a grant in every later check. Also
how a decision and a grant are read (a unit-scoped reader sees only its subtree's lines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from uuid import UUID

from services.awards.application import commands as c
from services.awards.application import issuers, lookups, national, nomination_checks
from services.awards.application.lookups import PendingHistories
from services.awards.application.store import Store
from services.awards.application.subjects import Outside, Subjects, subject_of
from services.awards.domain.authorities import NATIONAL, NATIONAL_KEY, Issuer
from services.awards.domain.catalogue import Award
from services.awards.domain.grants import Decision, Grant
from services.awards.domain.nominations import Nomination
from shared.auth.permissions import scope_covers
from shared.kernel import periods
from shared.kernel.errors import Conflict, FieldError, Invalid, NotFound
from shared.kernel.periods import Period
from shared.store.eventstore import CommandResult, Context


@dataclass(frozen=True)
class _Issuing:
    """The decision being issued, as each of its grants carries it."""

    ctx: Context
    federation: str
    cmd: c.IssueDecision
    authority: str
    decision_id: UUID
    period: Period


class _Line(NamedTuple):
    """What a line of the decision grants: to whom, which award, on which nomination if any."""

    nomination: Nomination | None
    kind: str
    code: str
    award: Award


def issue_decision(
    store: Store, today: date, ctx: Context, federation: str, cmd: c.IssueDecision, subjects: Subjects
) -> CommandResult:
    """`subjects` holds what registration published about each line's subject and, for a unit's
    decision, the issuing unit."""
    issuing = issuers.issuer(ctx, federation, cmd.authority, subjects)
    return _issue(store, today, ctx, federation, cmd, issuing, {federation: subjects})


def issue_national_decision(
    store: Store, today: date, ctx: Context, cmd: c.IssueDecision, subjects: dict[str, Subjects]
) -> CommandResult:
    """The national union's decision over nominations forwarded by any federations, stored under
    the national key; each grant in its nomination's federation. `subjects`: by federation."""
    if cmd.authority not in (None, NATIONAL):
        raise Invalid.on("authority", "a national decision's authority is 'tld'")
    issuing = issuers.issuer(ctx, NATIONAL_KEY, NATIONAL, {})
    for i, line in enumerate(cmd.grants):
        if line.nomination is None:
            raise Invalid.on(f"grants.{i}.nomination", "a national decision grants forwarded nominations")
    return _issue(store, today, ctx, NATIONAL_KEY, cmd, issuing, subjects)


def _issue(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    cmd: c.IssueDecision,
    issuing: tuple[Issuer, Outside | None],
    subjects: dict[str, Subjects],
) -> CommandResult:
    authority = issuing[0].authority
    decision_id = issuing[0].decision_id(federation, cmd.year, cmd.number)
    if store.find(Decision, decision_id):
        raise Conflict(
            f"decision '{cmd.number}' of {authority} for {cmd.year} already exists",
            [FieldError("number", "already used")],
        )
    if cmd.signed_on > today:
        raise Invalid.on("signed_on", "a decision cannot be signed in the future")
    period = periods.stated(cmd.period, cmd.year)
    histories: PendingHistories = {}
    grants, lines = grant_lines(store, ctx, federation, cmd, issuing, subjects, decision_id, histories)
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
        period=period.as_dict(),
        signer_title=cmd.signer_title,
        signing_for=cmd.signing_for,
    )
    return store.commit(
        ctx, [decision, *grants, *histories.values()], decision.as_dict(), version=decision.version
    )


def grant_lines(
    store: Store,
    ctx: Context,
    federation: str,
    cmd: c.IssueDecision,
    issuing: tuple[Issuer, Outside | None],
    subjects: dict[str, Subjects],
    decision_id: UUID,
    histories: PendingHistories,
    field: str = "grants",
) -> tuple[list[Grant], list[dict]]:
    """long because each line is checked (award, issuer, subject, nomination) and granted in turn.
    `cmd.grants` as issued, or added by an amendment (`field` names them)."""
    authority = issuing[0].authority
    period = periods.stated(cmd.period, cmd.year)
    grants: list[Grant] = []
    lines: list[dict] = []
    catalogues: dict[str, dict[str, Award]] = {}
    for i, line in enumerate(cmd.grants):
        at = f"{field}.{i}"
        what = _line(store, federation, catalogues, line, at)
        issuers.require_seen(ctx, what.nomination, f"{at}.nomination")
        if not what.award.in_force(cmd.signed_on):  # a retired award is never granted again
            raise Invalid.on(f"{at}.award", lookups.not_in_force(what.award, cmd.signed_on))
        fed = what.nomination.federation if what.nomination is not None else federation
        subject = subject_of(subjects.get(fed, {}), what.kind, what.code, fed, f"{at}.subject_code")
        issuers.check_line(ctx, fed, issuing, what.award, (what.kind, what.code, subject), at)
        if what.nomination is None and not what.award.direct:
            raise Invalid.on(
                f"{at}.nomination", f"'{what.award.code}' is granted only on a nomination its council passed"
            )
        if what.nomination is not None:
            # Grants earlier in the same decision count: `ldtt` listed before `cstd-co-so`.
            nomination_checks.check(store, what.nomination, cmd, authority, subject, at, histories)
        taken = {g.id for g in grants}
        attempt = lookups.grant_attempt(store, fed, what.kind, what.code, what.award.code, period, at, taken)
        issued = _Issuing(ctx, fed, cmd, authority, decision_id, period)
        grant = _granted(issued, line, what, subject, attempt)
        grants.append(grant)
        history = lookups.history_for_write(store, fed, what.kind, what.code, ctx.meta, histories)
        history.note_grant(
            str(grant.id), what.award.code, cmd.year, what.award.level, line.occasion, ctx.meta
        )
        national_line = {"federation": fed} if federation == NATIONAL_KEY else {}
        lines.append(_decision_line(line, what, grant) | national_line)
    return grants, lines


def _line(
    store: Store, federation: str, catalogues: dict[str, dict[str, Award]], line: c.GrantLine, at: str
) -> _Line:
    """A line's nomination (if it grants one), subject and award (of the subject's federation's
    catalogue, kept in `catalogues`); a national decision's nominations come from any federation."""
    nomination = None
    if line.nomination is not None:
        nomination = (
            national.forwarded_nomination(store, line.nomination, f"{at}.nomination")
            if federation == NATIONAL_KEY
            else lookups.nomination(store, federation, line.nomination, f"{at}.nomination")
        )
        kind, code, award_code = nomination.subject_kind, nomination.subject_code, nomination.award
    else:
        assert line.subject_kind and line.subject_code and line.award
        kind, code, award_code = line.subject_kind, line.subject_code, line.award
    fed = nomination.federation if nomination is not None else federation
    if fed not in catalogues:
        catalogues[fed] = lookups.catalogue(store, fed)
    award = catalogues[fed].get(award_code)
    if award is None:
        raise Invalid.on(f"{at}.award", f"unknown award '{award_code}'")
    if not award.admits(kind):
        raise Invalid.on(f"{at}.subject_kind", f"'{award.code}' is for a {award.subjects}")
    return _Line(nomination, kind, code, award)


def _granted(issuing: _Issuing, line: c.GrantLine, what: _Line, subject: Outside, attempt: int) -> Grant:
    cmd, award = issuing.cmd, what.award
    return Grant(
        federation=issuing.federation,
        subject_kind=what.kind,
        subject_code=what.code,
        subject_name=subject.name,
        unit=subject.unit,
        unit_path=subject.unit_path,
        award=award.code,
        award_name=award.name,
        level=award.level,
        year=cmd.year,
        decision_id=str(issuing.decision_id),
        decision_number=cmd.number,
        decision_date=cmd.signed_on,
        signer=cmd.signer,
        authority=issuing.authority,
        source="decision",
        meta=issuing.ctx.meta,
        nomination=line.nomination,
        bonus_coefficient=award.bonus_coefficient,
        occasion=line.occasion,
        attempt=attempt,
        period=issuing.period.as_dict(),
    )


def _decision_line(line: c.GrantLine, what: _Line, grant: Grant) -> dict:
    """The line as the decision records it."""
    return {
        "subject_kind": what.kind,
        "subject_code": what.code,
        "award": what.award.code,
        "nomination": line.nomination,
        "occasion": line.occasion,
        "grant_id": str(grant.id),
    }


def decision(store: Store, federation: str, decision_id: str) -> Decision:
    found = store.load(Decision, lookups.uuid_of(decision_id, "decision"), f"decision '{decision_id}'")
    if found.federation != federation:
        raise NotFound(f"decision '{decision_id}' does not exist")
    return found


def decision_seen_by(store: Store, federation: str, decision_id: str, scope: str) -> tuple[dict, int]:
    """The decision as a user of `scope` may see it: a unit-scoped user sees only the lines
    of its own subtree, and no decision without one."""
    found = decision(store, federation, decision_id)
    body = found.as_dict()
    if not scope_covers(scope, federation, ()):
        body["grants"], body["removed"] = _seen(store, found.grants, federation, scope), []
        if found.removed:  # lines an amendment removed: as placed as the standing ones
            body["removed"] = _seen(store, found.removed, federation, scope)
        if not body["grants"] and not body["removed"]:
            raise NotFound(f"decision '{decision_id}' does not exist")
    return body, found.version


def _seen(store: Store, lines: list[dict], federation: str, scope: str) -> list[dict]:
    out = []
    for line in lines:
        g = store.find(Grant, UUID(line["grant_id"]))
        if g is not None and scope_covers(scope, federation, tuple(g.unit_path)):
            # placed, so the gate's last line checks each line too (shared.web.scope_guard)
            out.append({**line, "unit": g.unit, "unit_path": list(g.unit_path)})
    return out


def grant(store: Store, federation: str, grant_id: str) -> Grant:
    found = store.load(Grant, lookups.uuid_of(grant_id, "grant"), f"grant '{grant_id}'")
    if found.federation != federation:
        raise NotFound(f"grant '{grant_id}' does not exist")
    return found


def revoke_grant(
    store: Store, today: date, ctx: Context, federation: str, grant_id: str, cmd: c.RevokeGrant
) -> CommandResult:
    found = grant(store, federation, grant_id)
    ctx.check_version(found)
    revoked_on = cmd.revoked_on or today
    if revoked_on > today:
        raise Invalid.on("revoked_on", "a revocation cannot be dated in the future")
    found.revoke(cmd.reason, cmd.reference, revoked_on, ctx.meta)
    history = lookups.history_for_write(
        store, federation, found.subject_kind, found.subject_code, ctx.meta, {}
    )
    history.note_revocation(str(found.id), ctx.meta)
    return store.commit(ctx, [found, history], found.as_dict(), status=200, version=found.version)
