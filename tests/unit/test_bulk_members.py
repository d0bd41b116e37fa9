"""A pledge reads its member as facts folded from the stored events (MemberFacts.fold), not as the
rebuilt aggregate: both must agree on every history (transfers, leavers, merged, dissolved and
moved units, federation merges) and date, and the fold must step aside for anything it does not
handle exactly as Member does."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from services.registration.application import commands as c
from services.registration.application.reads import Reads
from services.registration.application.service import RegistrationApplication
from services.registration.domain.members import Member, MemberFacts
from shared.kernel.errors import DomainError
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context

ROOT = Context(actor="root", scope="*")
TODAY = date(2023, 12, 31)
DATES = [
    date(2023, 1, 1),
    date(2023, 3, 1),
    date(2023, 4, 30),
    date(2023, 5, 1),
    date(2023, 5, 15),
    date(2023, 5, 31),
    date(2023, 6, 1),
    date(2023, 6, 2),
    date(2023, 7, 1),
    date(2023, 8, 1),
    date(2023, 9, 1),
    date(2023, 10, 1),
    date(2023, 10, 2),
    date(2023, 11, 1),
    date(2023, 12, 31),
]
MEMBERS = {
    "bac-kan": ["dv-stay", "dv-moved", "dv-twice", "dv-left", "dv-moved-left", "dv-merged", "dv-dissolved"],
    "cao-bang": ["cb-1", "cb-2", "cb-left"],
}


def build() -> RegistrationApplication:
    """One data set, built the same way each time (the ids are business keys)."""
    app = RegistrationApplication(RegistrationSettings(database_url="memory://"), today=lambda: TODAY)
    for fed in ("bac-kan", "cao-bang"):
        app.create_federation(ROOT, c.CreateFederation(code=fed, name=fed))
    units = (
        ("bac-kan", "tp", "upper", None),
        ("bac-kan", "tp2", "upper", None),
        ("bac-kan", "cdcs-a", "grassroots", "tp"),
        ("bac-kan", "cdcs-b", "grassroots", "tp"),
        ("bac-kan", "cdcs-c", "grassroots", "tp"),
        ("bac-kan", "cdcs-d", "grassroots", "tp2"),
        ("bac-kan", "cdcs-e", "grassroots", "tp"),
        ("cao-bang", "cb-top", "upper", None),
        ("cao-bang", "cb-a", "grassroots", "cb-top"),
    )
    for fed, code, kind, parent in units:
        app.register_unit(ROOT, fed, c.RegisterUnit(code=code, name=f"Tên {code}", kind=kind, parent=parent))
    homes = {
        "dv-stay": "cdcs-a",
        "dv-moved": "cdcs-a",
        "dv-twice": "cdcs-a",
        "dv-left": "cdcs-a",
        "dv-moved-left": "cdcs-a",
        "dv-merged": "cdcs-c",
        "dv-dissolved": "cdcs-e",
        "cb-1": "cb-a",
        "cb-2": "cb-a",
        "cb-left": "cb-a",
    }
    for code, unit in homes.items():
        fed = "cao-bang" if code.startswith("cb") else "bac-kan"
        app.register_member(ROOT, fed, c.RegisterMember(code=code, full_name=f"Nguyễn {code}", unit=unit))
    fed = "bac-kan"
    app.transfer_member(ROOT, fed, "dv-moved", c.TransferMember(unit="cdcs-b", effective_on=date(2023, 6, 1)))
    app.transfer_member(ROOT, fed, "dv-twice", c.TransferMember(unit="cdcs-b", effective_on=date(2023, 3, 1)))
    app.transfer_member(ROOT, fed, "dv-twice", c.TransferMember(unit="cdcs-a", effective_on=date(2023, 9, 1)))
    app.member_leaves(ROOT, fed, "dv-left", c.MemberLeaves(effective_on=date(2023, 6, 1)))
    app.transfer_member(
        ROOT, fed, "dv-moved-left", c.TransferMember(unit="cdcs-b", effective_on=date(2023, 4, 30))
    )
    app.member_leaves(ROOT, fed, "dv-moved-left", c.MemberLeaves(effective_on=date(2023, 8, 1)))
    app.dissolve_unit(ROOT, fed, "cdcs-e", c.DissolveUnit(effective_on=date(2023, 5, 1)))
    app.move_unit(ROOT, fed, "cdcs-b", c.MoveUnit(to_parent="tp2", effective_on=date(2023, 5, 15)))
    app.merge_unit(ROOT, fed, "cdcs-c", c.MergeUnit(into="cdcs-d", effective_on=date(2023, 7, 1)))
    app.member_leaves(ROOT, "cao-bang", "cb-left", c.MemberLeaves(effective_on=date(2023, 9, 1)))
    app.merge_federation(
        ROOT, "cao-bang", c.MergeFederation(into="bac-kan", effective_on=date(2023, 10, 1)), ["cb-top"]
    )
    app.transfer_member(ROOT, fed, "cb-1", c.TransferMember(unit="cdcs-a", effective_on=date(2023, 11, 1)))
    app.launch_movement(
        ROOT,
        fed,
        c.LaunchMovement(
            code="td-2023",
            name="TĐ 2023",
            year=2023,
            awards=["ldtt", "cstd-co-so"],
            registration_deadline=TODAY,
        ),
    )
    return app


@pytest.fixture(scope="module")
def app() -> RegistrationApplication:
    return build()


def stored(app: RegistrationApplication, home: str, code: str) -> list[StoredEvent]:
    return list(app.recorder.select_events(Member.id_for(home, code)))  # type: ignore[attr-defined]


def facts_of(app: RegistrationApplication, events: list[StoredEvent]) -> MemberFacts | None:
    return app.kept_facts.fold(events)


def rebuilt(app: RegistrationApplication, events: list[StoredEvent]) -> Member:
    member = app._rebuild(events)
    assert isinstance(member, Member)
    return member


def all_members() -> list[tuple[str, str]]:
    return [(home, code) for home, codes in MEMBERS.items() for code in codes]


@pytest.mark.parametrize(("home", "code"), all_members())
def test_the_facts_are_the_members_own(app: RegistrationApplication, home: str, code: str) -> None:
    events = stored(app, home, code)
    facts = facts_of(app, events)
    member = rebuilt(app, events)
    assert facts is not None
    assert (facts.federation, facts.code, facts.full_name) == (
        member.federation,
        member.code,
        member.full_name,
    )
    assert list(facts.placements) == member.placements and facts.left_on == member.left_on
    for on in DATES:
        assert facts.unit_on(on) == member.unit_on(on), on


@pytest.mark.parametrize(("home", "code"), all_members())
def test_placements_agree_on_every_date(app: RegistrationApplication, home: str, code: str) -> None:
    events = stored(app, home, code)
    facts, member = facts_of(app, events), rebuilt(app, events)
    assert facts is not None
    for on in DATES:
        with app.memoised():
            slow = app.member_placement(member, on)
        with app.memoised(Reads(placed={})):
            fast = app.member_placement(facts, on)
            again = app.member_placement(facts, on)
        shown = [None if p is None else (p[0].code, p[1], p[2]) for p in (slow, fast, again)]
        assert shown[0] == shown[1] == shown[2], (code, on)


def reference_member_placement(app: RegistrationApplication, member: Any, on: date) -> Any:
    """member_placement as it was: no facts, no kept placements."""
    unit_code = member.unit_on(on)
    if unit_code is None:
        return None
    unit = app.unit(member.federation, unit_code)
    placed = app.placement(unit, on)
    return None if placed is None else (unit, placed[0], placed[1])


def rows() -> list[tuple[int, dict[str, Any]]]:
    out = []
    for fed in ("bac-kan", "cao-bang"):
        for code in MEMBERS[fed] + ["dv-nobody"]:
            for on in DATES:
                for award in ("ldtt", "cstd-co-so"):
                    out.append(
                        {
                            "movement": "td-2023",
                            "award": award,
                            "subject_kind": "member",
                            "subject_code": code,
                            "pledged_on": on.isoformat(),
                            "submitted_by": "cdcs-a" if on.day == 1 else None,
                        }
                    )
    # Each (member, award) once per list: a second row of the same key is refused as a duplicate.
    return list(enumerate(out, start=1))


def outcome(app: RegistrationApplication, federation: str, row: dict[str, Any]) -> Any:
    fields = {k: v for k, v in row.items() if v is not None}
    try:
        with app.memoised(Reads(placed={})):
            pledge = app.prepare_pledge(ROOT, federation, c.RegisterPledge.model_validate(fields))
    except DomainError as exc:
        return type(exc).__name__, exc.detail, [e.as_dict() for e in exc.errors]
    return pledge.as_dict()


def test_every_pledge_rule_decides_as_with_the_aggregate(
    app: RegistrationApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = {(fed, n): outcome(app, fed, row) for fed in ("bac-kan", "cao-bang") for n, row in rows()}
    monkeypatch.setattr(app.tree, "member_facts", app.tree.member)
    monkeypatch.setattr(app.tree, "member_placement", lambda m, on: reference_member_placement(app, m, on))
    slow = {(fed, n): outcome(app, fed, row) for fed in ("bac-kan", "cao-bang") for n, row in rows()}
    assert fast == slow
    accepted = sum(1 for v in fast.values() if isinstance(v, dict))
    refused = {v[2][0]["field"] for v in fast.values() if not isinstance(v, dict) and v[2]}
    assert accepted > 50 and {"subject_code", "submitted_by"} <= refused


def test_a_list_is_answered_as_with_the_aggregate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole list, stored, against the same list through the aggregate on a twin data set."""
    fast_app, slow_app = build(), build()
    monkeypatch.setattr(slow_app.tree, "member_facts", slow_app.tree.member)
    monkeypatch.setattr(
        slow_app.tree, "member_placement", lambda m, on: reference_member_placement(slow_app, m, on)
    )
    listed = [(n, {k: v for k, v in row.items() if v is not None}) for n, row in rows()]
    answers = []
    for one in (fast_app, slow_app):
        result = one.register_pledges(ROOT, "bac-kan", listed, "keep-good-rows")
        answers.append(result.body)
    assert answers[0] == answers[1]
    assert 0 < answers[0]["accepted"] < answers[0]["rows"]


