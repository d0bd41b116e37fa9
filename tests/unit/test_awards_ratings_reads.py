"""A list of ratings or disciplines reads its subjects' stored histories in one query, not one a
row (what made `ratings:batch` several times slower than `pledges:batch`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from services.awards.application import commands as c
from services.awards.application.app import AwardsApplication
from services.awards.domain.history import History
from tests.unit.test_awards_cycle import STAFF, SUBJECTS, F, app, rate

__all__ = ["app"]


def _count_reads(app: AwardsApplication, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    reads: list[Any] = []
    real_find = app.find

    def find(cls: type, ident: UUID) -> Any:
        if cls is History:
            reads.append("one")
        return real_find(cls, ident)

    def find_many(cls: type, ids: Any) -> dict[UUID, Any]:
        wanted = list(dict.fromkeys(ids))
        reads.append(("many", len(wanted)))
        return {i: a for i in wanted if (a := real_find(cls, i)) is not None}

    monkeypatch.setattr(app, "find", find)
    monkeypatch.setattr(app, "find_many", find_many)
    return reads


def test_given_stored_histories_when_a_ratings_list_is_recorded_then_they_are_read_at_once(
    app: AwardsApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    rate(app, "dv-1", {2023: "good"})
    reads = _count_reads(app, monkeypatch)
    lines = [
        {"subject_kind": "member", "subject_code": "dv-1", "year": 2024, "rating": "excellent"},
        {"subject_kind": "member", "subject_code": "dv-2", "year": 2024, "rating": "good"},
        {"subject_kind": "member", "subject_code": "dv-1", "year": 2025, "rating": "good"},
        {"subject_kind": "unit", "subject_code": "cdcs-a", "year": 2024, "rating": "good"},
    ]
    result = app.record_ratings(STAFF, F, c.RecordRatings.model_validate({"ratings": lines}), SUBJECTS)
    assert result.body["recorded"] == 4
    assert reads == [("many", 3)]
    history = app.history(F, "member", "dv-1")
    assert history is not None
    assert sorted(int(y) for y in history.as_dict()["ratings"]) == [2023, 2024, 2025]
    assert app.history(F, "member", "dv-2") is not None


def test_given_stored_histories_when_a_disciplines_list_is_recorded_then_they_are_read_at_once(
    app: AwardsApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    rate(app, "dv-1", {2023: "good"})
    reads = _count_reads(app, monkeypatch)
    lines = [
        {
            "subject_kind": "member",
            "subject_code": code,
            "year": 2024,
            "level": "reprimand",
            "decided_on": "2024-05-01",
        }
        for code in ("dv-1", "dv-2")
    ]
    app.record_disciplines(STAFF, F, c.RecordDisciplines.model_validate({"disciplines": lines}), SUBJECTS)
    assert reads == [("many", 2)]
