"""Emulation movements: launched by a federation (or a unit for its subtree), on behalf of a
launcher (the federation, the Prime Minister, ...), with awards or none (a campaign); amended with a
reason while open; closed later."""

from __future__ import annotations

import functools
from datetime import date
from typing import Literal
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.kernel.errors import Conflict
from shared.kernel.ids import stable_id

MovementKind = Literal["annual", "thematic", "phase"]


class Movement(Aggregate):
    @staticmethod
    def create_id(federation: str, code: str) -> UUID:
        return Movement.id_for(federation, code)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a uuid5 costs more than the look-up it keys
    def id_for(federation: str, code: str) -> UUID:
        return stable_id("movement", federation, code)

    @event("Launched")
    def __init__(
        self,
        federation: str,
        code: str,
        name: str,
        theme: str,
        year: int,
        kind: str,
        phases: list[dict],
        awards: list[str],
        registration_deadline: date,
        launched_by: str | None,
        meta: dict,
        launcher: str | None = None,  # absent from movements launched before launchers
        launcher_name: str | None = None,
    ) -> None:
        self.federation = federation
        self.code = code
        self.name = name
        self.theme = theme
        self.year = year
        self.kind = kind
        self.phases = phases
        self.awards = awards
        self.registration_deadline = registration_deadline
        self.launched_by = launched_by
        self.launcher = launcher or launched_by or federation
        self.launcher_name = launcher_name
        self.closed_on: date | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def close(self, on: date, meta: dict) -> None:
        if not self.is_open:
            raise Conflict(f"movement '{self.code}' was closed on {self.closed_on}")
        self._closed(federation=self.federation, code=self.code, closed_on=on, meta=meta)

    @event("Closed")
    def _closed(self, federation: str, code: str, closed_on: date, meta: dict) -> None:
        self.closed_on = closed_on

    def amend(self, values: dict, amended: list[str], reason: str, meta: dict) -> None:
        """The movement's name, theme, phases, awards open for new pledges or registration
        deadline changed (`values` holds all five as they are after it), with the reason."""
        self.require_open("amended")
        self._amended(
            federation=self.federation, code=self.code, **values, amended=amended, reason=reason, meta=meta
        )

    def require_open(self, act: str) -> None:
        if not self.is_open:
            raise Conflict(f"movement '{self.code}' was closed on {self.closed_on}: it cannot be {act}")

    @event("Amended")
    def _amended(
        self,
        federation: str,
        code: str,
        name: str,
        theme: str,
        phases: list[dict],
        awards: list[str],
        registration_deadline: date,
        amended: list[str],
        reason: str,
        meta: dict,
    ) -> None:
        self.name = name
        self.theme = theme
        self.phases = phases
        self.awards = awards
        self.registration_deadline = registration_deadline

    def phase_named(self, name: str) -> dict | None:
        return next((p for p in self.phases if p["name"] == name), None)

    def as_dict(self) -> dict:
        return {
            "federation": self.federation,
            "code": self.code,
            "name": self.name,
            "theme": self.theme,
            "year": self.year,
            "kind": self.kind,
            "phases": self.phases,
            "awards": self.awards,
            "registration_deadline": self.registration_deadline,
            "launched_by": self.launched_by,
            "launcher": self.launcher,
            "launcher_name": self.launcher_name,
            "closed_on": self.closed_on,
            "version": self.version,
        }
