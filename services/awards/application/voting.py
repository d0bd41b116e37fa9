"""Votes on a council's agenda: one vote, a member's whole agenda in one request, a member
stepping aside. Each nomination's votes are on its own vote sheet (domain.vote_sheets) and, under
a secret ballot, its sealed choices in its ballot box: a vote reads the council (cached, read
only: voting never changes it) and that nomination's sheet and box, whatever the agenda's size.

Members vote at the same moment; a vote that lost the race to another member's on the same
nomination is checked and stored again, so only a real second vote by the same member is refused."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from services.awards.application import commands as c
from services.awards.application.lookups import unknown_council
from services.awards.application.store import Store
from services.awards.application.subjects import require_staff
from services.awards.domain import ballots, disclosure
from services.awards.domain.councils import BallotBox, Council
from services.awards.domain.nominations import Nomination
from services.awards.domain.vote_sheets import VoteSheet
from shared.auth.permissions import scope_covers
from shared.kernel.errors import Conflict, DomainError, FieldError, Invalid
from shared.store.eventstore import CommandResult, Context

VOTE_ATTEMPTS = 20


def cast_vote(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    code: str,
    cmd: c.CastVote,
    written: bool = False,
) -> CommandResult:
    """`written`: staff record an absent member's written vote for `cmd.member`."""
    if written:
        require_staff(ctx, federation)
    user = cmd.member if written and cmd.member else ctx.actor
    body = {"council": code, "nomination": cmd.nomination, "member": user, "recorded": True}
    return _retried(
        lambda: _cast(
            store, today, ctx, federation, code, user, [(cmd.nomination, cmd.choice)], written, body
        )
    )


def cast_agenda(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    code: str,
    cmd: c.CastAgenda,
    written: bool = False,
) -> CommandResult:
    """A member's votes on many nominations of the agenda, all stored or none: each row that
    cannot be (not on the agenda, recused, already voted, twice in the request) is named."""
    if written:
        require_staff(ctx, federation)
    user = cmd.member if written and cmd.member else ctx.actor
    seen: dict[str, int] = {}
    for i, row in enumerate(cmd.votes):
        if row.nomination in seen:
            raise Invalid.on(f"votes.{i}.nomination", f"also in votes.{seen[row.nomination]}")
        seen[row.nomination] = i
    votes = [(row.nomination, row.choice) for row in cmd.votes]
    body = {"council": code, "member": user, "recorded": len(votes), "nominations": list(seen)}
    return _retried(lambda: _cast(store, today, ctx, federation, code, user, votes, written, body, "votes"))


class _LostRace(Exception):
    """Another vote on the same nomination was stored first: check and store this one again."""

    def __init__(self, conflict: Conflict) -> None:
        self.conflict = conflict


def _retried(attempt: Callable[[], CommandResult]) -> CommandResult:
    for n in range(VOTE_ATTEMPTS):
        try:
            return attempt()
        except _LostRace as lost:
            if n == VOTE_ATTEMPTS - 1:
                raise lost.conflict from None
            time.sleep(random.uniform(0, 0.01 * (n + 1)))
    raise AssertionError("unreachable")


def _commit(store: Store, ctx: Context, pending: list, body: dict, version: int) -> CommandResult:
    try:
        return store.commit(ctx, pending, body, version=version)
    except Conflict as conflict:
        raise _LostRace(conflict) from None


def _cast(
    store: Store,
    today: date,
    ctx: Context,
    federation: str,
    code: str,
    user: str,
    votes: Sequence[tuple[str, str]],
    written: bool,
    body: dict,
    rows: str | None = None,
) -> CommandResult:
    """`rows`: the body's list the votes came from, to name each refused one; None for one vote,
    refused with its own problem."""
    council = _council(store, ctx, federation, code, user, written)
    sheets = store.find_many(VoteSheet, [VoteSheet.id_for(federation, code, n) for n, _ in votes])
    boxes = (
        store.find_many(BallotBox, [BallotBox.id_for(federation, code, n) for n, _ in votes])
        if council.secret_ballot
        else {}
    )
    council.require_voting(user)
    undisclosed = _undisclosed(store, council, [n for n, _ in votes], today)
    pending: list = []
    refused: list[FieldError] = []
    for i, (nomination, choice) in enumerate(votes):
        sheet = sheets.get(VoteSheet.id_for(federation, code, nomination))
        try:
            council.check_vote(user, nomination, sheet)
            if nomination in undisclosed:
                why = undisclosed[nomination]
                raise Conflict(
                    f"nomination {nomination} needs public disclosure first: {why}",
                    [FieldError("nomination", why)],
                )
        except DomainError as problem:
            if rows is None or (sheet is not None and sheet.closed):
                raise
            reason = problem.errors[0].message if problem.errors else problem.detail
            refused.append(FieldError(f"{rows}.{i}.nomination", reason))
            continue
        sheet = sheet or VoteSheet(federation, code, nomination)
        pending.append(sheet)
        if not council.secret_ballot:
            sheet.vote_openly(user=user, choice=choice, written=written, meta=ctx.meta)
            continue
        # Who voted, never what: the choice goes, sealed, to the nomination's BallotBox.
        sheet.vote(user=user, written=written, meta=ctx.meta)
        box = boxes.get(BallotBox.id_for(federation, code, nomination)) or BallotBox(
            federation, code, nomination
        )
        if council.ballot_key is None:
            box.deposit(choice)
        else:
            box.deposit_sealed(ballots.seal(council.ballot_key, choice))
        pending.append(box)
    if refused:
        raise Invalid(f"{len(refused)} of {len(votes)} votes cannot be recorded; none was", refused)
    return _commit(store, ctx, pending, body, council.version)


def _undisclosed(store: Store, council: Council, nominations: list[str], today: date) -> dict[str, str]:
    """The voted nominations whose award needs public disclosure and whose disclosure has not run
    its length today (docs/domain.md section 7: disclosed before the council votes), and why."""
    needs = council.needing_disclosure() & set(nominations)
    if not needs:
        return {}
    found = store.find_many(Nomination, [UUID(n) for n in needs])
    out = {}
    for n in needs:
        nomination = found.get(UUID(n))
        why = disclosure.missing(nomination.disclosure if nomination else None, today)
        if why is not None:
            out[n] = why
    return out


def _council(store: Store, ctx: Context, federation: str, code: str, user: str, written: bool) -> Council:
    council = store.find_unchanged(Council, Council.id_for(federation, code))
    if council is None:
        raise unknown_council(federation, code)
    member = any(m["user"] == user for m in council.members)
    if not written and not member and not scope_covers(ctx.scope, federation, ()):
        raise unknown_council(federation, code)  # I5: a unit's user sees only its councils
    return council


def recuse(store: Store, ctx: Context, federation: str, code: str, cmd: c.Recuse) -> CommandResult:
    """The caller steps aside from a nomination on the agenda before voting on it, on its sheet."""

    def attempt() -> CommandResult:
        council = _council(store, ctx, federation, code, ctx.actor, False)
        sheet = store.find(VoteSheet, VoteSheet.id_for(federation, code, cmd.nomination))
        council.check_vote(ctx.actor, cmd.nomination, sheet)
        sheet = sheet or VoteSheet(federation, code, cmd.nomination)
        sheet.recuse(user=ctx.actor, reason=cmd.reason, meta=ctx.meta)
        body = {"council": code, "nomination": cmd.nomination, "member": ctx.actor, "recused": True}
        return _commit(store, ctx, [sheet], body, council.version)

    return _retried(attempt)
