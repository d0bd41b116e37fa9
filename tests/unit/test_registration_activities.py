"""Covenants, targets, initiatives and works, on the in-memory store."""

from __future__ import annotations

from datetime import date

import pytest

from services.registration.application import activity_commands as ac
from services.registration.application import commands as c
from services.registration.application.contracts import CONTRACTS
from services.registration.application.service import RegistrationApplication
from shared.kernel.errors import Conflict, Forbidden, Invalid
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context

ROOT = Context(actor="root", scope="*")
CB = Context(actor="staff", scope="cao-bang")
CLERK_A = Context(actor="clerk", scope="cao-bang/tp-cao-bang/cdcs-a")
D = date(2023, 2, 15)


@pytest.fixture
def app() -> RegistrationApplication:
    app = RegistrationApplication(
        RegistrationSettings(database_url="memory://"), today=lambda: date(2023, 12, 31)
    )
    app.create_federation(ROOT, c.CreateFederation(code="cao-bang", name="Cao Bằng"))
    for code, kind, parent in (
        ("tp-cao-bang", "upper", None),
        ("cdcs-a", "grassroots", "tp-cao-bang"),
        ("cdcs-b", "grassroots", "tp-cao-bang"),
        ("cdcs-c", "grassroots", "tp-cao-bang"),
        ("khoi-1", "block", None),
    ):
        app.register_unit(CB, "cao-bang", c.RegisterUnit(code=code, name=code, kind=kind, parent=parent))
    app.register_member(
        CB, "cao-bang", c.RegisterMember(code="dv-1", full_name="Hoàng Văn Bình", unit="cdcs-a")
    )
    return app


def field(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value.errors[0].field)


def covenant(**over: object) -> ac.SignCovenant:
    body = {
        "block": "khoi-1",
        "year": 2023,
        "units": ["cdcs-a", "cdcs-b", "cdcs-c"],
        "signed_on": D,
        "criteria": [{"name": "Chuyên môn", "max_score": 60}, {"name": "Công đoàn", "max_score": 40}],
    }
    return ac.SignCovenant.model_validate({**body, **over})


def test_a_block_signs_scores_and_acclaims(app: RegistrationApplication) -> None:
    app.sign_covenant(CB, "cao-bang", covenant())
    with pytest.raises(Conflict):
        app.sign_covenant(CB, "cao-bang", covenant())
    with pytest.raises(Conflict):  # no leader before the scores
        app.acclaim_leader(CB, "cao-bang", "khoi-1", 2023, ac.AcclaimLeader(units=["cdcs-a"], acclaimed_on=D))
    with pytest.raises(Invalid) as exc:
        app.score_block(
            CB, "cao-bang", "khoi-1", 2023, ac.ScoreBlock(scores=[{"unit": "cdcs-a", "score": 101}])
        )
    assert field(exc) == "scores.0.score"
    with pytest.raises(Invalid) as exc:
        app.score_block(
            CB, "cao-bang", "khoi-1", 2023, ac.ScoreBlock(scores=[{"unit": "tp-cao-bang", "score": 1}])
        )
    assert field(exc) == "scores.0.unit"
    scores = [
        {"unit": "cdcs-a", "score": 95},
        {"unit": "cdcs-b", "score": 90},
        {"unit": "cdcs-c", "score": 80},
    ]
    app.score_block(CB, "cao-bang", "khoi-1", 2023, ac.ScoreBlock.model_validate({"scores": scores}))
    with pytest.raises(Invalid) as exc:
        app.acclaim_leader(CB, "cao-bang", "khoi-1", 2023, ac.AcclaimLeader(units=["khoi-1"], acclaimed_on=D))
    assert field(exc) == "units.0"
    done = app.acclaim_leader(
        CB, "cao-bang", "khoi-1", 2023, ac.AcclaimLeader(units=["cdcs-a"], acclaimed_on=D)
    )
    assert done.body["leaders"] == ["cdcs-a"]


def test_only_a_block_signs_and_only_union_units_sign_in_it(app: RegistrationApplication) -> None:
    with pytest.raises(Invalid) as exc:
        app.sign_covenant(CB, "cao-bang", covenant(block="tp-cao-bang"))
    assert field(exc) == "block"
    with pytest.raises(Invalid) as exc:
        app.sign_covenant(CB, "cao-bang", covenant(signed_on=date(2022, 12, 1)))
    assert field(exc) == "signed_on"
    with pytest.raises(Invalid) as exc:
        app.sign_covenant(CB, "cao-bang", covenant(units=["cdcs-a", "khoi-1"]))
    assert field(exc) == "units.1"
    with pytest.raises(Forbidden):
        app.sign_covenant(CLERK_A, "cao-bang", covenant())


