"""A decision amended (lines added, removed, grantees' names corrected) or cancelled, with the
reason. Removed and cancelled grants count as never granted in every later check, like revoked
ones, but are reported as cancelled; an added line is checked as an issued decision's lines are.
Only who may issue the decision's authority amends or cancels it (application/issuers.py)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.awards.application import commands as c
from services.awards.application import decisions, issuers, lookups
from services.awards.application.amendment_commands import AmendDecision, CancelDecision
from services.awards.application.lookups import PendingHistories
from services.awards.application.store import Store
from services.awards.application.subjects import Subjects
from services.awards.domain.grants import Decision, Grant
from shared.auth.permissions import scope_covers
from shared.kernel.errors import Invalid
from shared.kernel.periods import PeriodBody
from shared.store.eventstore import CommandResult, Context


def reason_of(ctx: Context, given: str | None) -> str:
    """`reason` in the body or the `X-Reason` header (the same if both; the header is checked as
    it is read, shared.web.app)."""
    header = ctx.reason.strip() if ctx.reason else None
    if given and header and given.strip() != header:
        raise Invalid.on("reason", "the body's reason and X-Reason differ; give it once")
    reason = (given or "").strip() or header
    if not reason:
        raise Invalid.on("reason", "a reason is needed: `reason` in the body or the X-Reason header")
    return reason


def _standing(store: Store, ctx: Context, federation: str, decision_id: str, subjects: Subjects) -> Decision:
    """The decision, if the caller may issue its authority's decisions and it was not cancelled.
    I5: one the caller cannot see (no line in its subtree) is answered as one that does not exist."""
    decisions.decision_seen_by(store, federation, decision_id, ctx.scope)
    found = decisions.decision(store, federation, decision_id)
    issuers.issuer(ctx, federation, found.authority, subjects)
    ctx.check_version(found)
    found.require_standing()
    return found


def _line_grant(store: Store, ctx: Context, found: Decision, grant_id: str, at: str) -> Grant:
    """One of the decision's grants, placed where the caller sees it."""
    ids = {line["grant_id"] for line in found.grants}
    grant = store.find(Grant, UUID(grant_id)) if grant_id in ids else None
    if grant is None or not scope_covers(ctx.scope, grant.federation, tuple(grant.unit_path)):
        raise Invalid.on(at, f"'{grant_id}' is not a grant of decision '{found.number}'")
    return grant


def amend_decision(
    store: Store, today: date, ctx: Context, federation: str, decision_id: str, cmd: AmendDecision,
    subjects: Subjects,
) -> CommandResult:  # fmt: skip
    """`subjects`: what registration published about the added lines' subjects and the issuing unit."""
    found = _standing(store, ctx, federation, decision_id, subjects)
    reason = reason_of(ctx, cmd.reason)
    if not (cmd.add or cmd.remove or cmd.correct):
        raise Invalid.on("add", "an amendment adds, removes or corrects at least one line")
    histories: PendingHistories = {}
    changed: dict[str, Grant] = {}
    for i, grant_id in enumerate(cmd.remove):
        grant = changed.get(grant_id) or _line_grant(store, ctx, found, grant_id, f"remove.{i}")
        if not grant.standing:
            raise Invalid.on(f"remove.{i}", f"grant '{grant_id}' was already revoked or removed")
        grant.cancel(reason, today, "amendment", ctx.meta)
        _note(store, grant, ctx, histories)
        changed[grant_id] = grant
    for i, fix in enumerate(cmd.correct):
        at = f"correct.{i}.grant"
        grant = changed.get(fix.grant) or _line_grant(store, ctx, found, fix.grant, at)
        if grant.cancelled is not None:
            raise Invalid.on(at, f"grant '{fix.grant}' is removed from the decision")
        grant.correct_name(fix.subject_name, reason, ctx.meta)
        changed[fix.grant] = grant
    added, lines = _added(store, ctx, federation, found, cmd.add, subjects, histories)
    corrected = [{"grant_id": f.grant, "subject_name": f.subject_name} for f in cmd.correct]
    found.amend(lines, list(cmd.remove), corrected, reason, today, ctx.meta)
    aggregates = [found, *changed.values(), *added, *histories.values()]
    return store.commit(ctx, aggregates, found.as_dict(), status=200, version=found.version)


def _added(
    store: Store, ctx: Context, federation: str, found: Decision, add: list[c.GrantLine], subjects: Subjects,
    histories: PendingHistories,
) -> tuple[list[Grant], list[dict]]:  # fmt: skip
    """The added lines as the decision would have granted them the day it was signed."""
    if not add:
        return [], []
    as_issued = c.IssueDecision.model_construct(
        number=found.number, signed_on=found.signed_on, signer=found.signer, year=found.year,
        period=PeriodBody.model_validate(found.period), title=found.title, authority=found.authority,
        signer_title=found.signer_title, signing_for=found.signing_for, grants=add,
    )  # fmt: skip
    issuing = issuers.issuer(ctx, federation, found.authority, subjects)
    return decisions.grant_lines(
        store, ctx, federation, as_issued, issuing, {federation: subjects}, found.id, histories, "add"
    )


def _note(store: Store, grant: Grant, ctx: Context, histories: PendingHistories) -> None:
    history = lookups.history_for_write(
        store, grant.federation, grant.subject_kind, grant.subject_code, ctx.meta, histories
    )
    history.note_cancellation(str(grant.id), ctx.meta)


def cancel_decision(
    store: Store, today: date, ctx: Context, federation: str, decision_id: str, cmd: CancelDecision,
    subjects: Subjects,
) -> CommandResult:  # fmt: skip
    """Every standing grant of the decision cancelled (revoked ones stay revoked); its number
    stays taken. `subjects`: the issuing unit for a unit's decision."""
    found = _standing(store, ctx, federation, decision_id, subjects)
    reason = reason_of(ctx, cmd.reason)
    on = cmd.cancelled_on or today
    if on > today:
        raise Invalid.on("cancelled_on", "a cancellation cannot be dated in the future")
    if on < found.signed_on:
        raise Invalid.on("cancelled_on", f"the decision was signed on {found.signed_on}")
    histories: PendingHistories = {}
    cancelled = []
    for line in found.grants:
        grant = store.load(Grant, UUID(line["grant_id"]), f"grant '{line['grant_id']}'")
        if grant.standing:
            grant.cancel(reason, on, "cancellation", ctx.meta)
            _note(store, grant, ctx, histories)
            cancelled.append(grant)
    found.cancel(reason, on, [str(g.id) for g in cancelled], ctx.meta)
    aggregates = [found, *cancelled, *histories.values()]
    return store.commit(ctx, aggregates, found.as_dict(), status=200, version=found.version)
