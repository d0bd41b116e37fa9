"""What units do during the year: targets per programme, initiatives (sáng kiến) and dedicated
works (công trình chào mừng)."""

from __future__ import annotations

import functools
from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Conflict, Invalid
from shared.kernel.ids import stable_id
from shared.store.fast_events import Triggering


class Target(Aggregate):
    """A unit's target for one programme and year: assigned from above, or raised by the unit."""

    @staticmethod
    def create_id(federation: str, unit: str, programme: str, year: int) -> UUID:
        return Target.id_for(federation, unit, programme, year)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
    def id_for(federation: str, unit: str, programme: str, year: int) -> UUID:
        return stable_id("target", federation, unit, programme, str(year))

    @event("Opened")
    def __init__(self, federation: str, unit: str, programme: str, year: int, meta: dict) -> None:
        self.federation, self.unit, self.programme, self.year = federation, unit, programme, year
        self.assigned: int | None = None
        self.self_target: int | None = None

    def assign(
        self, unit_name: str, unit_path: list[str], target: int, origin: str, by: str, meta: dict
    ) -> None:
        if origin == "self" and self.assigned is not None and target <= self.assigned:
            raise Invalid.on("target", f"a self-registered target must exceed the assigned {self.assigned}")
        _ASSIGNED(
            self,
            federation=self.federation,
            unit=self.unit,
            unit_name=unit_name,
            unit_path=unit_path,
            programme=self.programme,
            year=self.year,
            target=target,
            origin=origin,
            assigned_by=by,
            meta=meta,
        )

    @event("Assigned")
    def _assigned(
        self,
        federation: str,
        unit: str,
        unit_name: str,
        unit_path: list[str],
        programme: str,
        year: int,
        target: int,
        origin: str,
        assigned_by: str,
        meta: dict,
    ) -> None:
        if origin == "self":
            self.self_target = target
        else:
            self.assigned = target

    def as_dict(self) -> dict:
        targets = [t for t in (self.assigned, self.self_target) if t is not None]
        return {
            "federation": self.federation,
            "unit": self.unit,
            "programme": self.programme,
            "year": self.year,
            "assigned": self.assigned,
            "self": self.self_target,
            "target": max(targets) if targets else None,
            "version": self.version,
        }


class Initiative(Aggregate):
    @staticmethod
    def create_id(federation: str, initiative: str) -> UUID:
        return Initiative.id_for(federation, initiative)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
    def id_for(federation: str, code: str) -> UUID:
        return stable_id("initiative", federation, code)

    @event("Registered")
    def __init__(
        self,
        federation: str,
        initiative: str,
        title: str,
        field: str,
        benefit_value: int,
        author_kind: str,
        author_code: str,
        author_name: str,
        unit: str,
        unit_path: list[str],
        year: int,
        registered_on: date,
        meta: dict,
    ) -> None:
        self.federation = federation
        self.code = initiative
        self.title = title
        self.field = field
        self.benefit_value = benefit_value
        self.author_kind = author_kind
        self.author_code = author_code
        self.unit = unit
        self.unit_path = unit_path
        self.year = year
        self.registered_on = registered_on
        self.state = "registered"
        self.decided_on: date | None = None

    @event("Corrected")  # the details as they should have been stored (domain/corrections.py)
    def corrected(self, federation: str, initiative: str, unit: str, unit_path: list[str], year: int,
                  author_kind: str, author_code: str, title: str, field: str, benefit_value: int,
                  corrected: list[str], reason: str, meta: dict) -> None:  # fmt: skip
        self.title, self.field, self.benefit_value = title, field, benefit_value

    def _decidable(self, on: date) -> None:
        if self.state != "registered":
            raise Conflict(f"initiative '{self.code}' is already {self.state}")
        if on < self.registered_on:
            raise Invalid.on("on", f"the initiative was registered on {self.registered_on}")

    def recognise(self, on: date, by: str, benefit_value: int | None, meta: dict) -> None:
        self._decidable(on)
        _RECOGNISED(
            self,
            federation=self.federation,
            initiative=self.code,
            title=self.title,
            author_kind=self.author_kind,
            author_code=self.author_code,
            unit=self.unit,
            unit_path=self.unit_path,
            year=self.year,
            benefit_value=self.benefit_value if benefit_value is None else benefit_value,
            recognised_on=on,
            recognised_by=by,
            meta=meta,
        )

    @event("Recognised")
    def _recognised(
        self,
        federation: str,
        initiative: str,
        title: str,
        author_kind: str,
        author_code: str,
        unit: str,
        unit_path: list[str],
        year: int,
        benefit_value: int,
        recognised_on: date,
        recognised_by: str,
        meta: dict,
    ) -> None:
        self.state, self.decided_on, self.benefit_value = "recognised", recognised_on, benefit_value

    def reject(self, on: date, reason: str, meta: dict) -> None:
        self._decidable(on)
        if not reason.strip():
            raise Invalid.on("reason", "a rejected initiative needs the reason")
        self._rejected(
            federation=self.federation,
            initiative=self.code,
            author_kind=self.author_kind,
            author_code=self.author_code,
            unit=self.unit,
            year=self.year,
            rejected_on=on,
            reason=reason,
            meta=meta,
        )

    @event("Rejected")
    def _rejected(self, federation: str, initiative: str, author_kind: str, author_code: str, unit: str,
                  year: int, rejected_on: date, reason: str, meta: dict) -> None:  # fmt: skip
        self.state, self.decided_on = "rejected", rejected_on

    def as_dict(self) -> dict:
        keys = ("federation", "code", "title", "field", "benefit_value", "author_kind", "author_code", "unit")
        return {
            **{k: getattr(self, k) for k in keys},
            "year": self.year,
            "state": self.state,
            "registered_on": self.registered_on,
            "decided_on": self.decided_on,
            "version": self.version,
        }