def target(**over: object) -> ac.AssignTarget:
    body = {"unit": "cdcs-a", "programme": "initiatives", "year": 2023, "target": 1800}
    return ac.AssignTarget.model_validate({**body, **over})


def test_targets_come_from_above_and_a_unit_may_raise_its_own(app: RegistrationApplication) -> None:
    assert app.assign_target(CB, "cao-bang", target(assigned_by="tp-cao-bang")).body["assigned"] == 1800
    with pytest.raises(Invalid) as exc:
        app.assign_target(CB, "cao-bang", target(assigned_by="cdcs-b"))
    assert field(exc) == "assigned_by"
    with pytest.raises(Forbidden):  # a grassroots clerk does not assign its own target from above
        app.assign_target(CLERK_A, "cao-bang", target(target=10))
    with pytest.raises(Invalid) as exc:
        app.assign_target(CLERK_A, "cao-bang", target(origin="self", target=1800))
    assert field(exc) == "target"
    raised = app.assign_target(CLERK_A, "cao-bang", target(origin="self", target=1900))
    assert (raised.body["assigned"], raised.body["self"], raised.body["target"]) == (1800, 1900, 1900)


def initiative(**over: object) -> ac.RegisterInitiative:
    body = {
        "code": "sk-1",
        "title": "Sáng kiến",
        "field": "kỹ thuật",
        "benefit_value": 150_000_000,
        "author_kind": "member",
        "author_code": "dv-1",
        "year": 2023,
        "registered_on": "2023-03-01",
    }
    return ac.RegisterInitiative.model_validate({**body, **over})


def test_an_initiative_is_decided_once_by_a_council_of_its_unit(app: RegistrationApplication) -> None:
    registered = app.register_initiative(CLERK_A, "cao-bang", initiative())
    assert registered.body["unit"] == "cdcs-a"
    with pytest.raises(Invalid) as exc:
        app.register_initiative(CB, "cao-bang", initiative(code="sk-2", registered_on="2022-12-01"))
    assert field(exc) == "registered_on"
    decide = ac.DecideInitiative(on=date(2023, 11, 20), council_of="cdcs-b")
    with pytest.raises(Invalid) as exc:
        app.decide_initiative(CB, "cao-bang", "sk-1", "recognise", decide)
    assert field(exc) == "council_of"
    with pytest.raises(Invalid) as exc:
        app.decide_initiative(
            CB, "cao-bang", "sk-1", "reject", ac.DecideInitiative(on=D, council_of="cdcs-a")
        )
    assert field(exc) == "on"  # before it was registered
    ok = ac.DecideInitiative(on=date(2023, 11, 20), council_of="tp-cao-bang", benefit_value=120_000_000)
    result = app.decide_initiative(CB, "cao-bang", "sk-1", "recognise", ok)
    assert result.body["state"] == "recognised" and result.body["benefit_value"] == 120_000_000
    with pytest.raises(Conflict):
        app.decide_initiative(
            CB, "cao-bang", "sk-1", "reject", ac.DecideInitiative(**{**ok.model_dump(), "reason": "x"})
        )
    app.register_initiative(CB, "cao-bang", initiative(code="sk-3"))
    with pytest.raises(Invalid) as exc:
        app.decide_initiative(
            CB, "cao-bang", "sk-3", "reject", ac.DecideInitiative(on=D.replace(month=6), council_of="cdcs-a")
        )
    assert field(exc) == "reason"


