"""A council's vote sheet for one nomination on its agenda: who voted on it (and, in an open
ballot, how), who stepped aside from it, and whether voting on it has closed.

One sheet per (council, nomination), so a vote reads and writes what is about that nomination
alone: its cost does not grow with the agenda nor with the votes on other nominations. Under a
secret ballot the sheet holds who voted, never what; the choice goes, sealed, to the
nomination's BallotBox (domain.councils)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Conflict
from shared.kernel.ids import stable_id


class VoteSheet(Aggregate):
    @staticmethod
    def create_id(federation: str, council: str, nomination: str) -> UUID:
        return VoteSheet.id_for(federation, council, nomination)

    @staticmethod
    def id_for(federation: str, council: str, nomination: str) -> UUID:
        return stable_id("vote-sheet", federation, council, nomination)

    @event("Opened")
    def __init__(self, federation: str, council: str, nomination: str) -> None:
        self.federation = federation
        self.council = council
        self.nomination = nomination
        self.voters: list[str] = []
        self.choices: dict[str, str] = {}  # open ballots only
        self.recused: list[str] = []
        self.closed = False

    def require_open(self, user: str) -> None:
        if self.closed:
            raise Conflict("the council has resolved; voting is closed")
        if user in self.voters:
            raise Conflict(f"'{user}' has already voted on nomination {self.nomination}")

    @event("Voted")
    def vote(self, user: str, written: bool, meta: dict) -> None:
        self.voters.append(user)

    @event("ChoiceRecorded")
    def vote_openly(self, user: str, choice: str, written: bool, meta: dict) -> None:
        self.voters.append(user)
        self.choices[user] = choice

    @event("Recused")
    def recuse(self, user: str, reason: str, meta: dict) -> None:
        self.recused.append(user)

    @event("Closed")
    def close(self, meta: dict) -> None:
        self.closed = True
