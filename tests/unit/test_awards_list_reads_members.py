"""A nominations list reads the members registration counts (a unit's subtree, a member's peers)
only where a row's rule counts them: the `members` clauses of a unit's award, the `ratio_cap` of a
member's."""

from __future__ import annotations

from datetime import date

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.application.subjects import Outside
from shared.kernel.errors import Conflict
from shared.kernel.settings import AwardsSettings
from shared.store.eventstore import Context

F = "bac-kan"


@pytest.fixture
def app() -> AwardsApplication:
    return AwardsApplication(AwardsSettings(database_url="memory://"), today=lambda: date(2025, 12, 10))


def listed(*rows: tuple[str, str]) -> c.SubmitNominations:
    lines = [
        {"subject_kind": kind, "subject_code": f"{kind}-{i}", "award": award, "year": 2025}
        for i, (kind, award) in enumerate(rows)
    ]
    return c.SubmitNominations.model_validate({"nominations": lines})


def test_given_only_ldtt_for_members_then_the_list_reads_no_members(app: AwardsApplication) -> None:
    assert app.nominations_read_members(F, listed(("member", "ldtt"), ("member", "ldtt"))) is False


def test_given_a_member_award_capped_by_ratio_then_the_list_reads_the_peers(app: AwardsApplication) -> None:
    assert app.nominations_read_members(F, listed(("member", "ldtt"), ("member", "cstd-co-so"))) is True


def test_given_a_unit_award_counting_members_then_the_list_reads_them(app: AwardsApplication) -> None:
    assert app.nominations_read_members(F, listed(("unit", "ttldtt"))) is True


def test_given_a_row_of_an_unknown_award_then_it_asks_for_no_members(app: AwardsApplication) -> None:
    # The row is refused for its award, before any facts are read.
    assert app.nominations_read_members(F, listed(("member", "no-such-award"))) is False


def test_given_subjects_read_without_members_when_a_rule_counts_them_then_nothing_is_stored(
    app: AwardsApplication,
) -> None:
    # Given a list whose subjects were read without members, as if no rule counted them
    cmd = listed(("member", "cstd-co-so"))
    subjects = {2025: {("member", "member-0"): Outside("An", "cdcs-a", ["tp", "cdcs-a"])}}
    staff = Context(actor="staff", scope=F)
    # When it is judged by rules that count a member's peers (the rules changed meanwhile)
    with pytest.raises(Conflict, match="send the list again"):
        app.submit_nominations(staff, F, cmd, subjects, "all-or-nothing", members_read=False)
    # Then nothing was stored
    assert app.recorder.max_notification_id() in (None, 0)
