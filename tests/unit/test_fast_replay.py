"""shared.store.fast_replay.fold rebuilds an aggregate from its events exactly as the library's
`event.mutate` does, one event after another: the same attributes, in the same order, and the
same refusals of an event out of sequence; events it cannot fold plainly are left to `mutate`."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import Aggregate, OriginatorIDError, OriginatorVersionError, event

from services.awards.domain.history import History
from services.awards.domain.nominations import Nomination
from shared.store import fast_replay

META = {"actor": "a", "scope": "*", "request_id": "r", "correlation_id": "c", "causation_id": ""}


class Mentions(Aggregate):
    """An __init__ that takes the aggregate's id; one event with its own `apply`."""

    @event("Started")
    def __init__(self, id: UUID, code: str, note: str = "") -> None:
        self.seen_id = id
        self.code = code
        self.note = note
        self.log: list[str] = []

    class Poked(Aggregate.Event):
        what: str

        def apply(self, aggregate: Any) -> None:
            aggregate.log.append(self.what)

    def poke(self, what: str) -> None:
        self.trigger_event(self.Poked, what=what)

    @event("Renamed")
    def rename(self, code: str, reason: str = "none") -> None:
        self.code = code
        self.log.append(reason)


def _history() -> History:
    history = History("bac-kan", "member", "dv-1", META)
    for year in (2023, 2024, 2025):
        history.record_rating("An", "cdcs-1", year, "excellent", META)
    history.record_discipline("An", "cdcs-1", 2025, "review", date(2025, 5, 1), META)
    history.note_grant("g-1", "ldtt", 2025, "federation", "", META)
    history.note_revocation("g-1", META)
    history.note_cancellation("g-1", META)
    return history


def _nomination() -> Nomination:
    verdict = {"eligible": True, "clauses": [{"clause": "a", "passed": True}]}
    nomination = Nomination(
        "bac-kan",
        "n",
        "member",
        "dv-1",
        "An",
        "cdcs-1",
        ["cdcs-1"],
        "ldtt",
        "LĐTT",
        "federation",
        2025,
        "cdcs-1",
        "",
        True,
        verdict,
        False,
        META,
    )
    nomination.withdraw(META)
    return nomination


def _mentions() -> Mentions:
    aggregate = Mentions(id=uuid4(), code="a", note="n")
    aggregate.poke("x")
    aggregate.rename(code="b")
    aggregate.rename(code="c", reason="typo")
    aggregate.poke("y")
    return aggregate


def _library(events: list[Any]) -> Any:
    aggregate = None
    for e in events:
        aggregate = e.mutate(aggregate)
    return aggregate


@pytest.mark.parametrize(
    "make", [_history, _nomination, _mentions], ids=["history", "nomination", "mentions"]
)
def test_the_same_aggregate_as_the_library_rebuilds(make: Any) -> None:
    events = make().collect_events()
    slow, fast = _library(events), fast_replay.fold(events)
    assert type(fast) is type(slow)
    assert list(vars(fast).items()) == list(vars(slow).items())
    assert fast_replay.fold(events[:1]).version == 1 and fast_replay.fold([]) is None


def test_an_event_out_of_sequence_is_refused_as_the_library_refuses_it() -> None:
    events = _history().collect_events()
    with pytest.raises(OriginatorVersionError):
        fast_replay.fold([events[0], events[2]])
    other = History("bac-kan", "member", "dv-2", META).collect_events()
    with pytest.raises(OriginatorIDError):
        fast_replay.fold([other[0], events[1]])


def test_a_rebuilt_aggregate_goes_on_as_the_library_s() -> None:
    history = fast_replay.fold(_history().collect_events())
    assert isinstance(history, History)
    history.record_rating("An", "cdcs-1", 2026, "good", META)
    (new,) = history.collect_events()
    assert new.originator_version == 9 and history.ratings[2026] == "good"


def test_only_plain_events_are_folded_without_mutate() -> None:
    fast_replay.fold(_mentions().collect_events())
    assert fast_replay._folds[Mentions.Poked] is None  # its own apply: the library's mutate
    assert fast_replay._folds[Mentions.Renamed] is not None
    assert fast_replay._folds[Mentions.Started] is fast_replay._created
