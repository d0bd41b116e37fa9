"""A unit's headcount over time: how many workers (CNVCLĐ) work there and how many of them are
union members, as the unit declared them on a date. The declared figures, not the members keyed
in one by one: seed 001's city has 1,530 workers and 1,498 members in 65 grassroots unions
whether or not each member has a record."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.ids import stable_id


class Headcount(Aggregate):
    """One unit's declared figures, by the date they were counted on."""

    @staticmethod
    def create_id(federation: str, unit: str) -> UUID:
        return Headcount.id_for(federation, unit)

    @staticmethod
    def id_for(federation: str, unit: str) -> UUID:
        return stable_id("headcount", federation, unit)

    @event("Opened")
    def __init__(self, federation: str, unit: str, meta: dict) -> None:
        self.federation = federation
        self.unit = unit
        self.counts: dict[str, dict] = {}  # ISO date -> {"workers", "members"}

    @event("Recorded")
    def record(
        self,
        federation: str,
        unit: str,
        unit_path: list[str],
        counted_on: date,
        workers: int,
        members: int,
        reason: str | None,
        meta: dict,
    ) -> None:
        """A later recording for the same date replaces it (a correction, with its reason)."""
        self.counts[counted_on.isoformat()] = {"workers": workers, "members": members}

    def on(self, day: date) -> tuple[date, dict] | None:
        """The figures in force on `day`: the latest counted on or before it."""
        earlier = [d for d in self.counts if d <= day.isoformat()]
        if not earlier:
            return None
        last = max(earlier)
        return date.fromisoformat(last), self.counts[last]

    def as_dict(self) -> dict:
        return {
            "federation": self.federation,
            "unit": self.unit,
            "counts": [{"counted_on": d, **self.counts[d]} for d in sorted(self.counts)],
            "version": self.version,
        }