class Work(Aggregate):
    @staticmethod
    def create_id(federation: str, work: str) -> UUID:
        return Work.id_for(federation, work)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
    def id_for(federation: str, code: str) -> UUID:
        return stable_id("work", federation, code)

    @event("Registered")
    def __init__(
        self,
        federation: str,
        work: str,
        name: str,
        unit: str,
        unit_path: list[str],
        value: int,
        occasion: str,
        year: int,
        registered_on: date,
        meta: dict,
    ) -> None:
        self.federation = federation
        self.code = work
        self.name = name
        self.unit = unit
        self.unit_path = unit_path
        self.value = value
        self.occasion = occasion
        self.year = year
        self.registered_on = registered_on
        self.state = "registered"
        self.completed_on: date | None = None
        self.plaqued_on: date | None = None

    @event("Corrected")  # the details as they should have been stored (domain/corrections.py)
    def corrected(self, federation: str, work: str, unit: str, unit_path: list[str], year: int,
                  name: str, value: int, occasion: str, corrected: list[str], reason: str,
                  meta: dict) -> None:  # fmt: skip
        self.name, self.value, self.occasion = name, value, occasion

    def _step(self, on: date, after: date, what: str) -> dict:
        if on < after:
            raise Invalid.on("on", f"a work is {what} on or after {after}")
        return {
            "federation": self.federation,
            "work": self.code,
            "name": self.name,
            "unit": self.unit,
            "unit_path": self.unit_path,
            "value": self.value,
            "year": self.year,
        }

    def complete(self, on: date, meta: dict) -> None:
        if self.state != "registered":
            raise Conflict(f"work '{self.code}' is already {self.state}")
        self._completed(**self._step(on, self.registered_on, "completed"), completed_on=on, meta=meta)

    @event("Completed")
    def _completed(self, federation: str, work: str, name: str, unit: str, unit_path: list[str], value: int,
                   year: int, completed_on: date, meta: dict) -> None:  # fmt: skip
        self.state, self.completed_on = "completed", completed_on

    def plaque(self, on: date, meta: dict) -> None:
        if self.state != "completed" or self.completed_on is None:
            raise Conflict(f"a plaque is attached to a completed work; '{self.code}' is {self.state}")
        self._plaqued(**self._step(on, self.completed_on, "plaqued"), plaqued_on=on, meta=meta)

    @event("Plaqued")
    def _plaqued(self, federation: str, work: str, name: str, unit: str, unit_path: list[str], value: int,
                 year: int, plaqued_on: date, meta: dict) -> None:  # fmt: skip
        self.state, self.plaqued_on = "plaqued", plaqued_on

    def as_dict(self) -> dict:
        keys = ("federation", "code", "name", "unit", "value", "occasion", "year", "state")
        return {
            **{k: getattr(self, k) for k in keys},
            "registered_on": self.registered_on,
            "completed_on": self.completed_on,
            "plaqued_on": self.plaqued_on,
            "version": self.version,
        }


# `target._assigned(...)` and `initiative._recognised(...)` without the library's argument handling.
_ASSIGNED = Triggering(Target, "_assigned", "Assigned")
_RECOGNISED = Triggering(Initiative, "_recognised", "Recognised")
