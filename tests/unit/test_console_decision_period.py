"""The console's decision form states the decision's period as staff type it (issue 17)."""

from __future__ import annotations

from datetime import date

from services.console.application.decisions import draft

TYPED = {"number": "45/QĐ-LĐLĐ", "signed_on": "01/08/2023", "signer": "Hoàng Thị Thu", "year": "2023"}
TODAY = date(2023, 12, 1)


def test_given_a_school_year_typed_then_the_decision_asks_awards_for_it() -> None:
    found = draft(TYPED | {"period": "Năm học 2022–2023"}, ["n-1"], TODAY)
    assert not found.errors
    assert found.body["period"] == "school-year:2022-2023" and found.body["year"] == 2023


def test_given_no_period_then_the_decision_is_for_its_year_as_before() -> None:
    found = draft(TYPED, ["n-1"], TODAY)
    assert not found.errors and "period" not in found.body


def test_given_a_period_not_ending_in_the_year_or_unreadable_then_the_field_says_so() -> None:
    for typed in ("Giai đoạn 2020–2022", "hai năm gần đây"):
        found = draft(TYPED | {"period": typed}, ["n-1"], TODAY)
        assert [f.field for f in found.errors.fields] == ["period"], typed