# -- what the fold leaves to the aggregate ------------------------------------------------------


def edited(event: StoredEvent, change: Callable[[dict[str, Any]], Any], **fields: Any) -> StoredEvent:
    state = json.loads(event.state)
    change(state)
    return StoredEvent(
        originator_id=fields.get("originator_id", event.originator_id),
        originator_version=fields.get("originator_version", event.originator_version),
        topic=fields.get("topic", event.topic),
        state=json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(),
    )


def test_the_legacy_topic_is_folded(app: RegistrationApplication) -> None:
    events = stored(app, "bac-kan", "dv-twice")
    legacy = [
        edited(
            events[0], lambda s: None, topic="services.registration.domain.organisation:Member.Registered"
        ),
        *events[1:],
    ]
    facts, member = facts_of(app, legacy), rebuilt(app, legacy)
    assert facts is not None and list(facts.placements) == member.placements


def nothing(state: dict[str, Any]) -> None:
    pass


CASES: dict[str, Callable[[list[StoredEvent]], list[StoredEvent]]] = {
    "a date in the meta": lambda ev: [
        edited(ev[0], lambda s: s["meta"].update(on={"_type_": "date_iso", "_data_": "2023-01-01"})),
        *ev[1:],
    ],
    "an escaped key": lambda ev: [edited(ev[0], lambda s: s["meta"].update(x="\u0001")), *ev[1:]],
    "an upcast": lambda ev: [edited(ev[0], lambda s: s.update(class_version=2)), *ev[1:]],
    "a missing argument": lambda ev: [edited(ev[0], lambda s: s.pop("unit_name")), *ev[1:]],
    "a gap": lambda ev: [ev[0], edited(ev[1], nothing, originator_version=3)],
    "no registration first": lambda ev: ev[1:],
    "two registrations": lambda ev: [ev[0], edited(ev[0], nothing, originator_version=2)],
    "an unknown event": lambda ev: [ev[0], edited(ev[1], nothing, topic="services.nowhere:Member.Moved")],
    "a datetime as the effective date": lambda ev: [
        ev[0],
        edited(
            ev[1], lambda s: s.update(effective_on={"_type_": "datetime_iso", "_data_": "2023-06-01T00:00"})
        ),
    ],
    "a bad date": lambda ev: [
        ev[0],
        edited(ev[1], lambda s: s.update(effective_on={"_type_": "date_iso", "_data_": "2023-13-01"})),
    ],
    "a number as the unit": lambda ev: [edited(ev[0], lambda s: s.update(unit=7)), *ev[1:]],
    "another aggregate": lambda ev: [
        edited(ev[0], lambda s: s.update(originator_topic="services.registration.domain.pledges:Pledge")),
        *ev[1:],
    ],
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_fold_leaves_the_rest_to_the_aggregate(app: RegistrationApplication, case: str) -> None:
    events = CASES[case](stored(app, "bac-kan", "dv-moved"))
    assert facts_of(app, events) is None


def test_a_member_with_unusual_events_is_read_as_the_aggregate() -> None:
    """The fold stepping aside is not a refusal: the aggregate is used (a date in the meta)."""
    app = build()  # nothing kept yet: the edited copy is folded, not found among kept facts
    ident = Member.id_for("bac-kan", "dv-moved")
    events = CASES["a date in the meta"](stored(app, "bac-kan", "dv-moved"))
    with app.memoised() as reads:
        reads.stored[ident] = events
        found = app.member_facts("bac-kan", "dv-moved", "subject_code")
    assert isinstance(found, Member) and found.placements == rebuilt(app, events).placements


def test_facts_kept_between_commands_follow_new_events() -> None:
    app = build()
    ident = Member.id_for("bac-kan", "dv-stay")
    before = app.kept_facts.get(stored(app, "bac-kan", "dv-stay"))
    assert before is not None and app.kept_facts.get(stored(app, "bac-kan", "dv-stay")) is before
    app.transfer_member(
        ROOT, "bac-kan", "dv-stay", c.TransferMember(unit="cdcs-b", effective_on=date(2023, 12, 1))
    )
    after = app.kept_facts.get(stored(app, "bac-kan", "dv-stay"))
    assert after is not None and after is not before and after.unit_on(TODAY) == "cdcs-b"
    assert app.kept_facts.kept.kept[ident][0] == 2
    # An edited copy with the same last version but not the whole history is folded afresh.
    assert app.kept_facts.get(stored(app, "bac-kan", "dv-stay")[1:]) is None
