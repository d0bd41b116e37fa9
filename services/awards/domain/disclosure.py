"""Public disclosure (công khai) of nominations for the awards the catalogue marks (state orders,
Chiến sĩ thi đua toàn quốc, Anh hùng Lao động): it must have run its whole length before the
council votes on them or they are forwarded upward. The federation's public board lists what it
discloses; objections received are recorded by its staff and shown to the council."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Invalid
from shared.kernel.ids import stable_id

MAX_OBJECTIONS = 200  # per nomination: a flood is recorded as one objection with many signers


def missing(disclosure: dict[str, date] | None, today: date) -> str | None:
    """What is missing of a required disclosure on `today`, or None once it has run its length."""
    if disclosure is None:
        return "the nomination has not been publicly disclosed"
    if today <= disclosure["ends_on"]:
        return f"public disclosure runs until {disclosure['ends_on'].isoformat()}"
    return None


class DisclosureBoard(Aggregate):
    """A federation's public board of one year (the year each disclosure starts in): what was
    put on it, as the law asks to disclose — who, which unit, which award, from when to when."""

    @staticmethod
    def create_id(federation: str, year: int) -> UUID:
        return DisclosureBoard.id_for(federation, year)

    @staticmethod
    def id_for(federation: str, year: int) -> UUID:
        return stable_id("disclosure-board", federation, str(year))

    @event("Opened")
    def __init__(self, federation: str, year: int) -> None:
        self.federation = federation
        self.year = year
        self.notices: list[dict[str, Any]] = []

    @event("Posted")
    def post(self, notice: dict[str, Any], meta: dict) -> None:
        self.notices = [n for n in self.notices if n["nomination"] != notice["nomination"]] + [notice]


class Objections(Aggregate):
    """Objections to one nomination received during its disclosure (in writing, in person, by
    mail), each recorded by the federation's staff with who made it and what it says."""

    @staticmethod
    def create_id(federation: str, nomination: str) -> UUID:
        return Objections.id_for(federation, nomination)

    @staticmethod
    def id_for(federation: str, nomination: str) -> UUID:
        return stable_id("objections", federation, nomination)

    @event("Opened")
    def __init__(self, federation: str, nomination: str) -> None:
        self.federation = federation
        self.nomination = nomination
        self.items: list[dict[str, Any]] = []

    def record(self, objection: dict[str, Any], meta: dict) -> None:
        if len(self.items) >= MAX_OBJECTIONS:
            raise Invalid.on(
                "text",
                f"this nomination already has {MAX_OBJECTIONS} objections; record further ones together",
            )
        self._recorded(objection=objection, meta=meta)

    @event("Recorded")
    def _recorded(self, objection: dict[str, Any], meta: dict) -> None:
        self.items = [*self.items, {**objection, "recorded_by": meta.get("actor")}]
