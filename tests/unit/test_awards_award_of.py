"""`award_of` answers for one award exactly what the whole catalogue answers for it, on every
day: a federation's own award (amended, then retired), one of the defaults, an unknown code."""

from __future__ import annotations

from datetime import date

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.domain.catalogue import FederationCatalogue, award_of, catalogue_of
from shared.kernel.settings import AwardsSettings
from shared.store.eventstore import Context

F = "bac-kan"
STAFF = Context(actor="staff", scope=F)
DAYS = [None, date(2023, 6, 1), date(2024, 1, 1), date(2024, 7, 1), date(2025, 1, 1), date(2026, 1, 1)]


@pytest.fixture
def own() -> FederationCatalogue:
    app = AwardsApplication(AwardsSettings(database_url="memory://"), today=lambda: date(2025, 12, 10))
    define = c.DefineAward(code="ky-niem", name="Kỷ niệm", subjects="member", effective_from=date(2024, 1, 1))
    app.define_award(STAFF, F, define)
    app.amend_award(STAFF, F, "ky-niem", c.AmendAward(effective_from=date(2024, 7, 1), name="Kỷ niệm chương"))
    app.retire_award(STAFF, F, "ky-niem", c.RetireAward(effective_until=date(2025, 6, 30), reason="thôi"))
    found = app.find(FederationCatalogue, FederationCatalogue.id_for(F))
    assert found is not None
    return found


@pytest.mark.parametrize("code", ["ky-niem", "ldtt", "khong-co"])
@pytest.mark.parametrize("on", DAYS)
def test_given_a_code_and_a_day_then_it_answers_as_the_catalogue(
    own: FederationCatalogue, code: str, on: date | None
) -> None:
    assert award_of(own, code, on) == catalogue_of(own, on).get(code)
    assert award_of(None, code, on) == catalogue_of(None, on).get(code)
