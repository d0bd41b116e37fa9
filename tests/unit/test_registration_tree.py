"""The organisation tree with effective dates, on the in-memory store."""

from __future__ import annotations

from datetime import date

import pytest

from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from shared.kernel.errors import Conflict, DomainError, Invalid, NotFound
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context

ROOT = Context(actor="root", scope="*")
BK = Context(actor="staff", scope="bac-kan")
D2020, D2023, D2024, D2025 = date(2020, 1, 1), date(2023, 6, 30), date(2024, 3, 1), date(2025, 7, 1)


def unit(code: str, kind: str, parent: str | None = None, on: date | None = None) -> c.RegisterUnit:
    return c.RegisterUnit(code=code, name=code.upper(), kind=kind, parent=parent, effective_on=on)


@pytest.fixture
def app() -> RegistrationApplication:
    app = RegistrationApplication(
        RegistrationSettings(database_url="memory://"), today=lambda: date(2026, 1, 1)
    )
    for fed in ("bac-kan", "thai-nguyen"):
        app.create_federation(ROOT, c.CreateFederation(code=fed, name=fed))
    for code, kind, parent in (
        ("tp-bac-kan", "upper", None),
        ("h-cho-don", "upper", None),
        ("cdcs-a", "grassroots", "tp-bac-kan"),
        ("cdcs-b", "grassroots", "tp-bac-kan"),
        ("to-1", "collective", "cdcs-a"),
        ("khoi-1", "block", None),
    ):
        app.register_unit(BK, "bac-kan", unit(code, kind, parent, D2020))
    app.register_member(
        BK, "bac-kan", c.RegisterMember(code="dv-1", full_name="Nguyễn Văn An", unit="cdcs-a")
    )
    app.register_unit(ROOT, "thai-nguyen", unit("tp-thai-nguyen", "upper", None, D2020))
    return app


def path(app: RegistrationApplication, fed: str, code: str, on: date) -> tuple[str, list[str]] | None:
    return app.placement(app.unit(fed, code), on)


def test_a_move_takes_its_subtree_and_leaves_the_past_alone(app: RegistrationApplication) -> None:
    app.move_unit(BK, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="h-cho-don", effective_on=D2024))
    assert path(app, "bac-kan", "to-1", D2023) == ("bac-kan", ["tp-bac-kan", "cdcs-a", "to-1"])
    assert path(app, "bac-kan", "to-1", D2024) == ("bac-kan", ["h-cho-don", "cdcs-a", "to-1"])
    placed = app.member_placement(app.member("bac-kan", "dv-1"), D2024)
    assert placed is not None and placed[2] == ["h-cho-don", "cdcs-a"]


def test_a_change_cannot_be_dated_before_the_last_one(app: RegistrationApplication) -> None:
    app.move_unit(BK, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="h-cho-don", effective_on=D2024))
    with pytest.raises(Invalid) as exc:
        app.move_unit(BK, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="tp-bac-kan", effective_on=D2023))
    assert exc.value.errors[0].field == "effective_on"


def test_a_unit_cannot_move_into_its_own_subtree_or_under_a_wrong_kind(app: RegistrationApplication) -> None:
    with pytest.raises(Invalid) as exc:
        app.move_unit(BK, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="to-1", effective_on=D2024))
    assert exc.value.errors[0].field == "to_parent"  # a grassroots union never sits under a collective
    with pytest.raises(Invalid) as exc:
        app.move_unit(BK, "bac-kan", "tp-bac-kan", c.MoveUnit(to_parent="tp-bac-kan", effective_on=D2024))
    assert exc.value.errors[0].field == "to_parent"


def test_a_clerk_moves_only_inside_the_own_subtree(app: RegistrationApplication) -> None:
    clerk = Context(actor="clerk", scope="bac-kan/tp-bac-kan")
    with pytest.raises(NotFound) as hidden:  # another subtree's unit: as one that does not exist
        app.move_unit(clerk, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="h-cho-don", effective_on=D2024))
    with pytest.raises(NotFound) as missing:
        app.move_unit(clerk, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="h-none", effective_on=D2024))
    assert str(hidden.value) == str(missing.value).replace("h-none", "h-cho-don")
    app.move_unit(clerk, "bac-kan", "to-1", c.MoveUnit(to_parent="cdcs-b", effective_on=D2024))


