"""Registration's pledge rules on the in-memory store (no PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from shared.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context

STAFF = Context(actor="staff", scope="bac-kan")


@pytest.fixture
def app() -> RegistrationApplication:
    app = RegistrationApplication(
        RegistrationSettings(database_url="memory://"), today=lambda: date(2023, 2, 1)
    )
    app.create_federation(
        Context(actor="root", scope="*"), c.CreateFederation(code="bac-kan", name="Bắc Kạn")
    )
    for code, kind, parent in (
        ("tp-bac-kan", "upper", None),
        ("cdcs-a", "grassroots", "tp-bac-kan"),
        ("cdcs-b", "grassroots", "tp-bac-kan"),
        ("khoi-1", "block", None),
    ):
        app.register_unit(STAFF, "bac-kan", c.RegisterUnit(code=code, name=code, kind=kind, parent=parent))
    app.register_member(
        STAFF, "bac-kan", c.RegisterMember(code="dv-1", full_name="Nguyễn Văn An", unit="cdcs-a")
    )
    app.launch_movement(
        STAFF,
        "bac-kan",
        c.LaunchMovement(
            code="td-2023",
            name="TĐ 2023",
            year=2023,
            awards=["bang-khen-ldld", "ldtt", "ttldtt"],
            registration_deadline=date(2023, 3, 31),
            phases=[c.Phase(name="Đợt 1", starts=date(2023, 1, 31), ends=date(2023, 5, 31))],
        ),
    )
    return app


def pledge(**overrides: object) -> c.RegisterPledge:
    body = {"movement": "td-2023", "award": "ldtt", "subject_kind": "member", "subject_code": "dv-1"}
    return c.RegisterPledge.model_validate({**body, **overrides})


def field_of(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value.errors[0].field)


def test_a_valid_pledge_is_submitted(app: RegistrationApplication) -> None:
    result = app.register_pledge(STAFF, "bac-kan", pledge(phase="Đợt 1"))
    assert result.body["state"] == "submitted" and result.body["unit"] == "cdcs-a"
    assert result.body["submitted_by"] == "cdcs-a" and result.body["pledged_on"] == "2023-02-01"


def test_award_not_open_in_the_movement(app: RegistrationApplication) -> None:
    with pytest.raises(Invalid) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge(award="cstd-co-so"))
    assert field_of(exc) == "award"


def test_subject_kind_must_fit_the_award(app: RegistrationApplication) -> None:
    with pytest.raises(Invalid) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge(award="ttldtt"))
    assert field_of(exc) == "subject_kind"


def test_no_pledge_after_the_deadline(app: RegistrationApplication) -> None:
    app.today = lambda: date(2023, 4, 1)
    with pytest.raises(Invalid) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge())
    assert field_of(exc) == "pledged_on"
    with pytest.raises(Invalid):
        app.register_pledge(STAFF, "bac-kan", pledge(pledged_on="2023-04-01"))
    assert app.register_pledge(STAFF, "bac-kan", pledge(pledged_on="2023-03-31")).status == 201


def test_one_live_pledge_per_subject_award_and_movement(app: RegistrationApplication) -> None:
    first = app.register_pledge(STAFF, "bac-kan", pledge())
    with pytest.raises(Conflict):
        app.register_pledge(STAFF, "bac-kan", pledge())
    app.transition_pledge(STAFF, "bac-kan", first.body["id"], "withdraw", c.PledgeDecision())
    again = app.register_pledge(STAFF, "bac-kan", pledge())
    assert again.body["id"] == first.body["id"] and again.body["state"] == "submitted"


def test_unknown_codes_name_their_field(app: RegistrationApplication) -> None:
    with pytest.raises(NotFound) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge(subject_code="nobody"))
    assert field_of(exc) == "subject_code"
    with pytest.raises(NotFound) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge(movement="nope"))
    assert field_of(exc) == "movement"


def test_a_unit_submits_only_for_its_own_subtree(app: RegistrationApplication) -> None:
    with pytest.raises(Invalid) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge(submitted_by="cdcs-b"))
    assert field_of(exc) == "submitted_by"
    assert app.register_pledge(STAFF, "bac-kan", pledge(submitted_by="tp-bac-kan")).status == 201


def test_a_unit_scoped_clerk_acts_only_inside_its_subtree(app: RegistrationApplication) -> None:
    clerk_b = Context(actor="clerk", scope="bac-kan/tp-bac-kan/cdcs-b")
    with pytest.raises(NotFound) as hidden:  # another subtree's member: as one that does not exist
        app.register_pledge(clerk_b, "bac-kan", pledge())
    with pytest.raises(NotFound) as missing:
        app.register_pledge(clerk_b, "bac-kan", pledge(subject_code="dv-none"))
    assert hidden.value.detail == missing.value.detail.replace("dv-none", "dv-1")
    assert hidden.value.errors == [
        type(e)(e.field, e.message.replace("dv-none", "dv-1")) for e in missing.value.errors
    ]
    clerk_a = Context(actor="clerk", scope="bac-kan/tp-bac-kan/cdcs-a")
    assert app.register_pledge(clerk_a, "bac-kan", pledge()).status == 201


def test_pledge_lifecycle(app: RegistrationApplication) -> None:
    pid = app.register_pledge(STAFF, "bac-kan", pledge()).body["id"]
    returned = app.transition_pledge(STAFF, "bac-kan", pid, "return", c.PledgeDecision(reason="sai tên"))
    assert returned.body["state"] == "returned" and returned.body["return_reason"] == "sai tên"
    with pytest.raises(Conflict):
        app.transition_pledge(STAFF, "bac-kan", pid, "accept", c.PledgeDecision())
    app.transition_pledge(STAFF, "bac-kan", pid, "resubmit", c.PledgeDecision())
    assert (
        app.transition_pledge(STAFF, "bac-kan", pid, "accept", c.PledgeDecision()).body["state"] == "accepted"
    )
    with pytest.raises(Invalid):
        app.transition_pledge(
            STAFF,
            "bac-kan",
            app.register_pledge(STAFF, "bac-kan", pledge(award="bang-khen-ldld")).body["id"],
            "return",
            c.PledgeDecision(),
        )


def test_tree_shape_is_checked(app: RegistrationApplication) -> None:
    with pytest.raises(Invalid) as exc:
        app.register_unit(
            STAFF, "bac-kan", c.RegisterUnit(code="x", name="x", kind="grassroots", parent="khoi-1")
        )
    assert field_of(exc) == "parent"
    with pytest.raises(Invalid):
        app.register_member(STAFF, "bac-kan", c.RegisterMember(code="dv-2", full_name="B", unit="khoi-1"))


def test_names_are_stored_in_nfc() -> None:
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed with combining marks
    assert c.RegisterMember(code="x", full_name=decomposed, unit="u").full_name == "Nguyễn"


def test_the_subject_belongs_to_the_unit_it_was_in_on_the_pledge_date(app: RegistrationApplication) -> None:
    app.transfer_member(
        STAFF, "bac-kan", "dv-1", c.TransferMember(unit="cdcs-b", effective_on=date(2023, 1, 20))
    )
    before = app.register_pledge(STAFF, "bac-kan", pledge(pledged_on="2023-01-10"))
    assert before.body["unit"] == "cdcs-a" and before.body["unit_path"] == ["tp-bac-kan", "cdcs-a"]
    with pytest.raises(Invalid) as exc:  # on 2023-01-25 cdcs-a no longer submits for dv-1
        app.register_pledge(STAFF, "bac-kan", pledge(award="bang-khen-ldld", submitted_by="cdcs-a"))
    assert field_of(exc) == "submitted_by"
    app.member_leaves(STAFF, "bac-kan", "dv-1", c.MemberLeaves(effective_on=date(2023, 1, 30)))
    with pytest.raises(Invalid) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge(award="bang-khen-ldld"))
    assert field_of(exc) == "subject_code"


def test_a_movement_launched_by_a_unit_takes_pledges_only_from_its_subtree(
    app: RegistrationApplication,
) -> None:
    app.launch_movement(
        STAFF,
        "bac-kan",
        c.LaunchMovement(
            code="td-a",
            name="A",
            year=2023,
            awards=["ldtt"],
            registration_deadline=date(2023, 3, 31),
            launched_by="cdcs-b",
        ),
    )
    with pytest.raises(Invalid) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge(movement="td-a"))
    assert field_of(exc) == "subject_code"


def test_a_closed_movement_takes_no_pledges(app: RegistrationApplication) -> None:
    with pytest.raises(Forbidden):
        app.close_movement(Context(actor="clerk", scope="bac-kan/tp-bac-kan"), "bac-kan", "td-2023")
    app.close_movement(STAFF, "bac-kan", "td-2023")
    with pytest.raises(Invalid) as exc:
        app.register_pledge(STAFF, "bac-kan", pledge())
    assert field_of(exc) == "movement"
    with pytest.raises(Conflict):
        app.close_movement(STAFF, "bac-kan", "td-2023")
