"""A movement amended (issue 18) on the in-memory store: the phases pledges name are found by
reading the log event by event, so removing one is refused there too."""

from __future__ import annotations

from datetime import date

import pytest

from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from shared.kernel.errors import Invalid
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context

ROOT = Context(actor="root", scope="*")
PHASES = [
    c.Phase(name="Đợt 1", starts=date(2025, 1, 1), ends=date(2025, 6, 30)),
    c.Phase(name="Đợt 2", starts=date(2025, 7, 1), ends=date(2025, 12, 31)),
]


def test_removing_a_phase_a_pledge_names_is_refused_naming_phases() -> None:
    app = RegistrationApplication(
        RegistrationSettings(database_url="memory://"), today=lambda: date(2026, 1, 1)
    )
    app.create_federation(ROOT, c.CreateFederation(code="bac-kan", name="Bắc Kạn"))
    app.register_unit(ROOT, "bac-kan", c.RegisterUnit(code="cdcs-a", name="A", kind="grassroots"))
    launch = c.LaunchMovement(
        code="td-2025", name="TĐ 2025", year=2025, phases=PHASES, registration_deadline=date(2025, 12, 31)
    )
    app.launch_movement(ROOT, "bac-kan", launch)
    pledge = {"movement": "td-2025", "subject_kind": "unit", "subject_code": "cdcs-a", "phase": "Đợt 2"}
    app.register_pledge(ROOT, "bac-kan", c.RegisterPledge(**pledge, pledged_on=date(2025, 3, 1)))
    with pytest.raises(Invalid) as refused:
        app.amend_movement(ROOT, "bac-kan", "td-2025", c.AmendMovement(phases=PHASES[:1], reason="gộp đợt"))
    assert [e.field for e in refused.value.errors] == ["phases"]
    done = app.amend_movement(
        ROOT, "bac-kan", "td-2025", c.AmendMovement(phases=PHASES[1:], reason="bỏ đợt 1")
    )
    assert [p["name"] for p in done.body["phases"]] == ["Đợt 2"]
