"""Councils: convened with members, quorum and an agenda of nominations; votes; resolution.

A secret-ballot council's private key is stored with it wrapped under the services' key-encryption
key (`Kek`, domain.ballot_keys; the README's "Councils and secret ballots"), handed to the use cases
that need it, so any replica with the KEK resolves after any restart."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

from services.awards.application import commands as c
from services.awards.application import lookups, national
from services.awards.application.store import Store
from services.awards.domain import ballot_keys, ballots
from services.awards.domain.authorities import NATIONAL_KEY, NationalCouncil
from services.awards.domain.ballot_keys import Kek
from services.awards.domain.councils import BallotBox, Council, recused
from services.awards.domain.nominations import Nomination
from services.awards.domain.vote_sheets import VoteSheet
from shared.auth.permissions import scope_covers
from shared.kernel.errors import Conflict, DomainError, FieldError, Forbidden, Invalid, NotFound
from shared.store.eventstore import CommandResult, Context


def convene_council(
    store: Store, kek: Kek, ctx: Context, federation: str, cmd: c.ConveneCouncil
) -> CommandResult:
    _require_manager(ctx, federation, [m.model_dump() for m in cmd.members])
    if store.find(Council, Council.id_for(federation, cmd.code)):
        raise Conflict(f"council '{cmd.code}' already exists", [FieldError("code", "already exists")])
    users = [m.user for m in cmd.members]
    if len(set(users)) != len(users):
        raise Invalid.on("members", "a member is listed twice")
    if cmd.quorum > len(users):
        raise Invalid.on("quorum", "the quorum cannot exceed the number of members")
    agenda, secret = _agenda(store, federation, cmd, ctx.scope)
    members = [m.model_dump() for m in cmd.members]
    recusals = [
        {"user": m["user"], "nomination": a["nomination"]} for m in members for a in agenda if recused(m, a)
    ]
    if cmd.secret_ballot is False and secret:
        raise Invalid.on("secret_ballot", "an award on the agenda must be voted by secret ballot")
    sealed = bool(cmd.secret_ballot) or secret
    public, private = ballots.new_key() if sealed else (None, None)
    cid = Council.id_for(federation, cmd.code)
    council = (NationalCouncil if federation == NATIONAL_KEY else Council)(
        federation=federation,
        code=cmd.code,
        name=cmd.name,
        year=cmd.year,
        meets_on=cmd.meets_on,
        quorum=cmd.quorum,
        secret_ballot=sealed,
        members=members,
        agenda=agenda,
        recusals=recusals,
        meta=ctx.meta,
        ballot_key=public,
        ballot_key_wrapped=ballot_keys.wrap(kek, cid, private) if private else None,
    )
    result = store.commit(ctx, [council], council.as_dict(), version=council.version)
    if private is None or result.replayed:
        return result
    # Handed out once and never stored in clear (not even as the idempotent answer): the teller's
    # copy, for a service that lost its KEK.
    return dataclasses.replace(result, body={**result.body, "ballot_secret": private})


def _agenda(
    store: Store, federation: str, cmd: c.ConveneCouncil, scope: str
) -> tuple[list[dict[str, Any]], bool]:
    """The agenda's items, and whether an award on it must be voted by secret ballot. A unit's
    council (`scope` a unit's) takes only its subtree's nominations."""
    agenda, secret = [], False
    for i, nid in enumerate(dict.fromkeys(cmd.nominations)):
        if federation == NATIONAL_KEY:
            # the national union's: nominations forwarded by any federations, each item naming it
            nomination = national.on_agenda(store, nid, cmd.year, f"nominations.{i}")
        else:
            nomination = _on_agenda(store, federation, nid, cmd.year, f"nominations.{i}")
            if not scope_covers(scope, federation, tuple(nomination.unit_path)):
                # I5: answered as one that does not exist (lookups.nomination)
                raise NotFound(
                    f"nomination '{nid}' does not exist",
                    [FieldError(f"nominations.{i}", "unknown nomination")],
                )
        award = lookups.award(store, nomination.federation, nomination.award)
        secret = secret or award.secret_ballot
        agenda.append(
            {
                **({"federation": nomination.federation} if federation == NATIONAL_KEY else {}),
                "nomination": nid,
                "subject_kind": nomination.subject_kind,
                "subject_code": nomination.subject_code,
                "subject_name": nomination.subject_name,
                "award": award.code,
                "eligible": nomination.eligible,
                "threshold": award.threshold,
                "strict": award.strict,
                # docs/domain.md section 7: disclosed for its working days before the council meets.
                "disclosed_before_meeting": (
                    None
                    if not award.disclosure
                    else nomination.disclosure is not None and nomination.disclosure["ends_on"] < cmd.meets_on
                ),
            }
        )
    return agenda, secret


def _require_manager(
    ctx: Context, federation: str, members: list[dict[str, Any]], missing: DomainError | None = None
) -> None:
    """Federation staff manage any council of the federation; a unit's manager only its unit's
    own: every member sits in its subtree (as a unit-scoped reader sees a council, shared.web.
    scope_guard). `missing`: the answer for an existing council outside the subtree (I5)."""
    if scope_covers(ctx.scope, federation, ()):
        return
    if federation == NATIONAL_KEY or any(
        not scope_covers(ctx.scope, federation, tuple(m.get("unit_path") or ())) for m in members
    ):
        if missing is not None:
            raise missing
        raise Forbidden(
            "a unit's council has members of its own subtree only (their unit_path)",
            [FieldError("members", "outside your unit")],
        )


def _on_agenda(store: Store, federation: str, nid: str, year: int, field_name: str) -> Nomination:
    nomination = lookups.nomination(store, federation, nid, field_name)
    nomination.require_live()
    if nomination.year != year:
        raise Invalid.on(field_name, f"a nomination for {nomination.year}, not {year}")
    if nomination.council is not None:
        raise Conflict(
            f"nomination {nid} was already resolved by council '{nomination.council['council']}'",
            [FieldError(field_name, "already resolved")],
        )
    return nomination


def resolve_council(
    store: Store,
    kek: Kek,
    ctx: Context,
    federation: str,
    code: str,
    cmd: c.ResolveCouncil | None = None,
) -> CommandResult:
    """A secret ballot is opened here, in memory: only the tallies are stored. Every item's vote
    sheet is closed in the same transaction, so a vote stored meanwhile makes one of the two
    retry (the vote then finds the council resolved)."""
    council = lookups.council(store, federation, code)
    _require_manager(ctx, federation, council.members, lookups.unknown_council(federation, code))
    ctx.check_version(council)
    council.require_unresolved()
    sheets = vote_sheets(store, federation, code, council)
    votes = council.sheets_read(sheets)
    boxes = _open_ballots(store, kek, federation, code, council, cmd) if council.secret_ballot else {}
    council.resolve(boxes, votes, ctx.meta)
    closed = []
    for item in council.agenda:
        sheet = sheets.get(item["nomination"]) or VoteSheet(federation, code, item["nomination"])
        sheet.close(meta=ctx.meta)
        closed.append(sheet)
    nominations = []
    for result in council.results or []:
        if federation == NATIONAL_KEY:
            nominations.append(national.with_result(store, code, result, ctx.meta))
            continue
        nomination = lookups.nomination(store, federation, result["nomination"])
        nomination.record_result(code, result, ctx.meta)
        nominations.append(nomination)
    answer = store.commit(
        ctx, [council, *closed, *nominations], council.as_dict(votes), status=200, version=council.version
    )
    return answer


def vote_sheets(store: Store, federation: str, code: str, council: Council) -> dict[str, VoteSheet]:
    """nomination -> its vote sheet, for the agenda's items that have one (one query)."""
    ids = {VoteSheet.id_for(federation, code, a["nomination"]): a["nomination"] for a in council.agenda}
    return {ids[i]: sheet for i, sheet in store.find_many(VoteSheet, ids).items()}


def council_read(store: Store, federation: str, code: str) -> tuple[Council, dict[str, Any]]:
    """The council and what it answers with: its own and its vote sheets' votes and recusals."""
    council = lookups.council(store, federation, code)
    return council, council.as_dict(council.sheets_read(vote_sheets(store, federation, code, council)))


def _open_ballots(
    store: Store, kek: Kek, federation: str, code: str, council: Council, cmd: c.ResolveCouncil | None
) -> dict[str, Counter[str]]:
    """Each agenda item's tally from its ballot box, sealed choices opened with the council's key:
    the teller's copy if sent, else the stored one unwrapped with the KEK."""
    private = None
    if council.ballot_key is not None:
        secret = cmd.ballot_secret if cmd else None
        if secret is None and council.ballot_key_wrapped is not None:
            secret = ballot_keys.unwrap(kek, council.id, code, council.ballot_key_wrapped)
        if secret is None:
            raise Conflict(
                f"the ballot key of council '{code}' is not stored (the council was convened "
                "before keys were kept wrapped); send the key handed out then as ballot_secret"
            )
        private = ballots.opener(council.ballot_key, secret)
    found = store.find_many(
        BallotBox, [BallotBox.id_for(federation, code, a["nomination"]) for a in council.agenda]
    )
    boxes: dict[str, Counter[str]] = {}
    for item in council.agenda:
        box = found.get(BallotBox.id_for(federation, code, item["nomination"]))
        tally = Counter(box.choices) if box else Counter()
        if box is not None and private is not None:
            tally.update(ballots.count(private, box.sealed))
        boxes[item["nomination"]] = tally
    return boxes