def test_a_merge_hands_members_and_subunits_to_the_successor(app: RegistrationApplication) -> None:
    app.merge_unit(BK, "bac-kan", "cdcs-a", c.MergeUnit(into="cdcs-b", effective_on=D2024))
    assert path(app, "bac-kan", "to-1", D2024) == ("bac-kan", ["tp-bac-kan", "cdcs-b", "to-1"])
    assert path(app, "bac-kan", "cdcs-a", D2024) is None
    assert path(app, "bac-kan", "cdcs-a", D2023) == ("bac-kan", ["tp-bac-kan", "cdcs-a"])
    with pytest.raises(Invalid):
        app.register_member(BK, "bac-kan", c.RegisterMember(code="dv-2", full_name="B", unit="cdcs-a"))
    with pytest.raises(Invalid) as exc:
        app.merge_unit(BK, "bac-kan", "cdcs-b", c.MergeUnit(into="to-1", effective_on=D2025))
    assert exc.value.errors[0].field == "into"


def test_a_dissolved_unit_and_its_subtree_leave_the_tree(app: RegistrationApplication) -> None:
    app.dissolve_unit(BK, "bac-kan", "cdcs-a", c.DissolveUnit(effective_on=D2024))
    assert path(app, "bac-kan", "to-1", D2024) is None
    assert path(app, "bac-kan", "to-1", D2023) is not None
    with pytest.raises(DomainError):
        app.dissolve_unit(BK, "bac-kan", "cdcs-a", c.DissolveUnit(effective_on=D2025))
    assert app.member_placement(app.member("bac-kan", "dv-1"), D2024) is None


def test_a_transferred_member_keeps_the_past(app: RegistrationApplication) -> None:
    app.transfer_member(BK, "bac-kan", "dv-1", c.TransferMember(unit="cdcs-b", effective_on=D2024))
    member = app.member("bac-kan", "dv-1")
    assert member.unit_on(D2023) == "cdcs-a" and member.unit_on(D2024) == "cdcs-b"
    with pytest.raises(Invalid) as exc:
        app.transfer_member(BK, "bac-kan", "dv-1", c.TransferMember(unit="khoi-1", effective_on=D2025))
    assert exc.value.errors[0].field == "unit"
    with pytest.raises(NotFound):
        app.transfer_member(BK, "bac-kan", "dv-1", c.TransferMember(unit="nowhere", effective_on=D2025))


def test_a_member_who_left_is_in_no_unit_afterwards(app: RegistrationApplication) -> None:
    app.member_leaves(BK, "bac-kan", "dv-1", c.MemberLeaves(effective_on=D2024))
    member = app.member("bac-kan", "dv-1")
    assert member.unit_on(D2023) == "cdcs-a" and member.unit_on(D2024) is None
    with pytest.raises(Invalid) as exc:
        app.member_leaves(BK, "bac-kan", "dv-1", c.MemberLeaves(effective_on=D2025))
    assert exc.value.errors[0].field == "code"


def test_federation_merge_hands_the_tree_over_on_its_date(app: RegistrationApplication) -> None:
    top = ["h-cho-don", "khoi-1", "tp-bac-kan"]
    app.merge_federation(ROOT, "bac-kan", c.MergeFederation(into="thai-nguyen", effective_on=D2025), top)
    # Thái Nguyên addresses Bắc Kạn's units by code from the merge on; 2023 is unchanged.
    assert path(app, "thai-nguyen", "to-1", D2025) == ("thai-nguyen", ["tp-bac-kan", "cdcs-a", "to-1"])
    assert path(app, "thai-nguyen", "to-1", D2023) == ("bac-kan", ["tp-bac-kan", "cdcs-a", "to-1"])
    assert app.member("thai-nguyen", "dv-1").full_name == "Nguyễn Văn An"
    assert app.federation("bac-kan").merged_into == "thai-nguyen"
    # Thái Nguyên staff work in the merged units; Bắc Kạn takes no new registrations.
    tn = Context(actor="tn", scope="thai-nguyen")
    app.register_unit(tn, "thai-nguyen", unit("cdcs-c", "grassroots", "tp-bac-kan", D2025))
    with pytest.raises(Conflict):
        app.register_unit(BK, "bac-kan", unit("cdcs-d", "grassroots", "tp-bac-kan"))
    with pytest.raises(Conflict):
        app.register_unit(tn, "thai-nguyen", unit("cdcs-a", "grassroots", "tp-bac-kan"))
    with pytest.raises(Invalid):
        app.move_unit(
            BK, "bac-kan", "cdcs-a", c.MoveUnit(to_parent="h-cho-don", effective_on=date(2025, 8, 1))
        )


def test_federation_merge_refuses_a_unit_that_is_not_a_top_unit(app: RegistrationApplication) -> None:
    with pytest.raises(Conflict):
        app.merge_federation(
            ROOT, "bac-kan", c.MergeFederation(into="thai-nguyen", effective_on=D2025), ["cdcs-a"]
        )
    with pytest.raises(Invalid):
        app.merge_federation(ROOT, "bac-kan", c.MergeFederation(into="bac-kan", effective_on=D2025), [])
