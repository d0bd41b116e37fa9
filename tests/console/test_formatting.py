"""Vietnamese formats and problem messages (no browser)."""

from __future__ import annotations

from datetime import date

from services.console.application import formatting as f
from services.console.application.problems import from_problem


def test_numbers_dates_money() -> None:
    assert f.number_vn(1530) == "1.530"
    assert f.number_vn(1234567) == "1.234.567"
    assert f.number_vn(160.44, 1) == "160,4"
    assert f.percent_vn(160.4) == "160,4 %"
    assert f.money_vn(57_700_000_000) == "57.700.000.000 đồng"
    assert f.money_short(57_700_000_000) == "57,7 tỷ đồng"
    assert f.money_short(3_000_000_000) == "3 tỷ đồng"
    assert f.money_short(150_000_000) == "150 triệu đồng"
    assert f.date_vn("2026-12-05") == "05/12/2026"
    assert f.date_prose(date(2026, 12, 5)) == "ngày 05 tháng 12 năm 2026"
    assert f.parse_date_vn("5/12/2026") == date(2026, 12, 5)
    assert f.parse_date_vn("2026-12-05") == date(2026, 12, 5)
    assert f.parse_date_vn("31/02/2026") is None and f.parse_date_vn("hôm qua") is None


def test_vietnamese_collation() -> None:
    names = ["Đào", "Dung", "Bình", "Âu", "Ăn", "An", "ả", "à", "Ơn", "Ôn", "On"]
    assert f.sort_vn(names) == ["à", "ả", "An", "Ăn", "Âu", "Bình", "Dung", "Đào", "On", "Ôn", "Ơn"]


def test_problem_details_become_vietnamese_field_errors() -> None:
    errors = from_problem(
        422,
        {
            "errors": [
                {"field": "full_name", "message": "Field required"},
                {"field": "code", "message": "String should match pattern '^[a-z0-9]'"},
                {"field": "unit", "message": "something new the services say"},
            ]
        },
    )
    assert [e.message for e in errors.on("full_name")] == ["Nhập Họ và tên"]
    assert errors.on("code")[0].message.startswith("Mã chỉ gồm chữ thường")
    unknown = errors.on("unit")[0]
    assert unknown.message == "Đơn vị: giá trị không được chấp nhận"
    assert unknown.original == "something new the services say" and unknown.anchor == "f-unit"


def test_deadlines_say_the_days_left() -> None:
    # Given today 05/12/2026
    today = date(2026, 12, 5)
    # When deadlines around it are shown
    # Then each says how many days are left, that it is today, or how late it is
    assert f.days_left("2026-12-17", today) == "còn 12 ngày"
    assert f.days_left("2026-12-05", today) == "hạn cuối hôm nay"
    assert f.days_left("2026-12-02", today) == "quá hạn 3 ngày"
    assert [f.deadline_class(d, today) for d in ("2026-12-31", "2026-12-10", "2026-12-01")] == [
        "open",
        "soon",
        "late",
    ]


def test_a_refused_merge_or_dissolution_is_said_in_vietnamese_with_the_dates() -> None:
    errors = from_problem(
        422,
        {
            "detail": "refused",
            "errors": [
                {
                    "field": "effective_on",
                    "message": "member 'dv-1' was in unit 'cdcs-a' on 2025-07-01 and moved out or left on "
                    "2025-08-01: date the merge then or later",
                },
                {
                    "field": "effective_on",
                    "message": "unit 'cdcs-a' still has 1 member(s) and 0 unit(s) under it on 2025-07-01 "
                    "(dv-2): transfer the members first",
                },
            ],
        },
    )
    said = [e.message for e in errors.fields]
    assert said[0].startswith("Đoàn viên dv-1 còn ở đơn vị này vào ngày 01/07/2025, đến ngày 01/08/2025")
    assert said[1].startswith("Vào ngày 01/07/2025 đơn vị còn 1 đoàn viên và 0 đơn vị trực thuộc (dv-2)")
