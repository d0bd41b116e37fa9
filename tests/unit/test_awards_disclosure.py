"""Public disclosure enforced: a nomination for an award that needs it (Huân chương at least)
cannot be voted on by the council nor forwarded upward before its disclosure has run its length;
the federation's public board lists it; objections recorded by staff."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.application.disclosures import RecordObjection
from services.awards.domain.disclosure import MAX_OBJECTIONS
from shared.kernel.errors import Conflict, Invalid
from shared.kernel.settings import AwardsSettings
from shared.store.eventstore import Context
from tests.unit.test_awards_cycle import STAFF, SUBJECTS, F, convene, nominate, vote

HUAN_CHUONG = "huan-chuong-lao-dong-3"


class Clock:
    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2025, 12, 10))


@pytest.fixture
def app(clock: Clock) -> AwardsApplication:
    return AwardsApplication(AwardsSettings(database_url="memory://"), today=clock)


def disclose(app: AwardsApplication, nomination: str, starts_on: date) -> dict:
    return app.disclose_nomination(STAFF, F, nomination, c.DiscloseNomination(starts_on=starts_on)).body


def test_a_huan_chuong_nomination_cannot_be_voted_on_before_its_disclosure_has_run(
    app: AwardsApplication, clock: Clock
) -> None:
    """Given a Huân chương nomination on a council, when a member votes with no disclosure, then
    409 names the nomination; while the disclosure runs, 409 names its last day; the day after,
    the vote is recorded and the council passes it."""
    nomination = nominate(app, "dv-1", HUAN_CHUONG)["id"]
    convene(app, [nomination], n=2)
    with pytest.raises(Conflict) as exc:
        vote(app, "hd-2025", "u0", nomination)
    assert exc.value.errors[0].field == "nomination"
    assert exc.value.errors[0].message == "the nomination has not been publicly disclosed"
    assert disclose(app, nomination, date(2025, 12, 1))["disclosure"]["ends_on"] == "2025-12-12"
    with pytest.raises(Conflict) as exc:
        vote(app, "hd-2025", "u0", nomination)
    assert exc.value.errors[0].message == "public disclosure runs until 2025-12-12"
    clock.today = date(2025, 12, 15)
    for user in ("u0", "u1"):
        vote(app, "hd-2025", user, nomination)
    assert app.resolve_council(STAFF, F, "hd-2025").body["results"][0]["passed"] is True


def test_a_whole_agenda_names_the_undisclosed_row_and_stores_none(app: AwardsApplication) -> None:
    """Given a council over an ldtt nomination and an undisclosed Huân chương one, when a member
    casts both in one request, then the Huân chương row is named and no vote is stored."""
    ldtt = nominate(app, "dv-2", "ldtt")["id"]
    state = nominate(app, "dv-1", HUAN_CHUONG)["id"]
    convene(app, [ldtt, state], n=2)
    rows = c.CastAgenda.model_validate({"votes": [{"nomination": n, "choice": "yes"} for n in (ldtt, state)]})
    with pytest.raises(Invalid) as exc:
        app.cast_agenda(Context(actor="u0", scope=F), F, "hd-2025", rows)
    assert [e.field for e in exc.value.errors] == ["votes.1.nomination"]
    _, council = app.council_read(F, "hd-2025")
    assert council["voted"] == {ldtt: [], state: []}


def test_a_huan_chuong_nomination_cannot_be_forwarded_before_its_disclosure_has_run(
    app: AwardsApplication, clock: Clock
) -> None:
    """Given a Huân chương nomination the council passed after its disclosure, when it is
    disclosed again (a correction) and staff forward it while that runs, then 409 names the
    nomination and it stays; once it has run, it is forwarded."""
    nomination = nominate(app, "dv-1", HUAN_CHUONG)["id"]
    disclose(app, nomination, date(2025, 12, 1))
    clock.today = date(2025, 12, 15)
    convene(app, [nomination], n=2)
    for user in ("u0", "u1"):
        vote(app, "hd-2025", user, nomination)
    app.resolve_council(STAFF, F, "hd-2025")
    disclose(app, nomination, date(2025, 12, 15))
    forward = c.ForwardNomination(to="state")
    with pytest.raises(Conflict) as exc:
        app.forward_nomination(STAFF, F, nomination, forward)
    assert exc.value.errors[0].field == "nomination" and "runs until 2025-12-26" in exc.value.detail
    assert app.nomination(F, nomination).forwarded_to is None
    clock.today = date(2025, 12, 29)
    assert app.forward_nomination(STAFF, F, nomination, forward).body["forwarded_to"] == "state"


def test_an_undisclosed_huan_chuong_nomination_is_not_forwarded(app: AwardsApplication) -> None:
    nomination = nominate(app, "dv-1", HUAN_CHUONG)["id"]
    with pytest.raises(Conflict) as exc:
        app.forward_nomination(STAFF, F, nomination, c.ForwardNomination(to="state"))
    assert exc.value.errors[0].message == "the nomination has not been publicly disclosed"


def test_the_public_board_lists_running_disclosures_with_only_what_the_law_asks(
    app: AwardsApplication, clock: Clock
) -> None:
    """Given two disclosed nominations, one withdrawn, and one whose disclosure ended, then the
    board shows the one running: name, unit, award, first and last day — no code, no grounds."""
    running, withdrawn = (nominate(app, code, HUAN_CHUONG)["id"] for code in ("dv-1", "dv-2"))
    ended = nominate(app, "cdcs-a", HUAN_CHUONG, kind="unit")["id"]
    disclose(app, running, date(2025, 12, 8))
    disclose(app, withdrawn, date(2025, 12, 8))
    disclose(app, ended, date(2025, 11, 3))
    app.withdraw_nomination(STAFF, F, withdrawn)
    board = app.disclosure_board(F)
    assert [n["nomination"] for n in board] == [running]
    assert set(board[0]) == {
        "nomination",
        "subject_kind",
        "subject_name",
        "unit",
        "award",
        "award_name",
        "year",
        "starts_on",
        "ends_on",
    }
    assert board[0]["subject_name"] == "Nguyễn Văn An" and board[0]["ends_on"] == date(2025, 12, 19)


def test_staff_record_objections_that_the_council_reads(app: AwardsApplication) -> None:
    nomination = nominate(app, "dv-1", HUAN_CHUONG)["id"]
    letter = RecordObjection(by="Trần Văn Bình", received_on=date(2025, 12, 9), text="Đã bị kỷ luật năm 2024")
    with pytest.raises(Conflict):  # not disclosed yet: nothing to object to
        app.record_objection(STAFF, F, nomination, letter)
    disclose(app, nomination, date(2025, 12, 8))
    with pytest.raises(Invalid) as exc:
        app.record_objection(
            STAFF, F, nomination, letter.model_copy(update={"received_on": date(2025, 12, 5)})
        )
    assert exc.value.errors[0].field == "received_on"
    app.record_objection(STAFF, F, nomination, letter)
    [recorded] = app.objections(F, nomination)
    assert recorded["by"] == "Trần Văn Bình" and recorded["channel"] == "letter"
    assert recorded["recorded_by"] == "staff" and recorded["text"] == "Đã bị kỷ luật năm 2024"


def test_objections_are_bounded_in_length_and_number(app: AwardsApplication) -> None:
    with pytest.raises(ValidationError) as exc:
        RecordObjection.model_validate({"by": "A", "received_on": "2025-12-09", "text": "x" * 4001})
    assert exc.value.errors()[0]["loc"] == ("text",)
    nomination = nominate(app, "dv-1", HUAN_CHUONG)["id"]
    disclose(app, nomination, date(2025, 12, 8))
    letter = RecordObjection(by="A", received_on=date(2025, 12, 9), text="Không đồng ý")
    for _ in range(MAX_OBJECTIONS):
        app.record_objection(STAFF, F, nomination, letter)
    with pytest.raises(Invalid):
        app.record_objection(STAFF, F, nomination, letter)
    assert len(app.objections(F, nomination)) == MAX_OBJECTIONS


def test_a_state_grant_is_not_linked_to_a_nomination_forwarded_undisclosed(app: AwardsApplication) -> None:
    """Given a Huân chương nomination forwarded before disclosure was enforced (no disclosure),
    when the state's decision is imported linked to it, then 422 names the nomination."""
    nomination_id = nominate(app, "dv-1", HUAN_CHUONG)["id"]
    nomination = app.nomination(F, nomination_id)
    # as a council passed it and staff forwarded it before disclosure was enforced
    nomination.record_result("hd-cu", {"passed": True}, STAFF.meta)
    nomination.forward("state", STAFF.meta)
    app.save(nomination)
    line = {
        "subject_kind": "member",
        "subject_code": "dv-1",
        "award": HUAN_CHUONG,
        "year": 2025,
        "decision_number": "99/QĐ-CTN",
        "decision_date": "2025-12-09",
        "authority": "president",
        "nomination": nomination_id,
    }
    with pytest.raises(Invalid) as exc:
        app.import_grants(STAFF, F, c.ImportGrants.model_validate({"grants": [line]}), SUBJECTS)
    assert exc.value.errors[0].field == "nomination"
    assert "has not been publicly disclosed" in exc.value.errors[0].message
