"""Working days of public disclosure by Vietnam's calendar: the public holidays of the `holidays`
library (Tết included) and the weekends the government made working days, then a federation's
own days off and make-up working Saturdays, set and checked through its policy."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.domain.calendar import WorkingCalendar, disclosure_ends
from shared.kernel.errors import Invalid
from tests.unit.test_awards_cycle import STAFF, F, app, nominate

__all__ = ["app"]


def disclosed_until(app: AwardsApplication, starts_on: date) -> str:
    """A nomination for an award that needs disclosure, disclosed from `starts_on`: its last day."""
    app.define_award(
        STAFF, F, c.DefineAward(code="ky-niem", name="Kỷ niệm", subjects="member", disclosure=True)
    )
    nomination = nominate(app, "dv-1", "ky-niem", year=starts_on.year)
    answer = app.disclose_nomination(STAFF, F, nomination["id"], c.DiscloseNomination(starts_on=starts_on))
    return str(answer.body["disclosure"]["ends_on"])


def test_a_disclosure_started_before_tet_ends_after_tets_days_off(app: AwardsApplication) -> None:
    """Given a federation that set no holidays, when ten working days of disclosure start on
    Monday 9 February 2026, then Tết's days off (16–20 February) do not count: it ends on the
    27th, not the 20th."""
    assert disclosed_until(app, date(2026, 2, 9)) == "2026-02-27"


def test_hung_kings_day_and_the_governments_day_off_do_not_count() -> None:
    """Given 2025's calendar, when ten working days start on Monday 21 April, then Saturday
    26 April (worked in exchange for 2 May) counts, 30 April to 2 May do not: it ends on 6 May."""
    assert disclosure_ends(date(2025, 4, 21), 10, WorkingCalendar()) == date(2025, 5, 6)
    assert disclosure_ends(date(2025, 4, 7), 1, WorkingCalendar()) == date(2025, 4, 8)  # Giỗ Tổ


def test_a_federations_make_up_saturday_counts_as_a_working_day(app: AwardsApplication) -> None:
    """Given a federation whose make-up working Saturday is 6 December 2025, when ten working
    days start on Monday 1 December, then they end on Thursday the 11th, not Friday the 12th."""
    app.set_policy(STAFF, F, c.SetPolicy(working_saturdays=[date(2025, 12, 6)]))
    assert disclosed_until(app, date(2025, 12, 1)) == "2025-12-11"


def test_a_federations_added_holiday_is_skipped(app: AwardsApplication) -> None:
    """Given a federation's own day off on Friday 5 December 2025, when ten working days start
    on Monday 1 December, then they end on Monday the 15th."""
    app.set_policy(STAFF, F, c.SetPolicy(holidays=[date(2025, 12, 5)]))
    assert disclosed_until(app, date(2025, 12, 1)) == "2025-12-15"


def test_a_make_up_day_that_is_not_a_saturday_is_refused_naming_it() -> None:
    with pytest.raises(ValidationError) as exc:
        c.SetPolicy.model_validate({"working_saturdays": ["2025-12-06", "2025-12-09"]})
    assert [e["loc"] for e in exc.value.errors()] == [("working_saturdays", 1)]
    assert "2025-12-09 is not a Saturday" in exc.value.errors()[0]["msg"]


def test_a_day_both_off_and_worked_is_refused_and_nothing_changes(app: AwardsApplication) -> None:
    app.set_policy(STAFF, F, c.SetPolicy(holidays=[date(2025, 12, 6)]))
    with pytest.raises(Invalid) as exc:
        app.set_policy(STAFF, F, c.SetPolicy(working_saturdays=[date(2025, 12, 6)]))
    assert exc.value.errors[0].field == "working_saturdays"
    assert app.policy(F)["working_saturdays"] == [] and app.policy(F)["holidays"] == ["2025-12-06"]
