"""Pledge.register (the bulk list's constructor) builds exactly what Pledge(...) builds: the same
event, field by field and in order, the same aggregate, the same stored bytes."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing import domain

from services.registration.application.service import RegistrationApplication
from services.registration.domain.pledges import Pledge
from shared.kernel.settings import RegistrationSettings

AT = datetime(2026, 11, 23, 23, 59, 1, 2, tzinfo=UTC)


def arguments(**overrides: Any) -> dict[str, Any]:
    return {
        "federation": "bac-kan",
        "movement": "td-2026",
        "movement_name": "Thi đua 2026",
        "year": 2026,
        "phase": None,
        "award": "ldtt",
        "award_name": "Lao động tiên tiến",
        "subject_kind": "member",
        "subject_code": "dv-000001",
        "subject_name": "Nguyễn Văn An",
        "unit": "cdcs-00001",
        "unit_path": ["cd-001", "cdcs-00001"],
        "submitted_by": "cd-001",
        "pledged_on": date(2026, 11, 1),
        "meta": {"actor": "a", "scope": "*", "request_id": "r", "correlation_id": "c", "causation_id": ""},
        **overrides,
    }


def test_the_parameters_are_inits() -> None:
    init = list(inspect.signature(Pledge.__init__).parameters.values())[1:]
    register = list(inspect.signature(Pledge.register).parameters.values())
    assert [(p.name, p.default) for p in register] == [(p.name, p.default) for p in init]


@pytest.mark.parametrize(
    "overrides",
    [{}, {"phase": "Đợt 1", "subject_kind": "unit", "unit_path": ["a"]}, {"meta": {"reason": "x"}}],
)
def test_the_same_pledge_as_the_library_builds(
    overrides: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(domain, "datetime_now_with_tzinfo", lambda: AT)
    slow = Pledge(**arguments(**overrides))
    fast = Pledge.register(**arguments(**overrides))
    assert type(fast) is Pledge
    without_events = {k: v for k, v in vars(slow).items() if k != "_pending_events"}
    assert list(without_events.items()) == [(k, v) for k, v in vars(fast).items() if k != "_pending_events"]
    (slow_event,), (fast_event,) = slow.collect_events(), fast.collect_events()
    assert type(fast_event) is type(slow_event)
    assert list(vars(fast_event).items()) == list(vars(slow_event).items())
    assert fast_event == slow_event and fast.version == slow.version == 1
    app = RegistrationApplication(RegistrationSettings(database_url="memory://"))
    assert app.mapper.to_stored_event(fast_event) == app.mapper.to_stored_event(slow_event)


def test_missing_or_unknown_arguments_are_refused() -> None:
    args = arguments()
    args.pop("unit")
    with pytest.raises(TypeError):
        Pledge.register(**args)
    with pytest.raises(TypeError):
        Pledge.register(**arguments(colour="red"))
