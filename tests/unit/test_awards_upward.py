"""Nominations that go upward keep their link; one decision granting dependent titles."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from shared.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from shared.kernel.settings import AwardsSettings
from shared.store.eventstore import Context
from tests.unit.test_awards_cycle import (
    STAFF,
    SUBJECTS,
    F,
    convene,
    decide,
    import_grant,
    nominate,
    rate,
    vote,
)


@pytest.fixture
def app() -> AwardsApplication:
    return AwardsApplication(AwardsSettings(database_url="memory://"), today=lambda: date(2025, 12, 10))


def pass_council(app: AwardsApplication, nominations: list[str], code: str = "hd-2025") -> None:
    convene(app, nominations, code=code, members=[{"user": f"u{i}", "name": str(i)} for i in range(10)])
    for i in range(10):
        for n in nominations:
            vote(app, code, f"u{i}", n)
    app.resolve_council(STAFF, F, code)


def test_ldtt_earlier_in_the_same_decision_is_the_basis_of_cstd(app: AwardsApplication) -> None:
    rate(app, "dv-1", {2025: "excellent"})
    ldtt, cstd = nominate(app, "dv-1", "ldtt"), nominate(app, "dv-1", "cstd-co-so")
    assert ldtt["eligible"] and not cstd["eligible"]
    pass_council(app, [ldtt["id"], cstd["id"]])
    with pytest.raises(Invalid) as exc:
        decide(app, "7/QĐ", [{"nomination": cstd["id"]}, {"nomination": ldtt["id"]}])
    assert exc.value.errors[0].message == "fails holds-ldtt"
    decision = decide(app, "7/QĐ", [{"nomination": ldtt["id"]}, {"nomination": cstd["id"]}]).body
    assert [g["award"] for g in decision["grants"]] == ["ldtt", "cstd-co-so"]


def test_a_state_award_is_disclosed_voted_by_secret_ballot_forwarded_and_imported_with_its_link(
    app: AwardsApplication,
) -> None:
    rate(app, "dv-1", {**dict.fromkeys(range(2021, 2026), "good"), 2024: "excellent"})
    import_grant(app, "dv-1", "bang-khen-ttg", 2023)
    for year in (2022, 2024, 2025):
        import_grant(app, "dv-1", "cstd-co-so", year)
    nomination = nominate(app, "dv-1", "huan-chuong-lao-dong-3")
    assert nomination["eligible"] and nomination["upward"] and nomination["level"] == "state"
    app.disclose_nomination(STAFF, F, nomination["id"], c.DiscloseNomination(starts_on=date(2025, 11, 3)))
    pass_council(app, [nomination["id"]])
    council = app.council(F, "hd-2025")
    assert council.secret_ballot and council.agenda[0]["disclosed_before_meeting"] is True
    line = {
        "subject_kind": "member",
        "subject_code": "dv-1",
        "award": "huan-chuong-lao-dong-3",
        "year": 2025,
        "decision_number": "99/QĐ-CTN",
        "decision_date": "2025-12-09",
        "authority": "president",
        "nomination": nomination["id"],
    }
    with pytest.raises(Invalid) as exc:
        app.import_grants(STAFF, F, c.ImportGrants.model_validate({"grants": [line]}), SUBJECTS)
    assert exc.value.errors[0].message == "the nomination was not forwarded upward"
    with pytest.raises(Invalid):
        app.forward_nomination(STAFF, F, nomination["id"], c.ForwardNomination(to="national"))
    app.forward_nomination(STAFF, F, nomination["id"], c.ForwardNomination(to="state"))
    imported = app.import_grants(STAFF, F, c.ImportGrants.model_validate({"grants": [line]}), SUBJECTS)
    assert imported.body["grants"][0]["nomination"] == nomination["id"]


def test_a_withdrawn_nomination_cannot_be_put_to_a_council_or_granted(app: AwardsApplication) -> None:
    rate(app, "dv-1", {2025: "good"})
    nomination = nominate(app, "dv-1", "ldtt")
    withdrawn = app.withdraw_nomination(STAFF, F, nomination["id"]).body
    assert withdrawn["state"] == "withdrawn"
    with pytest.raises(Conflict):
        convene(app, [nomination["id"]])
    with pytest.raises(Conflict):
        app.withdraw_nomination(STAFF, F, nomination["id"])


def test_a_unit_clerk_nominates_only_inside_its_subtree(app: AwardsApplication) -> None:
    other_unit = Context(actor="clerk", scope=f"{F}/tp/cdcs-b")
    with pytest.raises(Invalid) as exc:  # another subtree's member: as one awards never heard of
        app.submit_nomination(
            other_unit,
            F,
            c.SubmitNomination(subject_kind="member", subject_code="dv-1", award="ldtt", year=2025),
            SUBJECTS,
        )
    assert exc.value.detail == f"unknown member 'dv-1' in federation '{F}'"
    own_unit = Context(actor="clerk", scope=f"{F}/tp/cdcs-a")
    cmd = c.SubmitNomination(subject_kind="member", subject_code="dv-1", award="ldtt", year=2025)
    assert app.submit_nomination(own_unit, F, cmd, SUBJECTS).body["nominated_by"] == "cdcs-a"


def test_a_merged_federations_history_stays_with_its_members(app: AwardsApplication) -> None:
    rate(app, "dv-1", dict.fromkeys(range(2021, 2025), "good"))
    import_grant(app, "dv-1", "bang-khen-ubnd-tinh", 2022)
    for year in (2021, 2023):
        import_grant(app, "dv-1", "cstd-co-so", year)
    moved = Context(actor="staff", scope="thai-nguyen")
    subject = dataclasses.replace(SUBJECTS[("member", "dv-1")], formerly=("bac-kan",))
    line = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
    app.record_ratings(
        moved,
        "thai-nguyen",
        c.RecordRatings.model_validate({"ratings": [line]}),
        {("member", "dv-1"): subject},
    )
    v = app.verdict("thai-nguyen", "member", "dv-1", "bang-khen-ttg", 2025, date(2025, 12, 1), subject)
    assert v.failed == ["3-of-5-cstd"]
    assert v.clauses[4].facts_used["run"] == [2021, 2022, 2023, 2024, 2025]
    alone = dataclasses.replace(subject, formerly=())
    lost = app.verdict("thai-nguyen", "member", "dv-1", "bang-khen-ttg", 2025, date(2025, 12, 1), alone)
    assert "holds-provincial-bang-khen" in lost.failed


def test_a_unit_clerk_records_history_only_inside_its_subtree_and_decides_nothing(
    app: AwardsApplication,
) -> None:
    clerk = Context(actor="clerk", scope=f"{F}/tp/cdcs-b")
    line = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"}
    with pytest.raises(Invalid) as exc:
        app.record_ratings(clerk, F, c.RecordRatings.model_validate({"ratings": [line, line]}), SUBJECTS)
    assert [(e.field, e.row) for e in exc.value.errors] == [("subject_code", 1), ("subject_code", 2)]
    with pytest.raises(Invalid) as refused:  # another subtree's member: as one awards never heard of
        app.record_ratings(clerk, F, c.RecordRatings.model_validate({"ratings": [line]}), SUBJECTS, True)
    assert refused.value.detail == f"unknown member 'dv-1' in federation '{F}'"
    lines = [{"subject_kind": "member", "subject_code": "dv-1", "award": "giay-khen"}]
    body = {"number": "1", "signed_on": "2025-12-01", "signer": "X", "year": 2025, "grants": lines}
    cmd = c.IssueDecision.model_validate(body)
    federations = c.IssueDecision.model_validate({**body, "authority": f"ldld:{F}"})
    with pytest.raises(Forbidden):  # a unit issues only its own unit's decisions (unit:<code>)
        app.issue_decision(clerk, F, federations, SUBJECTS)
    assert app.issue_decision(STAFF, F, cmd, SUBJECTS).status == 201


def test_a_federations_own_rule_set_replaces_the_default_from_its_date(app: AwardsApplication) -> None:
    rate(app, "dv-1", {2025: "good"})
    subject = SUBJECTS[("member", "dv-1")]
    cmd = c.PublishRuleSet(
        award="ldtt",
        rule_version="ldld-2020",
        effective_from=date(2020, 1, 1),
        clauses=[{"clause": "excellent", "rating": {"at_least": "excellent"}}],
    )
    app.publish_rule_set(STAFF, F, cmd)
    on_2025 = app.verdict(F, "member", "dv-1", "ldtt", 2025, date(2025, 12, 1), subject)
    assert on_2025.rule_version == "ldld-2020" and on_2025.failed == ["excellent"]
    on_2019 = app.verdict(F, "member", "dv-1", "ldtt", 2025, date(2019, 12, 1), subject)
    assert on_2019.rule_version == "law-15-2003-2013" and on_2019.eligible


def test_a_unit_user_sees_only_its_own_lines_of_a_decision(app: AwardsApplication) -> None:
    lines = [
        {"subject_kind": "member", "subject_code": code, "award": "giay-khen"} for code in ("dv-1", "dv-2")
    ]
    decision = decide(app, "8/QĐ", lines).body
    assert len(app.decision_seen_by(F, decision["id"], F)[0]["grants"]) == 2
    mine = app.decision_seen_by(F, decision["id"], f"{F}/tp/cdcs-a")[0]
    assert [g["subject_code"] for g in mine["grants"]] == ["dv-1", "dv-2"]
    with pytest.raises(NotFound):
        app.decision_seen_by(F, decision["id"], f"{F}/tp/cdcs-b")