def test_a_work_is_completed_then_plaqued(app: RegistrationApplication) -> None:
    work = {
        "code": "ct-1",
        "name": "Nhà văn hoá",
        "unit": "tp-cao-bang",
        "value": 1_200_000_000,
        "occasion": "Đại hội XII",
        "year": 2023,
        "registered_on": "2023-03-01",
    }
    app.register_work(CB, "cao-bang", ac.RegisterWork.model_validate(work))
    with pytest.raises(Conflict):
        app.advance_work(CB, "cao-bang", "ct-1", "plaque", ac.WorkStep(on=date(2023, 9, 1)))
    with pytest.raises(Invalid) as exc:
        app.advance_work(CB, "cao-bang", "ct-1", "complete", ac.WorkStep(on=date(2023, 2, 1)))
    assert field(exc) == "on"
    app.advance_work(CB, "cao-bang", "ct-1", "complete", ac.WorkStep(on=date(2023, 9, 1)))
    assert (
        app.advance_work(CB, "cao-bang", "ct-1", "plaque", ac.WorkStep(on=date(2023, 9, 2))).body["state"]
        == "plaqued"
    )
    with pytest.raises(Invalid) as exc:
        app.register_work(
            CB, "cao-bang", ac.RegisterWork.model_validate({**work, "code": "ct-2", "unit": "khoi-1"})
        )
    assert field(exc) == "unit"


def test_published_payloads_follow_the_contract(app: RegistrationApplication) -> None:
    """docs/events.md: each event's data has exactly these fields."""
    app.sign_covenant(CB, "cao-bang", covenant())
    app.score_block(
        CB,
        "cao-bang",
        "khoi-1",
        2023,
        ac.ScoreBlock.model_validate({"scores": [{"unit": "cdcs-a", "score": 9}]}),
    )
    app.acclaim_leader(CB, "cao-bang", "khoi-1", 2023, ac.AcclaimLeader(units=["cdcs-a"], acclaimed_on=D))
    app.assign_target(CB, "cao-bang", target())
    app.register_initiative(CB, "cao-bang", initiative())
    app.decide_initiative(
        CB, "cao-bang", "sk-1", "recognise", ac.DecideInitiative(on=D.replace(month=5), council_of="cdcs-a")
    )
    app.register_initiative(CB, "cao-bang", initiative(code="sk-2"))
    app.decide_initiative(
        CB,
        "cao-bang",
        "sk-2",
        "reject",
        ac.DecideInitiative(on=D.replace(month=5), council_of="cdcs-a", reason="trùng"),
    )
    app.register_work(
        CB,
        "cao-bang",
        ac.RegisterWork(code="w", name="w", unit="cdcs-a", value=1, occasion="o", year=2023, registered_on=D),
    )
    app.advance_work(CB, "cao-bang", "w", "complete", ac.WorkStep(on=D))
    app.advance_work(CB, "cao-bang", "w", "plaque", ac.WorkStep(on=D))
    app.transfer_member(CB, "cao-bang", "dv-1", c.TransferMember(unit="cdcs-b", effective_on=D))
    app.member_leaves(CB, "cao-bang", "dv-1", c.MemberLeaves(effective_on=D.replace(month=6)))
    app.merge_unit(CB, "cao-bang", "cdcs-c", c.MergeUnit(into="cdcs-b", effective_on=D))
    app.dissolve_unit(CB, "cao-bang", "cdcs-b", c.DissolveUnit(effective_on=D.replace(month=7)))
    expected = {
        "covenant-signed": "block block_name year units criteria signed_on",
        "block-scored": "block year scores",
        "block-leader-acclaimed": "block block_name year units acclaimed_on",
        "target-assigned": "unit unit_name unit_path programme year target origin assigned_by",
        "initiative-registered": "initiative title field benefit_value author_kind author_code author_name "
        "unit unit_path year registered_on",
        "initiative-recognised": "initiative title author_kind author_code unit unit_path year benefit_value "
        "recognised_on recognised_by",
        "initiative-rejected": "initiative author_kind author_code unit year rejected_on reason",
        "work-registered": "work name unit unit_path value occasion year registered_on",
        "work-completed": "work name unit unit_path value year completed_on",
        "work-plaqued": "work name unit unit_path value year plaqued_on",
        "member-transferred": "code full_name from_unit unit unit_path effective_on",
        "member-left": "code full_name unit effective_on",
        "unit-merged": "code into effective_on",
        "unit-dissolved": "code effective_on",
    }
    seen: dict[str, set[str]] = {}
    for notification in app.recorder.select_notifications(start=1, limit=1000):
        domain_event = app.mapper.to_domain_event(notification)
        envelope = CONTRACTS.envelope(domain_event, notification.id)
        if envelope is not None:
            seen[envelope["type"].split(".")[2]] = set(envelope["data"])
    for name, fields in expected.items():
        assert seen[name] == {"federation", *fields.split()}, name
