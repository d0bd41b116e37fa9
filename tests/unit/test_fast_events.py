"""Creation and Triggering (how units, members, initiatives, works and targets are created and changed) build
exactly what the library's `cls(**kwargs)` and decorated methods build: the same events, field by
field and in order, the same aggregates, the same stored bytes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing import domain
from eventsourcing.domain import Aggregate, event

from services.registration.application.service import RegistrationApplication
from services.registration.domain.members import Member
from services.registration.domain.organisation import Unit
from services.registration.domain.programmes import Initiative, Target, Work
from shared.kernel.settings import RegistrationSettings
from shared.store.fast_events import Creation, Triggering

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
    (
        Unit,
        "Registered",
        {"federation": "bac-kan", "code": "cdcs-00001", "name": "CĐCS Trường A", "kind": "grassroots"}
        | {"parent": "cd-001", "ancestry": ["cd-001", "cdcs-00001"], "effective_on": None, "meta": META},
    ),
    (
        Unit,
        "Registered",
        {"federation": "bac-kan", "code": "cdcs-a-2025", "name": "CĐCS Trường A", "kind": "grassroots"}
        | {"parent": None, "ancestry": ["cdcs-a-2025"], "effective_on": date(2025, 7, 1), "meta": META}
        | {"former_codes": ("cdcs-a",)},
    ),
    (
        Member,
        "Registered",
        {"federation": "bac-kan", "code": "dv-000001", "full_name": "Nguyễn Văn An", "unit": "cdcs-00001"}
        | {"unit_name": "CĐCS Trường A", "unit_path": ["cd-001", "cdcs-00001"], "meta": META},
    ),
    (
        Member,
        "Registered",
        {"federation": "bac-kan", "code": "dv-000002", "full_name": "Lò Thị Chín", "unit": "cdcs-00001"}
        | {"unit_name": "CĐCS Trường A", "unit_path": ["cdcs-00001"], "meta": META}
        | {"birth_year": 1990, "gender": "female", "position": "Giáo viên"},
    ),
]


@pytest.mark.parametrize("order", ["reversed", "declared"])  # the keywords' order is free
@pytest.mark.parametrize(("cls", "event_name", "kwargs"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_the_same_aggregate_as_the_library_builds(
    cls: type[Aggregate],
    event_name: str,
    kwargs: dict[str, Any],
    order: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    slow = cls(**kwargs)
    create = Creation(cls, event_name)
    given = {name: kwargs[name] for name in create.names if name in kwargs}
    fast = create(**(dict(reversed(given.items())) if order == "reversed" else given))
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


RECOGNISED = {
    "federation": "bac-kan",
    "initiative": "sk-01",
    "title": "Phần mềm quản lý",
    "author_kind": "member",
    "author_code": "dv-000001",
    "unit": "cdcs-00001",
    "unit_path": ["cd-001", "cdcs-00001"],
    "year": 2025,
    "benefit_value": 900_000,
    "recognised_on": date(2025, 11, 20),
    "recognised_by": "cd-001",
    "meta": META,
}
ASSIGNED = {
    "federation": "bac-kan",
    "unit": "cdcs-00001",
    "unit_name": "CĐCS 1",
    "unit_path": ["cd-001", "cdcs-00001"],
    "programme": "works",
    "year": 2025,
    "target": 10,
    "origin": "assigned",
    "assigned_by": "cd-001",
    "meta": META,
}


@pytest.mark.parametrize(
    ("created", "method", "event_name", "kwargs"),
    [(0, "_recognised", "Recognised", RECOGNISED), (2, "_assigned", "Assigned", ASSIGNED)],
    ids=["recognised", "assigned"],
)
def test_the_same_change_as_the_library_makes(
    created: int, method: str, event_name: str, kwargs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    cls, _, init = CASES[created]
    slow, fast = cls(**init), cls(**init)
    trigger = Triggering(cls, method, event_name)
    getattr(slow, method)(**kwargs)
    trigger(fast, **kwargs)
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT.replace(second=2))
    getattr(slow, method)(**kwargs)  # twice: the second event's version and time
    trigger(fast, **dict(reversed(kwargs.items())))  # the keywords' order is free
    without_events = [(k, v) for k, v in vars(slow).items() if k != "_pending_events"]
    assert without_events == [(k, v) for k, v in vars(fast).items() if k != "_pending_events"]
    slow_events, fast_events = slow.collect_events(), fast.collect_events()
    assert [type(e) for e in fast_events] == [type(e) for e in slow_events]
    assert [list(vars(e).items()) for e in fast_events] == [list(vars(e).items()) for e in slow_events]
    assert fast.version == slow.version == 3 and fast.modified_on == slow.modified_on
    app = RegistrationApplication(RegistrationSettings(database_url="memory://"))
    assert [app.mapper.to_stored_event(e) for e in fast_events] == [
        app.mapper.to_stored_event(e) for e in slow_events
    ]


def test_a_change_with_missing_or_unknown_arguments_is_refused() -> None:
    target = Target(**CASES[2][2])
    assign = Triggering(Target, "_assigned", "Assigned")
    with pytest.raises(TypeError):
        assign(target, **{k: v for k, v in ASSIGNED.items() if k != "target"})
    with pytest.raises(TypeError):
        assign(target, **ASSIGNED, colour="red")
    assert target.version == 1 and not target.pending_events[1:]
    with pytest.raises(TypeError):
        Triggering(Target, "assign", "Assigned")  # not a decorated method
