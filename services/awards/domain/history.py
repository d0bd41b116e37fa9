"""A subject's record in awards: yearly ratings, discipline, and the grants it holds.

One aggregate per subject (federation, kind, code), so the rules read a subject's whole
history in one load; grants and revocations are noted here in the same transaction as
the Grant they concern."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from services.awards.domain.facts import REVIEW, GrantFact
from shared.kernel.ids import stable_id
from shared.store.fast_events import Creation, Triggering


class History(Aggregate):
    @staticmethod
    def create_id(federation: str, subject_kind: str, subject_code: str) -> UUID:
        return History.id_for(federation, subject_kind, subject_code)

    @staticmethod
    @functools.lru_cache(maxsize=65536)  # a list derives each several times; a uuid5 costs more
    def id_for(federation: str, subject_kind: str, subject_code: str) -> UUID:
        return stable_id("history", federation, subject_kind, subject_code)

    @event("Opened")
    def __init__(self, federation: str, subject_kind: str, subject_code: str, meta: dict) -> None:
        self.federation = federation
        self.subject_kind = subject_kind
        self.subject_code = subject_code
        self.ratings: dict[int, str] = {}
        self.disciplines: list[dict] = []
        self.grants: dict[str, dict] = {}

    def record_rating(self, subject_name: str, unit: str, year: int, rating: str, meta: dict) -> None:
        _RATING_RECORDED(
            self,
            federation=self.federation,
            subject_kind=self.subject_kind,
            subject_code=self.subject_code,
            subject_name=subject_name,
            unit=unit,
            year=year,
            rating=rating,
            meta=meta,
        )

    @event("RatingRecorded")
    def _rating_recorded(
        self,
        federation: str,
        subject_kind: str,
        subject_code: str,
        subject_name: str,
        unit: str,
        year: int,
        rating: str,
        meta: dict,
    ) -> None:
        # A later record for the same year corrects the earlier one.
        self.ratings[year] = rating

    def record_discipline(
        self, subject_name: str, unit: str, year: int, level: str, decided_on: date, meta: dict
    ) -> None:
        _DISCIPLINE_RECORDED(
            self,
            federation=self.federation,
            subject_kind=self.subject_kind,
            subject_code=self.subject_code,
            subject_name=subject_name,
            unit=unit,
            year=year,
            level=level,
            decided_on=decided_on,
            meta=meta,
        )

    @event("DisciplineRecorded")
    def _discipline_recorded(
        self,
        federation: str,
        subject_kind: str,
        subject_code: str,
        subject_name: str,
        unit: str,
        year: int,
        level: str,
        decided_on: date,
        meta: dict,
    ) -> None:
        self.disciplines.append({"year": year, "level": level, "decided_on": decided_on})

    @event("GrantNoted")
    def note_grant(self, grant_id: str, award: str, year: int, level: str, occasion: str, meta: dict) -> None:
        self.grants[grant_id] = {
            "award": award,
            "year": year,
            "level": level,
            "occasion": occasion,
            "revoked": False,
        }

    @event("RevocationNoted")
    def note_revocation(self, grant_id: str, meta: dict) -> None:
        if grant_id in self.grants:
            self.grants[grant_id]["revoked"] = True

    @event("CancellationNoted")
    def note_cancellation(self, grant_id: str, meta: dict) -> None:
        """The grant's decision was amended to remove it, or cancelled: as if never granted."""
        if grant_id in self.grants:
            self.grants[grant_id]["cancelled"] = True

    def grant_facts(self) -> list[GrantFact]:
        return [
            GrantFact(
                g["award"], g["year"], g["level"], g["occasion"], g["revoked"], g.get("cancelled", False)
            )
            for g in self.grants.values()
        ]

    @property
    def under_review(self) -> bool:
        return bool(self.disciplines) and self.disciplines[-1]["level"] == REVIEW

    def discipline_facts(self) -> list[tuple[int, str]]:
        return [(d["year"], d["level"]) for d in self.disciplines]

    def facts(self) -> HistoryFacts:
        return HistoryFacts(dict(self.ratings), tuple(self.discipline_facts()), tuple(self.grant_facts()))

    def as_dict(self) -> dict:
        return {
            "id": str(self.id),
            "federation": self.federation,
            "subject_kind": self.subject_kind,
            "subject_code": self.subject_code,
            "ratings": {str(y): r for y, r in sorted(self.ratings.items())},
            "disciplines": self.disciplines,
            "grants": [{"grant": k, **v} for k, v in self.grants.items()],
            "version": self.version,
        }


# `History(**kw)` (keywords only), `history._rating_recorded(**kw)` and
# `history._discipline_recorded(**kw)`: the same aggregates and events made without the
# library's argument handling (a list opens and records thousands).
opened = Creation(History, "Opened")
_RATING_RECORDED = Triggering(History, "_rating_recorded", "RatingRecorded")
_DISCIPLINE_RECORDED = Triggering(History, "_discipline_recorded", "DisciplineRecorded")


@dataclass(frozen=True)
class HistoryFacts:
    """What the rules read of a history: its ratings by year, its discipline records (year, level)
    in the order recorded, and its grants."""

    ratings: Mapping[int, str]
    disciplines: Sequence[tuple[int, str]]
    grants: Sequence[GrantFact]

    @classmethod
    def fold(cls, events: Sequence[tuple[str, int, dict[str, Any]]]) -> HistoryFacts | None:
        """The facts from (topic, version, state as parsed JSON) of each stored event, as
        History's event handlers above set them, without rebuilding the aggregate. None for
        anything the handlers would not take exactly so (another event, a gap, an upcast, a
        value of another type): the caller then rebuilds the aggregate, which handles or refuses
        it. A change to History's handlers must be made here too (tests/unit/
        test_history_facts.py compares both)."""
        ratings: dict[int, str] = {}
        disciplines: list[tuple[int, str]] = []
        grants: dict[str, list[Any]] = {}
        for version, (topic, stored_version, state) in enumerate(events, start=1):
            if stored_version != version or "class_version" in state or (version == 1) != (topic == _OPENED):
                return None
            if topic == _OPENED:
                continue
            if topic in (_RATED, _DISCIPLINED):
                year, value = state.get("year"), state.get("rating" if topic == _RATED else "level")
                if type(year) is not int or type(value) is not str:
                    return None
                if topic == _RATED:
                    ratings[year] = value
                else:
                    disciplines.append((year, value))
                continue
            grant = state.get("grant_id")
            if type(grant) is not str:
                return None
            if topic == _GRANTED:
                fields = [state.get(k) for k in ("award", "year", "level", "occasion")]
                if [type(f) for f in fields] != [str, int, str, str]:
                    return None
                grants[grant] = [*fields, False, False]
            elif topic in (_REVOKED, _CANCELLED):
                if grant in grants:
                    grants[grant][4 if topic == _REVOKED else 5] = True
            else:
                return None
        return cls(ratings, tuple(disciplines), tuple(GrantFact(*g) for g in grants.values()))


_OPENED, _RATED, _DISCIPLINED, _GRANTED, _REVOKED, _CANCELLED = (
    get_topic(getattr(History, name))
    for name in (
        "Opened",
        "RatingRecorded",
        "DisciplineRecorded",
        "GrantNoted",
        "RevocationNoted",
        "CancellationNoted",
    )
)
