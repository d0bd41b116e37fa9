"""Pledges (đăng ký thi đua): submitted -> accepted | returned (-> resubmitted) ; -> withdrawn."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from shared.kernel.errors import Conflict, FieldError, Invalid
from shared.kernel.ids import stable_id

LIVE = ("submitted", "accepted", "returned")
# A participation pledge names no award (issue 18): its key's award part, which no award code can be.
PARTICIPATION = ":participation"
# What a corrected resubmission sets: the correctable fields and where the subject sat that day.
CORRECTED_WITH = ("pledged_on", "phase", "submitted_by", "subject_name", "unit", "unit_path")


class Pledge(Aggregate):
    """One subject's pledge for one award in one movement, or to take part in it without one (a
    participation pledge, `award` None); the id is that business key, so a second pledge for it
    cannot be stored (one live pledge per subject, award or participation, and movement)."""

    @staticmethod
    def create_id(
        federation: str, movement: str, subject_kind: str, subject_code: str, award: str | None
    ) -> UUID:
        return Pledge.id_for(federation, movement, subject_kind, subject_code, award)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
    def id_for(
        federation: str, movement: str, subject_kind: str, subject_code: str, award: str | None
    ) -> UUID:
        key = PARTICIPATION if award is None else award
        return stable_id("pledge", federation, movement, subject_kind, subject_code, key)

    @event("Registered")
    def __init__(
        self,
        federation: str,
        movement: str,
        movement_name: str,
        year: int,
        phase: str | None,
        award: str | None,
        award_name: str | None,
        subject_kind: str,
        subject_code: str,
        subject_name: str,
        unit: str,
        unit_path: list[str],
        submitted_by: str,
        pledged_on: date,
        meta: dict,
    ) -> None:
        self.federation = federation
        self.movement = movement
        self.year = year
        self.phase = phase
        self.award = award
        self.subject_kind = subject_kind
        self.subject_code = subject_code
        self.subject_name = subject_name
        self.unit = unit
        self.unit_path = unit_path
        self.submitted_by = submitted_by
        self.pledged_on = pledged_on
        self.state = "submitted"
        self.return_reason: str | None = None

    @classmethod
    def register(
        cls,
        *,
        federation: str,
        movement: str,
        movement_name: str,
        year: int,
        phase: str | None,
        award: str | None,
        award_name: str | None,
        subject_kind: str,
        subject_code: str,
        subject_name: str,
        unit: str,
        unit_path: list[str],
        submitted_by: str,
        pledged_on: date,
        meta: dict,
    ) -> Pledge:
        """`Pledge(...)`, for lists of thousands: the same Registered event (its fields set in the
        dataclass's order, as its __init__ sets them) and the same aggregate, built as the
        event's `mutate` builds it, without the library's generic argument handling (a fifth of
        a 10,000-row list, py-spy). The parameters must stay __init__'s, and `mutate` as it is
        in eventsourcing 9.5 (tests/unit/test_bulk_pledges.py compares both ways)."""
        ident = cls.id_for(federation, movement, subject_kind, subject_code, award)
        timestamp = _REGISTERED.create_timestamp()
        registered = object.__new__(_REGISTERED)
        # The event's fields in the dataclass's field order, as its __init__ would set them.
        fields = {
            "originator_id": ident,
            "originator_version": cls.INITIAL_VERSION,
            "timestamp": timestamp,
            "originator_topic": _TOPIC,
            "federation": federation,
            "movement": movement,
            "movement_name": movement_name,
            "year": year,
            "phase": phase,
            "award": award,
            "award_name": award_name,
            "subject_kind": subject_kind,
            "subject_code": subject_code,
            "subject_name": subject_name,
            "unit": unit,
            "unit_path": unit_path,
            "submitted_by": submitted_by,
            "pledged_on": pledged_on,
            "meta": meta,
        }
        object.__setattr__(registered, "__dict__", fields)
        # What the event's `mutate` does, with the arguments named rather than filtered from it.
        pledge = cls.__new__(cls)
        pledge.__base_init__(ident, cls.INITIAL_VERSION, timestamp)
        pledge.__init__(  # type: ignore[misc]  # the method's own body (eventsourcing's descriptor)
            federation=federation,
            movement=movement,
            movement_name=movement_name,
            year=year,
            phase=phase,
            award=award,
            award_name=award_name,
            subject_kind=subject_kind,
            subject_code=subject_code,
            subject_name=subject_name,
            unit=unit,
            unit_path=unit_path,
            submitted_by=submitted_by,
            pledged_on=pledged_on,
            meta=meta,
        )
        registered.apply(pledge)
        pledge.pending_events.append(registered)
        return pledge

    def _key(self) -> dict:
        return {
            "federation": self.federation,
            "movement": self.movement,
            "year": self.year,
            "award": self.award,
            "subject_kind": self.subject_kind,
            "subject_code": self.subject_code,
            "unit": self.unit,
        }

    class Transition(Aggregate.Event):
        federation: str
        movement: str
        year: int
        award: str | None
        subject_kind: str
        subject_code: str
        unit: str
        on: date
        meta: dict

    class Accepted(Transition):
        def apply(self, aggregate: Pledge) -> None:
            aggregate.federation = self.federation
            aggregate.state = "accepted"

    class Returned(Transition):
        reason: str

        def apply(self, aggregate: Pledge) -> None:
            aggregate.federation = self.federation
            aggregate.state = "returned"
            aggregate.return_reason = self.reason

    class Resubmitted(Transition):
        # A returned pledge resubmitted with corrections (issue 18): the fields the clerk corrected,
        # why, and the pledge's values after it; a resubmission as it was holds none of them.
        reason: str | None = None
        corrected: list[str] | None = None
        pledged_on: date | None = None
        phase: str | None = None
        submitted_by: str | None = None
        subject_name: str | None = None
        unit_path: list[str] | None = None

        def apply(self, aggregate: Pledge) -> None:
            aggregate.federation = self.federation
            aggregate.state = "submitted"
            aggregate.return_reason = None
            if self.corrected:
                for name in CORRECTED_WITH:
                    setattr(aggregate, name, getattr(self, name))

    class Withdrawn(Transition):
        def apply(self, aggregate: Pledge) -> None:
            aggregate.federation = self.federation
            aggregate.state = "withdrawn"

    def belong_to(self, federation: str) -> None:
        """After a federation merge, the next transition is recorded under the receiving federation."""
        self.federation = federation

    def accept(self, on: date, meta: dict) -> None:
        self._require("accept", "submitted")
        self.trigger_event(self.Accepted, **self._key(), on=on, meta=meta)

    def return_for_correction(self, reason: str, on: date, meta: dict) -> None:
        self._require("return", "submitted")
        if not reason.strip():
            raise Invalid.on("reason", "a returned pledge needs the reason it is sent back")
        self.trigger_event(self.Returned, **self._key(), reason=reason, on=on, meta=meta)

    def resubmit(self, on: date, meta: dict) -> None:
        """A returned pledge corrected, or a withdrawn one pledged again."""
        self._require("resubmit", "returned", "withdrawn")
        self.trigger_event(self.Resubmitted, **self._key(), on=on, meta=meta)

    def resubmit_corrected(
        self, on: date, meta: dict, reason: str, corrected: list[str], values: dict
    ) -> None:
        """A returned pledge sent again with corrections: `values` are the pledge's checked values
        after it (CORRECTED_WITH), `corrected` the fields the clerk changed."""
        if self.state != "returned":
            raise Conflict(
                f"only a returned pledge can be corrected; this pledge is {self.state}",
                [FieldError("state", f"the pledge is {self.state}, not returned")],
            )
        key = self._key() | {"unit": values["unit"]}
        rest = {name: values[name] for name in CORRECTED_WITH if name != "unit"}
        self.trigger_event(
            self.Resubmitted, **key, on=on, meta=meta, reason=reason, corrected=corrected, **rest
        )

    def withdraw(self, on: date, meta: dict) -> None:
        self._require("withdraw", *LIVE)
        self.trigger_event(self.Withdrawn, **self._key(), on=on, meta=meta)

    def _require(self, action: str, *states: str) -> None:
        if self.state not in states:
            raise Conflict(f"cannot {action} a pledge that is {self.state}")

    def as_dict(self) -> dict:
        return {
            "id": str(self.id),
            **self._key(),
            "phase": self.phase,
            "subject_name": self.subject_name,
            "unit_path": self.unit_path,
            "submitted_by": self.submitted_by,
            "pledged_on": self.pledged_on,
            "state": self.state,
            "return_reason": self.return_reason,
            "version": self.version,
        }


_REGISTERED: Any = getattr(Pledge, "Registered")  # noqa: B009  (built by eventsourcing from __init__)
_TOPIC = get_topic(Pledge)
