"""Correction commands on the in-memory store: a compensating event renames the subject, the
folded member facts agree with the rebuilt member, and the published payloads are as documented."""

from __future__ import annotations

from datetime import date

import pytest

from services.registration.application import commands as c
from services.registration.application.contracts import CONTRACTS
from services.registration.application.service import RegistrationApplication
from services.registration.domain.members import Member
from shared.kernel.errors import Invalid
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context

ROOT = Context(actor="root", scope="*", reason="the old import stored a typo")


@pytest.fixture
def app() -> RegistrationApplication:
    app = RegistrationApplication(
        RegistrationSettings(database_url="memory://"), today=lambda: date(2024, 1, 1)
    )
    app.create_federation(ROOT, c.CreateFederation(code="bac-kan", name="Bac Kan"))
    for code, kind, parent in (
        ("tp", "upper", None),
        ("cdcs-a", "grassroots", "tp"),
        ("cdcs-b", "grassroots", "tp"),
    ):
        app.register_unit(ROOT, "bac-kan", c.RegisterUnit(code=code, name=code, kind=kind, parent=parent))
    app.register_member(
        ROOT, "bac-kan", c.RegisterMember(code="dv-1", full_name="Nguyen Van Am", unit="cdcs-a")
    )
    return app


def test_the_folded_member_facts_take_the_corrected_name(app: RegistrationApplication) -> None:
    app.correct_member(ROOT, "bac-kan", "dv-1", c.CorrectMember(full_name="Nguyễn Văn An"))
    app.transfer_member(
        ROOT, "bac-kan", "dv-1", c.TransferMember(unit="cdcs-b", effective_on=date(2023, 6, 1))
    )
    app.correct_member(ROOT, "bac-kan", "dv-1", c.CorrectMember(full_name="Nguyễn Văn Ân"))
    stored = list(app.recorder.select_events(Member.id_for("bac-kan", "dv-1")))  # type: ignore[attr-defined]
    facts = app.kept_facts.fold(stored)
    member = app._rebuild(stored)
    assert isinstance(member, Member) and facts is not None
    assert (facts.full_name, facts.federation, list(facts.placements)) == (
        member.full_name,
        member.federation,
        member.placements,
    )
    assert facts.full_name == "Nguyễn Văn Ân"


def test_a_correction_to_the_same_name_is_refused(app: RegistrationApplication) -> None:
    with pytest.raises(Invalid):
        app.correct_member(ROOT, "bac-kan", "dv-1", c.CorrectMember(full_name="Nguyen Van Am"))


def test_corrections_publish_the_documented_payloads(app: RegistrationApplication) -> None:
    app.correct_member(ROOT, "bac-kan", "dv-1", c.CorrectMember(full_name="Nguyễn Văn An"))
    app.correct_unit(ROOT, "bac-kan", "cdcs-a", c.CorrectName(name="CĐCS A"))
    app.correct_federation(ROOT, "bac-kan", c.CorrectName(name="LĐLĐ Bắc Kạn"))
    published = {}
    for notification in app.recorder.select_notifications(start=1, limit=1000):  # type: ignore[attr-defined]
        event = app.mapper.to_domain_event(notification)
        envelope = CONTRACTS.envelope(event, notification.id)
        if envelope is not None and envelope["type"].endswith("-corrected.v1"):
            published[envelope["type"].split(".")[2]] = envelope["data"]
    assert published == {
        "member-corrected": {
            "federation": "bac-kan",
            "home": "bac-kan",
            "code": "dv-1",
            "full_name": "Nguyễn Văn An",
            "birth_year": None,
            "gender": None,
            "position": None,
            "corrected": ["full_name"],
            "reason": "the old import stored a typo",
        },
        "unit-corrected": {
            "federation": "bac-kan",
            "home": "bac-kan",
            "code": "cdcs-a",
            "name": "CĐCS A",
            "reason": "the old import stored a typo",
        },
        "federation-corrected": {
            "federation": "bac-kan",
            "name": "LĐLĐ Bắc Kạn",
            "reason": "the old import stored a typo",
        },
    }
