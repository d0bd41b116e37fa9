"""Covenants (giao ước thi đua): the units of a block sign the year's covenant and scoring sheet,
are scored at year end, and acclaim the block's leader(s)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Conflict, Invalid
from shared.kernel.ids import stable_id


class Covenant(Aggregate):
    @staticmethod
    def create_id(federation: str, block: str, year: int) -> UUID:
        return Covenant.id_for(federation, block, year)

    @staticmethod
    def id_for(federation: str, block: str, year: int) -> UUID:
        return stable_id("covenant", federation, block, str(year))

    @event("Signed")
    def __init__(
        self,
        federation: str,
        block: str,
        block_name: str,
        year: int,
        units: list[str],
        criteria: list[dict],
        signed_on: date,
        meta: dict,
    ) -> None:
        self.federation = federation
        self.block = block
        self.block_name = block_name
        self.year = year
        self.units = units
        self.criteria = criteria
        self.signed_on = signed_on
        self.scores: list[dict] = []
        self.leaders: list[str] = []

    @property
    def max_score(self) -> int:
        return sum(int(c["max_score"]) for c in self.criteria)

    def score(self, scores: list[dict], meta: dict) -> None:
        if self.leaders:
            raise Conflict(f"the leader of block '{self.block}' for {self.year} is already acclaimed")
        seen: set[str] = set()
        for i, line in enumerate(scores):
            if line["unit"] not in self.units:
                raise Invalid.on(f"scores.{i}.unit", f"unit '{line['unit']}' did not sign this covenant")
            if line["unit"] in seen:
                raise Invalid.on(f"scores.{i}.unit", f"unit '{line['unit']}' is scored twice")
            if not 0 <= line["score"] <= self.max_score:
                raise Invalid.on(f"scores.{i}.score", f"a score lies between 0 and {self.max_score}")
            seen.add(line["unit"])
        self._scored(federation=self.federation, block=self.block, year=self.year, scores=scores, meta=meta)

    @event("Scored")
    def _scored(self, federation: str, block: str, year: int, scores: list[dict], meta: dict) -> None:
        self.scores = scores

    def acclaim(self, units: list[str], acclaimed_on: date, meta: dict) -> None:
        if not self.scores:
            raise Conflict(f"block '{self.block}' acclaims its leader after scoring its units")
        if self.leaders:
            raise Conflict(f"the leader of block '{self.block}' for {self.year} is already acclaimed")
        for i, unit in enumerate(units):
            if unit not in self.units:
                raise Invalid.on(f"units.{i}", f"unit '{unit}' did not sign this covenant")
        if acclaimed_on < self.signed_on:
            raise Invalid.on("acclaimed_on", f"the covenant was signed on {self.signed_on}")
        self._acclaimed(
            federation=self.federation,
            block=self.block,
            block_name=self.block_name,
            year=self.year,
            units=units,
            acclaimed_on=acclaimed_on,
            meta=meta,
        )

    @event("LeaderAcclaimed")
    def _acclaimed(
        self,
        federation: str,
        block: str,
        block_name: str,
        year: int,
        units: list[str],
        acclaimed_on: date,
        meta: dict,
    ) -> None:
        self.leaders = units

    def as_dict(self) -> dict:
        return {
            "federation": self.federation,
            "block": self.block,
            "year": self.year,
            "units": self.units,
            "criteria": self.criteria,
            "signed_on": self.signed_on,
            "scores": self.scores,
            "leaders": self.leaders,
            "version": self.version,
        }
