"""The console's change forms, their logic alone: what an amendment sends, which awards it
offers, how a record changed meanwhile is shown, and how refusals read (no service, no page)."""

from __future__ import annotations

import asyncio
from typing import Any

from services.console.application import corrections, headcounts, list_uploads, movements

MOVEMENT = {
    "code": "td-2025",
    "name": "Thi đua 2025",
    "theme": None,
    "year": 2025,
    "awards": ["bang-khen-ldld", "giai-rieng"],
    "phases": [],
    "registration_deadline": "2025-12-31",
    "version": 3,
}


class Awards:
    """awards' catalogue as the console reads it; `on`: the day it was asked for."""

    def __init__(self) -> None:
        self.on: str | None = None

    async def get(self, path: str, token: str, **params: Any) -> list[dict[str, str]]:
        self.on = params["on"]
        return [
            {"code": "bang-khen-ldld", "name": "Bằng khen của LĐLĐ tỉnh"},
            {"code": "ldtt", "name": "LĐTT"},
        ]


class Services:
    def __init__(self) -> None:
        self.awards = Awards()


def test_an_amendment_offers_the_catalogue_of_its_year_and_every_award_it_opens() -> None:
    # Given a movement of 2025 opening an award the catalogue does not list
    services = Services()
    # When its amendment form is drawn
    options = asyncio.run(movements.amendment_options(services, "bac-kan", "t", MOVEMENT))
    # Then the catalogue is the one of 2025's end, and the unlisted award is offered too
    assert services.awards.on == "2025-12-31"
    assert [code for code, _ in options] == ["bang-khen-ldld", "ldtt", "giai-rieng"]


def test_an_amendment_that_changes_the_deadline_sends_the_deadline_alone() -> None:
    # Given the form as drawn, with the deadline changed and every award kept
    form = movements.amendment_values(MOVEMENT) | {"registration_deadline": "30/12/2025", "reason": "Gia hạn"}
    # When it is read
    _, body, errors = movements.amendment(MOVEMENT, form, ["giai-rieng", "bang-khen-ldld"])
    # Then only the deadline (and the reason) is sent: the awards, in another order, are the same
    assert not errors
    assert body == {"registration_deadline": "2025-12-30", "reason": "Gia hạn"}


def test_a_record_changed_meanwhile_is_shown_as_it_is_now_with_the_reason_kept() -> None:
    # Given a form typed on version 1 and the record now at version 2
    typed = {"title": "Tên cũ gõ lại", "version": "1", "reason": "Sai chính tả"}
    fresh = {"title": "Tên người khác vừa sửa", "version": 2}
    # When the refusal is shown
    moved = corrections.moved_on("1", typed, fresh, {"title": fresh["title"]})
    # Then the form holds the record as it is now, the reason typed, and says why
    assert moved is not None
    values, errors = moved
    assert values == {"title": "Tên người khác vừa sửa", "version": "2", "reason": "Sai chính tả"}
    assert errors.summary == corrections.CHANGED_MEANWHILE
    assert corrections.moved_on("2", typed, fresh, {}) is None  # the same version: no reload


def test_a_recognised_initiatives_correction_leaves_the_councils_value_alone() -> None:
    # Given an initiative the council recognised with its value
    item = {"title": "Sáng kiến", "field": "Giáo dục", "benefit_value": 120_000_000, "state": "recognised"}
    # Then its correction form has no value to change
    assert [f.name for f in corrections.activity_fields("initiatives", item)] == ["title", "field"]
    assert "benefit_value" not in corrections.activity_values("initiatives", item)


def test_headcount_refusals_sit_on_the_rows_typed_in_the_rows_words_and_once() -> None:
    # Given two lines sent from form rows 3 and 5, registration refusing the first's members and
    # asking both for the reason
    problem = {
        "detail": "2 of the headcounts cannot be recorded",
        "errors": [
            {"field": "headcounts.0.members", "message": "12 members out of 10 workers: more than all"},
            {"field": "headcounts.0.reason", "message": "a correction needs a reason: give it"},
            {"field": "headcounts.1.reason", "message": "a correction needs a reason: give it"},
        ],
    }
    # When the refusal is read
    errors = headcounts.refusal(422, problem, [3, 5])
    # Then the members problem is on row 3's input, in Vietnamese, and the reason is asked once
    found = [(f.anchor, f.message) for f in errors.fields]
    assert found == [
        ("f-headcounts-3-members", "Số đoàn viên không được lớn hơn số CNVCLĐ"),
        ("f-reason", "Nhập lý do: sửa thông tin đã lưu cần nêu lý do"),
    ]


def test_a_list_row_in_vietnamese_already_is_shown_as_said_and_an_english_one_translated() -> None:
    errors = [
        {
            "field": "award",
            "message": "không có trong danh mục",
            "row": 3,
            "column": "Danh hiệu (tên hoặc mã)",
        },
        {"field": "author_code", "message": "unknown member 'dv-9'", "row": 6, "column": "Mã tác giả"},
    ]
    found = [(p.row, p.message, p.original) for p in list_uploads.problems_of(errors)]
    assert found == [(3, "Không có trong danh mục", ""), (6, "Không có đoàn viên mang mã này", "")]
