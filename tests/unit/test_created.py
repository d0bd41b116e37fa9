"""Creation (the bulk lists' constructor of initiatives, works and targets) builds exactly what
the library's `cls(**kwargs)` builds: the same event, field by field and in order, the same
aggregate, the same stored bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing import domain
from eventsourcing.domain import Aggregate, event

from services.registration.application.service import RegistrationApplication
from services.registration.domain.created import Creation
from services.registration.domain.programmes import Initiative, Target, Work
from shared.kernel.settings import RegistrationSettings

AT = datetime(2026, 11, 23, 23, 59, 1, 2, tzinfo=UTC)
META = {"actor": "a", "scope": "*", "request_id": "r", "correlation_id": "c", "causation_id": ""}
CASES: list[tuple[type[Aggregate], str, dict[str, Any]]] = [
    (
        Initiative,
        "Registered",
        {
            "federation": "bac-kan",
            "initiative": "sk-01",
            "title": "Phần mềm quản lý",
            "field": "Kỹ thuật",
            "benefit_value": 1_000_000,
            "author_kind": "member",
            "author_code": "dv-000001",
            "author_name": "Nguyễn Văn An",
            "unit": "cdcs-00001",
            "unit_path": ["cd-001", "cdcs-00001"],
            "year": 2025,
            "registered_on": date(2025, 3, 1),
            "meta": META,
        },
    ),
    (
        Work,
        "Registered",
        {
            "federation": "bac-kan",
            "work": "ct-01",
            "name": "Nhà văn hoá",
            "unit": "cdcs-00001",
            "unit_path": ["cd-001", "cdcs-00001"],
            "value": 500_000_000,
            "occasion": "Đại hội XII",
            "year": 2025,
            "registered_on": date(2025, 3, 1),
            "meta": {**META, "reason": "x"},
        },
    ),
    (
        Target,
        "Opened",
        {"federation": "bac-kan", "unit": "cdcs-00001", "programme": "works", "year": 2025, "meta": META},
    ),
]


@pytest.mark.parametrize(("cls", "event_name", "kwargs"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_the_same_aggregate_as_the_library_builds(
    cls: type[Aggregate], event_name: str, kwargs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    slow = cls(**kwargs)
    fast = Creation(cls, event_name)(**dict(reversed(kwargs.items())))  # the keywords' order is free
    assert type(fast) is cls
    without_events = {k: v for k, v in vars(slow).items() if k != "_pending_events"}
    assert list(without_events.items()) == [(k, v) for k, v in vars(fast).items() if k != "_pending_events"]
    (slow_event,), (fast_event,) = slow.collect_events(), fast.collect_events()
    assert type(fast_event) is type(slow_event)
    assert list(vars(fast_event).items()) == list(vars(slow_event).items())
    assert fast_event == slow_event and fast.version == slow.version == 1
    app = RegistrationApplication(RegistrationSettings(database_url="memory://"))
    assert app.mapper.to_stored_event(fast_event) == app.mapper.to_stored_event(slow_event)


def test_missing_or_unknown_arguments_are_refused() -> None:
    create = Creation(Work, "Registered")
    args = dict(CASES[1][2])
    args.pop("unit")
    with pytest.raises(TypeError):
        create(**args)
    with pytest.raises(TypeError):
        create(**CASES[1][2], colour="red")


def test_a_class_whose_event_is_not_made_from_its_init_is_refused() -> None:
    class Odd(Aggregate):
        @staticmethod
        def create_id(code: str) -> Any:
            return domain.uuid4()

        @event("Started")
        def __init__(self, code: str, *, note: str = "") -> None:  # a keyword-only parameter
            self.code = code

    with pytest.raises(TypeError):
        Creation(Odd, "Started")
