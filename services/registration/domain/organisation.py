"""The organisation tree: federations, units and members (docs/domain.md section 4).

The tree changes with effective dates. Each unit and member keeps its placements (from which
date it sat where), so the tree can be read as of any date and history stays with the subject.
A unit stores only its parent's code: the path of a unit is derived by walking its parents, so
a move is one event and its whole subtree follows it."""

from __future__ import annotations

import functools
from datetime import date
from typing import Literal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

# Members live in their own module; importing them from here still works (bench/seed.py does).
from services.registration.domain.members import Member, after_last
from shared.kernel.errors import Conflict, FieldError, Invalid
from shared.kernel.ids import stable_id

UnitKind = Literal["upper", "grassroots", "collective", "block"]
UNIT_KINDS: tuple[str, ...] = ("upper", "grassroots", "collective", "block")
# Which kinds a unit of each kind may sit under ("" is the federation itself).
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    "upper": ("", "upper"),
    "grassroots": ("", "upper"),
    "collective": ("grassroots", "collective", "upper"),
    "block": ("",),
}


class Federation(Aggregate):
    @staticmethod
    def create_id(federation: str) -> UUID:
        return Federation.id_for(federation)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
    def id_for(code: str) -> UUID:
        return stable_id("federation", code)

    @event("Created")
    def __init__(self, federation: str, name: str, meta: dict) -> None:
        self.code = federation
        self.name = name
        self.merged_into: str | None = None
        self.merged_on: date | None = None
        self.absorbed: list[dict] = []  # [{"code", "on"}]: federations merged into this one

    @event("Merged")
    def merge_into(
        self, federation: str, into: str, effective_on: date, units: list[str], meta: dict
    ) -> None:
        self.merged_into = into
        self.merged_on = effective_on

    @event("Absorbed")
    def absorb(self, federation: str, absorbed: str, effective_on: date, meta: dict) -> None:
        self.absorbed.append({"code": absorbed, "on": effective_on})

    def correct(self, name: str, reason: str, meta: dict) -> None:
        """A compensating event: the name as it should have been stored."""
        if name == self.name:
            raise Invalid.on("name", f"federation '{self.code}' already has this name")
        self._corrected(federation=self.code, name=name, reason=reason, meta=meta)

    @event("Corrected")
    def _corrected(self, federation: str, name: str, reason: str, meta: dict) -> None:
        self.name = name

    def merged_by(self, on: date) -> bool:
        return self.merged_on is not None and self.merged_on <= on

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "merged_into": self.merged_into,
            "merged_on": self.merged_on,
            "absorbed": self.absorbed,
            "version": self.version,
        }


