"""A discipline `review` hold is lifted by a `cleared` record: the case closed without sanction."""

from __future__ import annotations

from datetime import date

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from shared.kernel.errors import Invalid
from tests.unit.test_awards_cycle import STAFF, SUBJECTS, F, app, rate

__all__ = ["app"]


def discipline(app: AwardsApplication, level: str, decided_on: str, year: int = 2025) -> None:
    line = {"subject_kind": "member", "subject_code": "dv-1", "year": year, "level": level}
    cmd = c.RecordDisciplines.model_validate({"disciplines": [{**line, "decided_on": decided_on}]})
    app.record_disciplines(STAFF, F, cmd, SUBJECTS, single=True)


def failed(app: AwardsApplication) -> list[str]:
    subject = SUBJECTS[("member", "dv-1")]
    return app.verdict(F, "member", "dv-1", "ldtt", 2025, date(2025, 12, 10), subject).failed


def test_a_review_hold_is_cleared_and_can_be_opened_again(app: AwardsApplication) -> None:
    rate(app, "dv-1", {2025: "good"})
    with pytest.raises(Invalid) as exc:
        discipline(app, "cleared", "2025-03-01")
    assert exc.value.errors[0].field == "level"
    discipline(app, "review", "2025-03-01")
    assert failed(app) == ["not-under-review"]
    discipline(app, "cleared", "2025-04-01")
    assert failed(app) == []
    discipline(app, "review", "2025-05-01")
    assert failed(app) == ["not-under-review"]
    discipline(app, "cleared", "2025-06-01")
    assert failed(app) == []
    history = app.history(F, "member", "dv-1")
    assert history is not None
    assert [d["level"] for d in history.disciplines] == ["review", "cleared", "review", "cleared"]
