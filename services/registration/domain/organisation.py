"""The organisation tree: federations, units and members (DOMAIN.md section 4)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.eventstore import stable_id

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
    def id_for(code: str) -> UUID:
        return stable_id("federation", code)

    @event("Created")
    def __init__(self, federation: str, name: str, meta: dict) -> None:
        self.code = federation
        self.name = name

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "version": self.version}


class Unit(Aggregate):
    @staticmethod
    def create_id(federation: str, code: str) -> UUID:
        return Unit.id_for(federation, code)

    @staticmethod
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
        meta: dict,
    ) -> None:
        self.federation = federation
        self.code = code
        self.name = name
        self.kind = kind
        self.parent = parent
        # Codes from the top of the federation's tree down to this unit, itself included.
        self.ancestry = ancestry

    def as_dict(self) -> dict:
        return {
            "federation": self.federation,
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "parent": self.parent,
            "path": "/".join(self.ancestry),
            "version": self.version,
        }


class Member(Aggregate):
    @staticmethod
    def create_id(federation: str, code: str) -> UUID:
        return Member.id_for(federation, code)

    @staticmethod
    def id_for(federation: str, code: str) -> UUID:
        return stable_id("member", federation, code)

    @event("Registered")
    def __init__(
        self,
        federation: str,
        code: str,
        full_name: str,
        unit: str,
        unit_name: str,
        unit_path: list[str],
        meta: dict,
        birth_year: int | None = None,
        gender: str | None = None,
        position: str | None = None,
    ) -> None:
        self.federation = federation
        self.code = code
        self.full_name = full_name
        self.unit = unit
        self.unit_path = unit_path
        self.birth_year = birth_year
        self.gender = gender
        self.position = position

    def as_dict(self) -> dict:
        return {
            "federation": self.federation,
            "code": self.code,
            "full_name": self.full_name,
            "unit": self.unit,
            "birth_year": self.birth_year,
            "gender": self.gender,
            "position": self.position,
            "version": self.version,
        }
