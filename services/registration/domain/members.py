"""Members: a member's placements (which unit from which date) stay with the member, so history
follows the member through transfers; leaving the union ends the last placement."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import register_topic, resolve_topic

from shared.kernel.errors import Conflict, Invalid
from shared.kernel.ids import stable_id

DETAILS = ("full_name", "birth_year", "gender", "position")  # what a correction may change


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
        return unit_on(self.placements, self.left_on, on)

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

    def correct(self, federation: str, details: dict[str, Any], reason: str, meta: dict) -> None:
        """A compensating event: the details (DETAILS) as they should have been stored (also for
        a member who left: the history keeps them); `corrected` names those that differ. The
        stored events stay as they are."""
        changed = [k for k in DETAILS if k in details and details[k] != getattr(self, k)]
        if not changed:
            raise Invalid.on(
                next(iter(details), "full_name"), f"member '{self.code}' already has these details"
            )
        new = {k: details[k] if k in changed else getattr(self, k) for k in DETAILS}
        self._corrected(
            federation=federation,
            home=self.home,
            code=self.code,
            reason=reason,
            meta=meta,
            corrected=changed,
            **new,
        )

    @event("Corrected")
    def _corrected(
        self,
        federation: str,
        home: str,
        code: str,
        full_name: str,
        reason: str,
        meta: dict,
        birth_year: int | None = None,
        gender: str | None = None,
        position: str | None = None,
        corrected: list[str] | None = None,
    ) -> None:
        self.full_name = full_name
        others = {"birth_year": birth_year, "gender": gender, "position": position}
        for name in corrected or ():  # a correction stored before issue 18 holds the name only
            if name in others:
                setattr(self, name, others[name])

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


def unit_on(placements: Sequence[dict], left_on: date | None, on: date) -> str | None:
    if left_on is not None and on >= left_on:
        return None
    current = None
    for placement in placements:
        if placement["from"] <= on:
            current = placement["unit"]
    return current


class MemberFacts(NamedTuple):
    """What a pledge reads of a member: the Member attributes of these names, folded from its
    stored events (`fold`) without building the aggregate. Immutable: kept between commands."""

    federation: str
    code: str
    full_name: str
    placements: tuple[dict, ...]
    left_on: date | None = None

    def unit_on(self, on: date) -> str | None:
        return unit_on(self.placements, self.left_on, on)

    @classmethod
    def fold(
        cls, events: Sequence[tuple[str, int, dict[str, Any], int]], decode: Callable[[Any, type], Any]
    ) -> MemberFacts | None:
        """The facts from (topic, version, state as parsed JSON, number of tagged values in it)
        of each stored event, as Member's event handlers above set them. `decode(raw, type)`:
        the tagged value `raw` decoded as the transcoder decodes it, if of that type, else None.
        None for anything the handlers would not take exactly so (another event, a gap, a
        missing argument, an upcast, another tagged value, an effective date that is not a date):
        the caller then rebuilds the aggregate, which handles or refuses it. A change to Member's
        handlers must be made here too (tests/unit/test_bulk_members.py compares both)."""
        if not events:
            return None
        federation = code = full_name = ""
        placements: list[dict] = []
        left_on: date | None = None
        for version, (topic, stored_version, state, tags) in enumerate(events, start=1):
            try:
                kind = resolve_topic(topic)
            except Exception:
                return None
            required = _REQUIRED.get(kind)
            if (
                required is None
                or stored_version != version
                or "class_version" in state
                or not required <= state.keys()
                # the timestamp; and the effective date (a correction has none)
                or (kind is not _CORRECTED and tags != (1 if version == 1 else 2))
                or decode(state["timestamp"], datetime) is None
            ):
                return None
            if kind is _CORRECTED:
                if tags != 1 or type(state["full_name"]) is not str or version == 1:
                    return None
                full_name = state["full_name"]
                continue
            if version == 1:
                if kind is not _REGISTERED or resolve_topic(state["originator_topic"]) is not Member:
                    return None
                federation, code, full_name, unit = (
                    state["federation"],
                    state["code"],
                    state["full_name"],
                    state["unit"],
                )
                if not (type(federation) is type(code) is type(full_name) is type(unit) is str):
                    return None
                placements.append({"from": date.min, "unit": unit})
                continue
            effective_on = decode(state["effective_on"], date)
            if type(state["federation"]) is not str or effective_on is None:
                return None
            if kind is _TRANSFERRED:
                unit = state["unit"]
                if type(unit) is not str:
                    return None
                federation = state["federation"]
                placements.append({"from": effective_on, "unit": unit})
            elif kind is _LEFT:
                federation = state["federation"]
                left_on = effective_on
            else:
                return None
        return cls(federation, code, full_name, tuple(placements), left_on)


def _required(method: str, *base: str) -> frozenset[str]:
    """The stored state an event must hold for Member's handler `method` to take it."""
    handler = Member.__dict__[method].decorated_func
    params = inspect.signature(handler).parameters.values()
    names = {p.name for p in params if p.default is inspect.Parameter.empty and p.name != "self"}
    return frozenset({*names, "timestamp", *base})


# The classes of Member's events (eventsourcing builds them from the @event methods).
_REGISTERED, _TRANSFERRED, _LEFT, _CORRECTED = (
    getattr(Member, name) for name in ("Registered", "Transferred", "Left", "Corrected")
)
_REQUIRED: dict[Any, frozenset[str]] = {
    _REGISTERED: _required("__init__", "originator_topic"),
    _TRANSFERRED: _required("_transferred"),
    _LEFT: _required("_left"),
    _CORRECTED: _required("_corrected"),
}
