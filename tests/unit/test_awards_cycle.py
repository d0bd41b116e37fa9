"""Awards' year-end cycle on the in-memory store: history, nominations, councils, disclosure,
decisions and revocations."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.application.subjects import Outside
from services.awards.domain.calendar import WorkingCalendar, disclosure_ends
from shared.kernel.errors import Conflict, Forbidden, Invalid
from shared.kernel.settings import AwardsSettings
from shared.store.eventstore import Context

F = "bac-kan"
STAFF = Context(actor="staff", scope=F)
SUBJECTS = {
    ("member", "dv-1"): Outside("Nguyễn Văn An", "cdcs-a", ["tp", "cdcs-a"], members=("dv-1", "dv-2")),
    ("member", "dv-2"): Outside("Lê Thị Hoa", "cdcs-a", ["tp", "cdcs-a"], members=("dv-1", "dv-2")),
    ("unit", "cdcs-a"): Outside("CĐCS A", "cdcs-a", ["tp", "cdcs-a"], members=("dv-1", "dv-2")),
}


@pytest.fixture
def app() -> AwardsApplication:
    return AwardsApplication(AwardsSettings(database_url="memory://"), today=lambda: date(2025, 12, 10))


def rate(app: AwardsApplication, code: str, ratings: dict[int, str], kind: str = "member") -> None:
    lines = [{"subject_kind": kind, "subject_code": code, "year": y, "rating": r} for y, r in ratings.items()]
    app.record_ratings(STAFF, F, c.RecordRatings.model_validate({"ratings": lines}), SUBJECTS)


def import_grant(app: AwardsApplication, code: str, award: str, year: int, **kw: Any) -> dict:
    line = {
        "subject_kind": "member",
        "subject_code": code,
        "award": award,
        "year": year,
        "decision_number": f"{award}/{year}",
        "decision_date": f"{year}-12-01",
        "authority": "ubnd:bac-kan",
        **kw,
    }
    return app.import_grants(STAFF, F, c.ImportGrants.model_validate({"grants": [line]}), SUBJECTS).body


def nominate(app: AwardsApplication, code: str, award: str, year: int = 2025, kind: str = "member") -> dict:
    cmd = c.SubmitNomination(subject_kind=kind, subject_code=code, award=award, year=year)
    return app.submit_nomination(STAFF, F, cmd, SUBJECTS).body


def convene(app: AwardsApplication, nominations: list[str], n: int = 3, **kw: Any) -> dict:
    members = [{"user": f"u{i}", "name": f"U {i}"} for i in range(n)]
    body = {
        "code": kw.pop("code", "hd-2025"),
        "name": "Hội đồng",
        "year": 2025,
        "meets_on": "2025-12-05",
        "quorum": kw.pop("quorum", 1),
        "members": kw.pop("members", members),
        "nominations": nominations,
        **kw,
    }
    return app.convene_council(STAFF, F, c.ConveneCouncil.model_validate(body)).body


def vote(app: AwardsApplication, council: str, user: str, nomination: str, choice: str = "yes") -> None:
    app.cast_vote(Context(actor=user, scope=F), F, council, c.CastVote(nomination=nomination, choice=choice))


def decide(app: AwardsApplication, number: str, lines: list[dict], signed_on: str = "2025-12-09") -> Any:
    cmd = c.IssueDecision.model_validate(
        {"number": number, "signed_on": signed_on, "signer": "Hoàng Thu", "year": 2025, "grants": lines}
    )
    return app.issue_decision(STAFF, F, cmd, SUBJECTS)


def test_eligibility_reads_ratings_and_a_grant_then_the_ldtt_nomination_is_granted(
    app: AwardsApplication,
) -> None:
    rate(app, "dv-1", {2025: "good"})
    nomination = nominate(app, "dv-1", "ldtt")
    assert nomination["eligible"] and nomination["upward"] is False
    convene(app, [nomination["id"]])
    for user in ("u0", "u1"):
        vote(app, "hd-2025", user, nomination["id"])
    resolved = app.resolve_council(STAFF, F, "hd-2025").body
    assert resolved["results"][0] | {"threshold": 0.5} == {
        "nomination": nomination["id"],
        "subject_kind": "member",
        "subject_code": "dv-1",
        "award": "ldtt",
        "yes": 2,
        "no": 0,
        "abstain": 0,
        "members": 3,
        "threshold": 0.5,
        "passed": True,
    }
    decision = decide(app, "1/QĐ", [{"nomination": nomination["id"]}]).body
    grant = app.grant(F, decision["grants"][0]["grant_id"])
    assert grant.nomination == nomination["id"] and grant.bonus_coefficient == 0.3
    again = app.verdict(F, "member", "dv-1", "ldtt", 2025, date(2025, 12, 10), SUBJECTS[("member", "dv-1")])
    assert again.failed == ["not-granted-twice"]


def test_a_decision_with_a_nomination_that_did_not_pass_is_refused(app: AwardsApplication) -> None:
    rate(app, "dv-1", {2025: "good"})
    nomination = nominate(app, "dv-1", "ldtt")
    with pytest.raises(Invalid) as exc:
        decide(app, "2/QĐ", [{"nomination": nomination["id"]}])
    assert exc.value.errors[0].field == "grants.0.nomination" and "not been resolved" in exc.value.detail
    convene(app, [nomination["id"]])
    vote(app, "hd-2025", "u0", nomination["id"])
    vote(app, "hd-2025", "u1", nomination["id"], "no")
    app.resolve_council(STAFF, F, "hd-2025")
    with pytest.raises(Invalid) as exc:
        decide(app, "2/QĐ", [{"nomination": nomination["id"]}])
    assert "did not pass" in exc.value.detail


def test_titles_need_a_nomination_and_the_verdict_is_re_checked_at_decision_time(
    app: AwardsApplication,
) -> None:
    with pytest.raises(Invalid) as exc:
        decide(app, "3/QĐ", [{"subject_kind": "member", "subject_code": "dv-1", "award": "ldtt"}])
    assert exc.value.errors[0].field == "grants.0.nomination"
    rate(app, "dv-1", {2025: "good"})
    nomination = nominate(app, "dv-1", "ldtt")
    convene(app, [nomination["id"]])
    for user in ("u0", "u1"):
        vote(app, "hd-2025", user, nomination["id"])
    app.resolve_council(STAFF, F, "hd-2025")
    discipline = {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "level": "reprimand"}
    cmd = c.RecordDisciplines.model_validate({"disciplines": [{**discipline, "decided_on": "2025-12-08"}]})
    app.record_disciplines(STAFF, F, cmd, SUBJECTS)
    with pytest.raises(Invalid) as exc:
        decide(app, "3/QĐ", [{"nomination": nomination["id"]}])
    assert exc.value.errors[0].message == "fails no-discipline"


def test_revocation_flips_bang_khen_ttg(app: AwardsApplication) -> None:
    rate(app, "dv-1", dict.fromkeys(range(2021, 2026), "good"))
    basis = import_grant(app, "dv-1", "bang-khen-ubnd-tinh", 2022)["grants"][0]
    for year in (2021, 2023, 2025):
        import_grant(app, "dv-1", "cstd-co-so", year)
    subject = SUBJECTS[("member", "dv-1")]
    assert app.verdict(F, "member", "dv-1", "bang-khen-ttg", 2025, date(2025, 12, 1), subject).eligible
    app.revoke_grant(STAFF, F, basis["id"], c.RevokeGrant(reason="khai man", reference="9/QĐ"))
    v = app.verdict(F, "member", "dv-1", "bang-khen-ttg", 2025, date(2025, 12, 1), subject)
    assert v.failed == ["holds-provincial-bang-khen"]


def test_imports_report_bad_rows_and_store_nothing(app: AwardsApplication) -> None:
    good = {
        "subject_kind": "member",
        "subject_code": "dv-1",
        "award": "bang-khen-ttg",
        "year": 2020,
        "decision_number": "1/QĐ-TTg",
        "decision_date": "2020-05-01",
        "authority": "prime-minister",
    }
    bad = {**good, "subject_code": "nobody"}
    with pytest.raises(Invalid) as exc:
        app.import_grants(STAFF, F, c.ImportGrants.model_validate({"grants": [good, bad]}), SUBJECTS)
    assert [(e.field, e.row) for e in exc.value.errors] == [("subject_code", 2)]
    assert app.history(F, "member", "dv-1") is None


# -- councils ---------------------------------------------------------------------------------


def test_a_second_vote_by_the_same_member_is_refused(app: AwardsApplication) -> None:
    nomination = nominate(app, "dv-1", "ldtt")
    convene(app, [nomination["id"]])
    vote(app, "hd-2025", "u0", nomination["id"])
    with pytest.raises(Conflict):
        vote(app, "hd-2025", "u0", nomination["id"], "no")


def test_a_recused_member_may_not_vote_on_themselves_or_their_unit(app: AwardsApplication) -> None:
    mine, unit = nominate(app, "dv-1", "ldtt"), nominate(app, "cdcs-a", "ttldtt", kind="unit")
    members = [
        {"user": "an", "name": "An", "member_code": "dv-1", "unit_path": ["tp", "cdcs-a"]},
        {"user": "u1", "name": "U1"},
    ]
    council = convene(app, [mine["id"], unit["id"]], members=members)
    assert {r["nomination"] for r in council["recusals"] if r["user"] == "an"} == {mine["id"], unit["id"]}
    for nomination in (mine, unit):
        with pytest.raises(Forbidden) as exc:
            vote(app, "hd-2025", "an", nomination["id"])
        assert exc.value.errors[0].message == "recused"
    vote(app, "hd-2025", "u1", mine["id"])
    result = app.resolve_council(STAFF, F, "hd-2025").body["results"][0]
    assert result["members"] == 1 and result["passed"]


def test_secret_ballot_stores_who_voted_but_not_the_choice(app: AwardsApplication) -> None:
    nomination = nominate(app, "dv-1", "ldtt")
    convene(app, [nomination["id"]], secret_ballot=True)
    vote(app, "hd-2025", "u0", nomination["id"], "no")
    vote(app, "hd-2025", "u1", nomination["id"], "yes")
    naming_a_voter = 0
    for notification in app.recorder.select_notifications(start=1, limit=1000):  # type: ignore[attr-defined]
        stored = notification.state.decode()
        if '"u0"' in stored or '"u1"' in stored:
            naming_a_voter += 1
            assert '"yes"' not in stored and '"no"' not in stored, stored
    assert naming_a_voter >= 3  # the council and each voter's ballot
    _, council = app.council_read(F, "hd-2025")
    assert "choices" not in council and council["voted"][nomination["id"]] == ["u0", "u1"]
    result = app.resolve_council(STAFF, F, "hd-2025").body["results"][0]
    assert (result["yes"], result["no"]) == (1, 1)


def test_a_90_percent_threshold_fails_at_89_percent(app: AwardsApplication) -> None:
    app.define_award(
        STAFF,
        F,
        c.DefineAward(code="cstd-ldld", name="CSTĐ LĐLĐ", subjects="member", threshold=0.9, strict=False),
    )
    members = [{"user": f"u{i}", "name": str(i)} for i in range(100)]
    one, two = nominate(app, "dv-1", "cstd-ldld"), nominate(app, "dv-2", "cstd-ldld")
    convene(app, [one["id"], two["id"]], members=members)
    for i in range(90):
        vote(app, "hd-2025", f"u{i}", one["id"], "yes" if i < 89 else "no")
        vote(app, "hd-2025", f"u{i}", two["id"])
    results = app.resolve_council(STAFF, F, "hd-2025").body["results"]
    assert [(r["yes"], r["threshold"], r["passed"]) for r in results] == [(89, 0.9, False), (90, 0.9, True)]


def test_quorum(app: AwardsApplication) -> None:
    nomination = nominate(app, "dv-1", "ldtt")
    convene(app, [nomination["id"]], quorum=2)
    vote(app, "hd-2025", "u0", nomination["id"])
    with pytest.raises(Invalid) as exc:
        app.resolve_council(STAFF, F, "hd-2025")
    assert exc.value.errors[0].field == "quorum"


# -- disclosure -------------------------------------------------------------------------------


def test_ten_working_days_skip_weekends_and_holidays() -> None:
    assert disclosure_ends(date(2025, 12, 1), 10, WorkingCalendar()) == date(2025, 12, 12)
    own_day_off = WorkingCalendar(days_off=frozenset({date(2025, 12, 5)}))
    assert disclosure_ends(date(2025, 12, 1), 10, own_day_off) == date(2025, 12, 15)


def test_no_decision_before_public_disclosure_ends(app: AwardsApplication) -> None:
    app.define_award(
        STAFF, F, c.DefineAward(code="ky-niem", name="Kỷ niệm", subjects="member", disclosure=True)
    )
    no_discipline = [{"clause": "no-discipline", "no_discipline": {}}]
    since = date(2025, 1, 1)
    rule = c.PublishRuleSet(award="ky-niem", rule_version="1", effective_from=since, clauses=no_discipline)
    app.publish_rule_set(STAFF, F, rule)
    app.set_policy(STAFF, F, c.SetPolicy(holidays=[date(2025, 12, 3)]))
    nomination = nominate(app, "dv-1", "ky-niem")
    disclosed = app.disclose_nomination(
        STAFF, F, nomination["id"], c.DiscloseNomination(starts_on=date(2025, 11, 24))
    )
    assert disclosed.body["disclosure"]["ends_on"] == "2025-12-08"
    convene(app, [nomination["id"]])
    for user in ("u0", "u1"):
        vote(app, "hd-2025", user, nomination["id"])
    app.resolve_council(STAFF, F, "hd-2025")
    with pytest.raises(Invalid) as exc:
        decide(app, "5/QĐ", [{"nomination": nomination["id"]}], signed_on="2025-12-08")
    assert "public disclosure runs until 2025-12-08" in exc.value.detail
    assert decide(app, "5/QĐ", [{"nomination": nomination["id"]}], signed_on="2025-12-09").status == 201


# -- upward -----------------------------------------------------------------------------------


def test_an_upward_nomination_is_forwarded_once_passed_and_granted_by_the_national_union(
    app: AwardsApplication,
) -> None:
    rate(app, "dv-1", {2024: "excellent", 2025: "excellent"})
    import_grant(app, "dv-1", "bang-khen-ldld", 2024)
    nomination = nominate(app, "dv-1", "bang-khen-tld")
    assert nomination["upward"] is True and nomination["eligible"] is False
    assert [c["clause"] for c in nomination["verdict"]["clauses"] if not c["passed"]] == ["2-initiatives"]
    with pytest.raises(Conflict):
        app.forward_nomination(STAFF, F, nomination["id"], c.ForwardNomination(to="national"))
    convene(app, [nomination["id"]])
    for user in ("u0", "u1"):
        vote(app, "hd-2025", user, nomination["id"])
    app.resolve_council(STAFF, F, "hd-2025")
    forwarded = app.forward_nomination(STAFF, F, nomination["id"], c.ForwardNomination(to="national"))
    assert forwarded.body["forwarded_to"] == "national"
    national = Context(actor="tld", scope="*")
    cmd = c.IssueDecision.model_validate(
        {
            "number": "100/QĐ-TLĐ",
            "signed_on": "2025-12-09",
            "signer": "X",
            "year": 2025,
            "authority": "tld",
            "grants": [{"nomination": nomination["id"]}],
        }
    )
    with pytest.raises(Invalid) as exc:
        app.issue_decision(national, F, cmd, SUBJECTS)
    assert exc.value.errors[0].message == "fails 2-initiatives"


def test_an_absent_members_written_vote_is_recorded_by_staff(app: AwardsApplication) -> None:
    nomination = nominate(app, "dv-1", "ldtt")
    convene(app, [nomination["id"]])
    written = c.CastVote(nomination=nomination["id"], choice="yes", member="u2")
    assert app.cast_vote(STAFF, F, "hd-2025", written, True).body["member"] == "u2"
    with pytest.raises(Conflict):
        vote(app, "hd-2025", "u2", nomination["id"])
    with pytest.raises(Forbidden):
        vote(app, "hd-2025", "stranger", nomination["id"])
