"""Grouped single pledges read the store after they arrive: a change made a moment earlier by
another process (a unit moved, a member gone, a movement closed) is seen by the next group,
whatever the groups before it read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from shared.kernel.errors import Invalid
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import CommandResult, Context
from tests.support import Isolation

STAFF = Context(actor="staff", scope="bac-kan")
TODAY = date(2023, 2, 1)


@pytest.fixture
def apps(isolation: Isolation) -> Iterator[tuple[RegistrationApplication, RegistrationApplication]]:
    """Two applications on one store, as two API processes would be."""
    settings = isolation.settings(RegistrationSettings)
    here = RegistrationApplication(settings, today=lambda: TODAY)
    there = RegistrationApplication(settings, today=lambda: TODAY)
    there.create_federation(Context(actor="root", scope="*"), c.CreateFederation(code="bac-kan", name="BK"))
    for code, kind, parent in (
        ("tp-1", "upper", None),
        ("tp-2", "upper", None),
        ("cdcs-a", "grassroots", "tp-1"),
    ):
        there.register_unit(STAFF, "bac-kan", c.RegisterUnit(code=code, name=code, kind=kind, parent=parent))
    for i in range(1, 5):
        there.register_member(
            STAFF, "bac-kan", c.RegisterMember(code=f"dv-{i}", full_name=f"Member {i}", unit="cdcs-a")
        )
    there.launch_movement(
        STAFF,
        "bac-kan",
        c.LaunchMovement(
            code="td-2023",
            name="TĐ 2023",
            year=2023,
            awards=["ldtt"],
            registration_deadline=date(2023, 3, 31),
            launched_by="tp-1",
        ),
    )
    yield here, there
    here.close()
    there.close()


def pledge(member: str) -> tuple[Context, str, c.RegisterPledge]:
    body = {"movement": "td-2023", "award": "ldtt", "subject_kind": "member", "subject_code": member}
    return STAFF, "bac-kan", c.RegisterPledge.model_validate(body)


def test_a_unit_moved_by_another_process_is_seen(apps: tuple[RegistrationApplication, ...]) -> None:
    here, there = apps
    (first,) = here.register_pledge_group([pledge("dv-1")])
    assert isinstance(first, CommandResult) and first.body["unit_path"] == ["tp-1", "cdcs-a"]
    there.move_unit(STAFF, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="tp-2", effective_on=TODAY))
    (moved,) = here.register_pledge_group([pledge("dv-2")])
    assert isinstance(moved, Invalid) and "outside the subtree of 'tp-1'" in moved.detail


def test_a_member_gone_and_a_movement_closed_elsewhere_are_seen(
    apps: tuple[RegistrationApplication, ...],
) -> None:
    here, there = apps
    assert all(isinstance(r, CommandResult) for r in here.register_pledge_group([pledge("dv-1")]))
    there.member_leaves(STAFF, "bac-kan", "dv-2", c.MemberLeaves(effective_on=TODAY))
    (left,) = here.register_pledge_group([pledge("dv-2")])
    assert isinstance(left, Invalid) and "in no unit" in left.detail
    there.close_movement(STAFF, "bac-kan", "td-2023")
    (closed,) = here.register_pledge_group([pledge("dv-3")])
    assert isinstance(closed, Invalid) and "closed" in closed.detail


def test_a_pledge_stored_by_another_process_is_a_duplicate(apps: tuple[RegistrationApplication, ...]) -> None:
    here, there = apps
    here.register_pledge_group([pledge("dv-4")])
    (again,) = there.register_pledge_group([pledge("dv-4")])
    assert isinstance(again, Exception) and "already pledged" in str(again)