class Unit(Aggregate):
    @staticmethod
    def create_id(federation: str, code: str) -> UUID:
        return Unit.id_for(federation, code)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
    def id_for(federation: str, code: str) -> UUID:
        return stable_id("unit", federation, code)

    @event("Registered")
    def __init__(
        self,
        federation: str,
        code: str,
        name: str,
        kind: str,
        parent: str | None,
        ancestry: list[str],
        effective_on: date | None,
        meta: dict,
        former_codes: tuple[str, ...] = (),
    ) -> None:
        self.home = federation  # the federation its id is keyed by; never changes
        self.federation = federation
        self.code = code
        self.name = name
        self.kind = kind
        self.parent = parent
        self.ancestry = ancestry  # as of its last own event; ancestors may have moved since
        self.state = "active"
        self.ended_on: date | None = None
        self.merged_into: str | None = None
        self.recoded_to: str | None = None  # the code it has had since `ended_on` (unit-recoded)
        # The codes it had before (newest first): each is an ended unit whose `recoded_to` led here.
        self.former_codes = list(former_codes)
        # Where the unit sat from which date: [{"from", "federation", "parent"}], oldest first.
        # A unit registered without a date has existed since before any record (an imported tree).
        since = effective_on or date.min
        self.placements: list[dict] = [{"from": since, "federation": federation, "parent": parent}]

    def placement_on(self, on: date) -> dict | None:
        """Where the unit sat on `on`; None before it existed or once it ended."""
        if self.ended_on is not None and on >= self.ended_on:
            return None
        current = None
        for placement in self.placements:
            if placement["from"] <= on:
                current = placement
        return current

    @property
    def successor(self) -> str | None:
        """The unit that took over this one's members and subunits: merged into, or recoded to."""
        return self.merged_into if self.state == "merged" else self.recoded_to

    def recoded_by(self, on: date) -> str | None:
        """The code the unit goes on under, if its code changed on or before `on`."""
        if self.recoded_to is not None and self.ended_on is not None and self.ended_on <= on:
            return self.recoded_to
        return None

    def recoded_notice(self) -> str:
        return f"unit '{self.code}' has had the code '{self.recoded_to}' since {self.ended_on}"

    def refuse_placement(self, field: str) -> None:
        """Refuse to place anyone or any unit in this unit once it has ended, from whatever day:
        a placement has no end of its own, so it would leave them in a unit that has ended."""
        if self.ended_on is None:
            return
        if self.recoded_to is not None:
            raise Invalid.on(field, f"{self.recoded_notice()}: place them under the new code")
        said = f"unit '{self.code}' was {self.state} on {self.ended_on}"
        if self.merged_into is not None:
            said += f" into '{self.merged_into}'"
        said += ": anyone placed in it, from any day, would be left in a unit that has ended"
        raise Invalid.on(field, said + (f"; place them in '{self.merged_into}'" if self.merged_into else ""))

    def require_active(self, field: str = "code") -> None:
        if self.state != "active":
            message = f"unit '{self.code}' was {self.state} on {self.ended_on}"
            if self.recoded_to is not None:
                message = self.recoded_notice()
            raise Conflict(message, [FieldError(field, message)])

    def move(
        self,
        federation: str,
        to_parent: str | None,
        previous_ancestry: list[str],
        ancestry: list[str],
        to_federation: str,
        effective_on: date,
        meta: dict,
    ) -> None:
        self.require_active()
        after_last(self.placements, effective_on, "effective_on")
        self._moved(
            federation=federation,
            code=self.code,
            name=self.name,
            kind=self.kind,
            from_parent=self.parent,
            to_parent=to_parent,
            previous_ancestry=previous_ancestry,
            ancestry=ancestry,
            to_federation=to_federation,
            effective_on=effective_on,
            meta=meta,
        )

    @event("Moved")
    def _moved(
        self,
        federation: str,
        code: str,
        name: str,
        kind: str,
        from_parent: str | None,
        to_parent: str | None,
        previous_ancestry: list[str],
        ancestry: list[str],
        to_federation: str,
        effective_on: date,
        meta: dict,
    ) -> None:
        self.federation = to_federation
        self.parent = to_parent
        self.ancestry = ancestry
        self.placements.append({"from": effective_on, "federation": to_federation, "parent": to_parent})

    def merge_into(self, federation: str, into: str, effective_on: date, meta: dict) -> None:
        self.require_active()
        after_last(self.placements, effective_on, "effective_on")
        self._merged(federation=federation, code=self.code, into=into, effective_on=effective_on, meta=meta)

    @event("Merged")
    def _merged(self, federation: str, code: str, into: str, effective_on: date, meta: dict) -> None:
        self.federation = federation
        self.state = "merged"
        self.merged_into = into
        self.ended_on = effective_on

    def recode(self, federation: str, to_code: str, effective_on: date, reason: str, meta: dict) -> None:
        """The unit goes on under the code `to_code` from `effective_on` (a unit registered with
        this code among its `former_codes`); this one ends that day, its code still found."""
        self.require_active()
        after_last(self.placements, effective_on, "effective_on")
        self._recoded(
            federation=federation,
            code=self.code,
            to_code=to_code,
            effective_on=effective_on,
            reason=reason,
            meta=meta,
        )

    @event("Recoded")
    def _recoded(
        self, federation: str, code: str, to_code: str, effective_on: date, reason: str, meta: dict
    ) -> None:
        self.federation = federation
        self.state = "recoded"
        self.recoded_to = to_code
        self.ended_on = effective_on

    def dissolve(self, federation: str, effective_on: date, meta: dict) -> None:
        self.require_active()
        after_last(self.placements, effective_on, "effective_on")
        self._dissolved(federation=federation, code=self.code, effective_on=effective_on, meta=meta)

    @event("Dissolved")
    def _dissolved(self, federation: str, code: str, effective_on: date, meta: dict) -> None:
        self.federation = federation
        self.state = "dissolved"
        self.ended_on = effective_on

    def correct(self, federation: str, name: str, reason: str, meta: dict) -> None:
        """A compensating event: the name as it should have been stored (an ended unit too)."""
        if name == self.name:
            raise Invalid.on("name", f"unit '{self.code}' already has this name")
        self._corrected(
            federation=federation, home=self.home, code=self.code, name=name, reason=reason, meta=meta
        )

    @event("Corrected")
    def _corrected(self, federation: str, home: str, code: str, name: str, reason: str, meta: dict) -> None:
        self.name = name

    def as_dict(self, path: list[str] | None = None) -> dict:
        return {
            "federation": self.federation,
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "parent": self.parent,
            "path": "/".join(path if path is not None else self.ancestry),
            "state": self.state,
            "ended_on": self.ended_on,
            "merged_into": self.merged_into,
            "recoded_to": self.recoded_to,
            "former_codes": self.former_codes,
            "placements": [
                {**p, "from": None if p["from"] == date.min else p["from"]} for p in self.placements
            ],
            "version": self.version,
        }


__all__ = ["PARENT_KINDS", "UNIT_KINDS", "Federation", "Member", "Unit", "UnitKind", "after_last"]
