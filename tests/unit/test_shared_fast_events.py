"""shared.store.fast_events (how awards' nominations are created and histories record ratings and
discipline) builds exactly what the library's `cls(**kwargs)` and decorated methods build: the
same events, field by field and in order, the same aggregates, the same stored bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing import domain

from services.awards.application.app import AwardsApplication
from services.awards.domain.history import History, opened
from services.awards.domain.nominations import Nomination
from shared.kernel.settings import AwardsSettings
from shared.store.fast_events import Creation, Triggering

AT = datetime(2026, 11, 23, 23, 59, 1, 2, tzinfo=UTC)
META = {"actor": "a", "scope": "*", "request_id": "r", "correlation_id": "c", "causation_id": ""}
SUBMITTED: dict[str, Any] = {
    "federation": "bac-kan",
    "nomination": "n-1",
    "subject_kind": "member",
    "subject_code": "dv-000001",
    "subject_name": "Nguyễn Văn An",
    "unit": "cdcs-00001",
    "unit_path": ["cd-001", "cdcs-00001"],
    "award": "ldtt",
    "award_name": "Lao động tiên tiến",
    "level": "federation",
    "year": 2025,
    "nominated_by": "cdcs-00001",
    "grounds": "",
    "eligible": True,
    "verdict": {"eligible": True, "clauses": [{"clause": "a", "passed": True, "facts": {"years": [2025]}}]},
    "upward": False,
    "meta": META,
}
HISTORY = {"federation": "bac-kan", "subject_kind": "member", "subject_code": "dv-000001", "meta": META}
RATED = {
    "federation": "bac-kan",
    "subject_kind": "member",
    "subject_code": "dv-000001",
    "subject_name": "Nguyễn Văn An",
    "unit": "cdcs-00001",
    "year": 2025,
    "rating": "excellent",
    "meta": META,
}
DISCIPLINED = {
    **{k: v for k, v in RATED.items() if k != "rating"},
    "level": "review",
    "decided_on": date(2025, 5, 1),
}


def _mapper() -> Any:
    return AwardsApplication(AwardsSettings(database_url="memory://")).mapper


def _state(aggregate: Any) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in vars(aggregate).items() if k != "_pending_events"]


@pytest.mark.parametrize(
    "kwargs",
    [SUBMITTED, {**SUBMITTED, "attempt": 2, "period": {"kind": "school-year", "from": 2024, "to": 2025}}],
    ids=["defaults", "all"],
)
def test_a_nomination_is_created_as_the_library_creates_it(
    kwargs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    slow = Nomination(**kwargs)
    fast = Creation(Nomination, "Submitted")(**dict(reversed(kwargs.items())))  # keywords in any order
    assert type(fast) is Nomination and _state(fast) == _state(slow)
    (slow_event,), (fast_event,) = slow.collect_events(), fast.collect_events()
    assert type(fast_event) is type(slow_event)
    assert list(vars(fast_event).items()) == list(vars(slow_event).items())
    mapper = _mapper()
    assert mapper.to_stored_event(fast_event) == mapper.to_stored_event(slow_event)


@pytest.mark.parametrize(
    ("method", "event_name", "kwargs"),
    [
        ("_rating_recorded", "RatingRecorded", RATED),
        ("_discipline_recorded", "DisciplineRecorded", DISCIPLINED),
    ],
    ids=["rating", "discipline"],
)
def test_a_history_records_as_the_library_records(
    method: str, event_name: str, kwargs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    slow, fast = History(**HISTORY), History(**HISTORY)
    trigger = Triggering(History, method, event_name)
    getattr(slow, method)(**kwargs)
    trigger(fast, **kwargs)
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT.replace(second=2))
    getattr(slow, method)(**kwargs)  # twice: the second event's version and time
    trigger(fast, **dict(reversed(kwargs.items())))
    assert _state(fast) == _state(slow) and fast.version == slow.version == 3
    slow_events, fast_events = slow.collect_events(), fast.collect_events()
    assert [type(e) for e in fast_events] == [type(e) for e in slow_events]
    assert [list(vars(e).items()) for e in fast_events] == [list(vars(e).items()) for e in slow_events]
    mapper = _mapper()
    assert [mapper.to_stored_event(e) for e in fast_events] == [
        mapper.to_stored_event(e) for e in slow_events
    ]


def test_the_domain_records_through_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """History.record_rating and record_discipline: the events the decorated methods make."""
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    slow, fast = History(**HISTORY), History(**HISTORY)
    slow._rating_recorded(**RATED)
    slow._discipline_recorded(**DISCIPLINED)
    fast.record_rating("Nguyễn Văn An", "cdcs-00001", 2025, "excellent", META)
    fast.record_discipline("Nguyễn Văn An", "cdcs-00001", 2025, "review", date(2025, 5, 1), META)
    assert _state(fast) == _state(slow)
    assert [vars(e) for e in fast.collect_events()] == [vars(e) for e in slow.collect_events()]


def test_missing_or_unknown_arguments_are_refused() -> None:
    create = Creation(Nomination, "Submitted")
    with pytest.raises(TypeError):
        create(**{k: v for k, v in SUBMITTED.items() if k != "unit"})
    with pytest.raises(TypeError):
        create(**SUBMITTED, colour="red")
    history = History(**HISTORY)
    rate = Triggering(History, "_rating_recorded", "RatingRecorded")
    with pytest.raises(TypeError):
        rate(history, **{k: v for k, v in RATED.items() if k != "year"})
    with pytest.raises(TypeError):
        rate(history, **RATED, colour="red")
    assert history.version == 1 and not history.pending_events[1:]
    with pytest.raises(TypeError):
        Triggering(History, "record_rating", "RatingRecorded")  # not a decorated method


def test_a_history_is_opened_as_the_library_opens_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    slow, fast = History(**HISTORY), opened(**dict(reversed(HISTORY.items())))
    assert type(fast) is History and _state(fast) == _state(slow)
    (slow_event,), (fast_event,) = slow.collect_events(), fast.collect_events()
    assert type(fast_event) is type(slow_event)
    assert list(vars(fast_event).items()) == list(vars(slow_event).items())
    mapper = _mapper()
    assert mapper.to_stored_event(fast_event) == mapper.to_stored_event(slow_event)
