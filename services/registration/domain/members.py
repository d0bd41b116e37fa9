"""Members: a member's placements (which unit from which date) stay with the member, so history
follows the member through transfers; leaving the union ends the last placement."""

from __future__ import annotations

import functools
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic

from shared.errors import Conflict, Invalid
from shared.eventstore import stable_id


def after_last(placements: list[dict], on: date, field: str) -> None:
    last = placements[-1]["from"]
    if on < last:
        raise Invalid.on(field, f"the change must take effect on or after {last}, the last change")


class Member(Aggregate):
    @staticmethod
    def create_id(federation: str, code: str) -> UUID:
        return Member.id_for(federation, code)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
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
        self.home = federation
        self.federation = federation
        self.code = code
        self.full_name = full_name
        self.unit = unit
        self.unit_path = unit_path
        self.birth_year = birth_year
        self.gender = gender
        self.position = position
        self.left_on: date | None = None
        # A member registered without a date has been in the unit since before any record.
        self.placements: list[dict] = [{"from": date.min, "unit": unit}]

    def unit_on(self, on: date) -> str | None:
        if self.left_on is not None and on >= self.left_on:
            return None
        current = None
        for placement in self.placements:
            if placement["from"] <= on:
                current = placement["unit"]
        return current

    def transfer(
        self, federation: str, unit: str, unit_path: list[str], effective_on: date, meta: dict
    ) -> None:
        self._require_member()
        if unit == self.unit:
            raise Invalid.on("unit", f"member '{self.code}' is already in unit '{unit}'")
        after_last(self.placements, effective_on, "effective_on")
        self._transferred(
            federation=federation,
            code=self.code,
            full_name=self.full_name,
            from_unit=self.unit,
            unit=unit,
            unit_path=unit_path,
            effective_on=effective_on,
            meta=meta,
        )

    @event("Transferred")
    def _transferred(
        self,
        federation: str,
        code: str,
        full_name: str,
        from_unit: str,
        unit: str,
        unit_path: list[str],
        effective_on: date,
        meta: dict,
    ) -> None:
        self.federation = federation  # the federation it belongs to now, after any merge
        self.unit = unit
        self.unit_path = unit_path
        self.placements.append({"from": effective_on, "unit": unit})

    def leave(self, federation: str, effective_on: date, meta: dict) -> None:
        self._require_member()
        after_last(self.placements, effective_on, "effective_on")
        self._left(
            federation=federation,
            code=self.code,
            full_name=self.full_name,
            unit=self.unit,
            effective_on=effective_on,
            meta=meta,
        )

    @event("Left")
    def _left(
        self, federation: str, code: str, full_name: str, unit: str, effective_on: date, meta: dict
    ) -> None:
        self.federation = federation
        self.left_on = effective_on

    def _require_member(self) -> None:
        if self.left_on is not None:
            raise Conflict(f"member '{self.code}' left the union on {self.left_on}")

    def as_dict(self) -> dict:
        return {
            "federation": self.federation,
            "code": self.code,
            "full_name": self.full_name,
            "unit": self.unit,
            "unit_path": "/".join(self.unit_path),
            "birth_year": self.birth_year,
            "gender": self.gender,
            "position": self.position,
            "left_on": self.left_on,
            "placements": [
                {"from": None if p["from"] == date.min else p["from"], "unit": p["unit"]}
                for p in self.placements
            ],
            "version": self.version,
        }


# Members were first defined in the organisation module: logs written then name that topic.
register_topic("services.registration.domain.organisation:Member", Member)
