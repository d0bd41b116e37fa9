"""Councils (Hội đồng Thi đua – Khen thưởng): members, quorum, votes per nomination, recusal,
secret ballots, and the resolution with each nomination's tally (`council-resolved`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.awards.domain.vote_sheets import VoteSheet
from shared.kernel.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from shared.kernel.ids import stable_id

CHOICES = ("yes", "no", "abstain")


def recused(member: dict[str, Any], nomination: dict[str, Any]) -> bool:
    """A member does not vote on themselves nor on a unit they belong to."""
    if nomination["subject_kind"] == "member":
        return bool(member.get("member_code")) and member["member_code"] == nomination["subject_code"]
    return nomination["subject_code"] in (member.get("unit_path") or [])


def passes(yes: int, members: int, threshold: float, strict: bool) -> bool:
    share, bar = Fraction(yes, members or 1), Fraction(str(threshold))
    return members > 0 and (share > bar if strict else share >= bar)


@dataclass(frozen=True)
class Votes:
    voted: dict[str, list[str]]  # nomination -> users who voted
    choices: dict[str, dict[str, str]]  # open ballots: nomination -> user -> choice
    recusals: list[dict[str, str]]


class Council(Aggregate):
    @staticmethod
    def create_id(federation: str, code: str) -> UUID:
        return Council.id_for(federation, code)

    @staticmethod
    def id_for(federation: str, code: str) -> UUID:
        return stable_id("council", federation, code)

    @event("Convened")
    def __init__(
        self,
        federation: str,
        code: str,
        name: str,
        year: int,
        meets_on: date,
        quorum: int,
        secret_ballot: bool,
        members: list[dict[str, Any]],
        agenda: list[dict[str, Any]],
        recusals: list[dict[str, str]],
        meta: dict,
        ballot_key: str | None = None,
        ballot_key_wrapped: str | None = None,
    ) -> None:
        # Secret ballots are sealed to this public key (domain.ballots); None before sealing existed.
        self.ballot_key = ballot_key
        # Its private key wrapped under the services' KEK (domain.ballot_keys), never in clear;
        # None for councils convened before, which resolve with the teller's copy only.
        self.ballot_key_wrapped = ballot_key_wrapped
        self.federation = federation
        self.code = code
        self.name = name
        self.year = year
        self.meets_on = meets_on
        self.quorum = quorum
        self.secret_ballot = secret_ballot
        self.members = members
        self.agenda = agenda
        self.recusals = recusals
        # Votes of councils convened before vote sheets (domain.vote_sheets); new votes go there.
        # nomination -> users who voted; open ballots also keep nomination -> user -> choice
        self.voted: dict[str, list[str]] = {a["nomination"]: [] for a in agenda}
        self.choices: dict[str, dict[str, str]] = {a["nomination"]: {} for a in agenda}
        self.results: list[dict[str, Any]] | None = None

    def require_voting(self, user: str) -> None:
        """The council still votes and `user` sits on it."""
        if self.results is not None:
            raise Conflict("the council has resolved; voting is closed")
        if not any(m["user"] == user for m in self.members):
            raise Forbidden(f"'{user}' is not a member of council '{self.code}'")

    def needing_disclosure(self) -> set[str]:
        """The agenda's nominations for awards that must be disclosed before the vote."""
        return {a["nomination"] for a in self.agenda if a.get("disclosed_before_meeting") is not None}

    def check_vote(self, user: str, nomination: str, sheet: VoteSheet | None) -> None:
        """Whether `user` may vote on `nomination` now, by the council and the item's sheet."""
        self.require_voting(user)
        if nomination not in self.voted:
            raise NotFound(
                f"nomination {nomination} is not on council '{self.code}''s agenda",
                [FieldError("nomination", "not on the agenda")],
            )
        if {"user": user, "nomination": nomination} in self.recusals or (sheet and user in sheet.recused):
            raise Forbidden(
                f"'{user}' is recused from nomination {nomination} (their own or their unit's)",
                [FieldError("nomination", "recused")],
            )
        if user in self.voted[nomination]:
            raise Conflict(f"'{user}' has already voted on nomination {nomination}")
        if sheet is not None:
            sheet.require_open(user)

    @event("BallotKeyRewrapped")
    def rewrap_ballot_key(self, ballot_key_wrapped: str, meta: dict) -> None:
        """The same private key wrapped under a new KEK (key rotation)."""
        self.ballot_key_wrapped = ballot_key_wrapped

    @event("Recused")
    def _recused(self, user: str, nomination: str, reason: str, meta: dict) -> None:
        # Councils' own recusals before vote sheets. A new list, never the Convened event's own.
        self.recusals = [*self.recusals, {"user": user, "nomination": nomination}]

    @event("VoteCast")
    def _vote_cast(self, user: str, nomination: str, choice: str, written: bool, meta: dict) -> None:
        self.voted[nomination] = [*self.voted[nomination], user]
        self.choices[nomination] = {**self.choices[nomination], user: choice}

    @event("BallotCast")
    def _ballot_cast(self, user: str, nomination: str, written: bool, meta: dict) -> None:
        self.voted[nomination] = [*self.voted[nomination], user]

    def sheets_read(self, sheets: dict[str, VoteSheet]) -> Votes:
        """Who voted on each item, how (open ballots), who stepped aside: the council's own
        events and the vote sheets (`sheets`: nomination -> its sheet, where it has one)."""
        voted = {n: list(users) for n, users in self.voted.items()}
        choices = {n: dict(c) for n, c in self.choices.items()}
        recusals = list(self.recusals)
        for n, sheet in sheets.items():
            voted[n] += sheet.voters
            choices[n].update(sheet.choices)
            recusals += [{"user": u, "nomination": n} for u in sheet.recused]
        return Votes(voted, choices, recusals)

    def require_unresolved(self) -> None:
        if self.results is not None:
            raise Conflict("the council has already resolved")

    def resolve(self, boxes: dict[str, Counter[str]], votes: Votes, meta: dict) -> None:
        self.require_unresolved()
        present = {u for users in votes.voted.values() for u in users}
        if len(present) < self.quorum:
            raise Invalid.on("quorum", f"{len(present)} members voted; the quorum is {self.quorum}")
        if self.secret_ballot:
            tallies = {n: boxes.get(n, Counter()) for n in votes.voted}
        else:
            tallies = {n: Counter(c.values()) for n, c in votes.choices.items()}
        stepped_aside = Counter(r["nomination"] for r in votes.recusals)
        results = []
        for item in self.agenda:
            n = item["nomination"]
            voters = len(self.members) - stepped_aside[n]
            tally = tallies[n]
            results.append(
                {
                    "nomination": n,
                    "subject_kind": item["subject_kind"],
                    "subject_code": item["subject_code"],
                    "award": item["award"],
                    "yes": tally["yes"],
                    "no": tally["no"],
                    "abstain": tally["abstain"],
                    "members": voters,
                    "threshold": item["threshold"],
                    "passed": passes(tally["yes"], voters, item["threshold"], item["strict"]),
                }
            )
        self._resolved(
            federation=self.federation, council=self.code, year=self.year, results=results, meta=meta
        )

    @event("Resolved")
    def _resolved(
        self, federation: str, council: str, year: int, results: list[dict[str, Any]], meta: dict
    ) -> None:
        self.results = results

    def as_dict(self, votes: Votes | None = None) -> dict[str, Any]:
        votes = votes or Votes(self.voted, self.choices, self.recusals)
        out = {
            "id": str(self.id),
            "federation": self.federation,
            "code": self.code,
            "name": self.name,
            "year": self.year,
            "meets_on": self.meets_on,
            "quorum": self.quorum,
            "secret_ballot": self.secret_ballot,
            "sealed_ballots": self.ballot_key is not None,
            "members": self.members,
            "agenda": self.agenda,
            "recusals": votes.recusals,
            "voted": votes.voted,
            "results": self.results,
            "version": self.version,
        }
        if not self.secret_ballot:
            out["choices"] = votes.choices
        return out


class BallotBox(Aggregate):
    """The sealed ballots of a secret ballot on one nomination, with no voter attached.

    Each is stored in its voter's transaction, so its position pairs it with the BallotCast;
    that is safe only because it is sealed to a key the store never holds (domain.ballots).
    `Deposited` (plain choices) is what boxes of councils convened before sealing hold."""

    @staticmethod
    def create_id(federation: str, council: str, nomination: str) -> UUID:
        return BallotBox.id_for(federation, council, nomination)

    @staticmethod
    def id_for(federation: str, council: str, nomination: str) -> UUID:
        return stable_id("ballot-box", federation, council, nomination)

    @event("Opened")
    def __init__(self, federation: str, council: str, nomination: str) -> None:
        self.choices: Counter[str] = Counter()
        self.sealed: list[str] = []

    @event("Deposited")
    def deposit(self, choice: str) -> None:
        self.choices[choice] += 1

    @event("Sealed")
    def deposit_sealed(self, ballot: str) -> None:
        self.sealed.append(ballot)
