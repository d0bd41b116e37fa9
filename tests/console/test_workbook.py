"""A list's .xlsx and its table description (no browser): the workbook a clerk opens in Excel."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from services.console.application import list_columns, list_paging, list_sorting, workbook
from tests.support import run_apart

PLEDGES = [
    {
        "subject_name": "Trần Thị Bình",
        "subject_code": "dv-b1",
        "subject_kind": "member",
        "award": "bang-khen-ldld",
        "movement": "td-2026",
        "unit": "cdcs-benh-vien",
        "pledged_on": "2026-03-05",
        "state": "accepted",
    },
    {
        "subject_name": "CĐCS Trường THPT Bắc Kạn",
        "subject_code": "cdcs-truong-a",
        "subject_kind": "unit",
        "award": "co-thi-dua-ldld",
        "movement": "td-2026",
        "unit": "cdcs-truong-a",
        "pledged_on": "2026-12-01",
        "state": "returned",
    },
]


def opened(content: bytes) -> Any:
    return load_workbook(BytesIO(content)).active


def test_headings_and_values_are_the_pages_words() -> None:
    # Given two pledges as registration lists them
    # When the pledges' workbook is built
    sheet = opened(workbook.build("Đăng ký thi đua 2026", list_columns.PLEDGES, PLEDGES))
    rows = list(sheet.iter_rows(values_only=True))
    # Then the header is the page's Vietnamese headings and codes are shown as words
    assert rows[0] == ("Đối tượng", "Loại", "Hình thức", "Phong trào", "Đơn vị", "Ngày đăng ký", "Trạng thái")
    assert rows[1][0] == "Trần Thị Bình (dv-b1)"
    assert [r[1] for r in rows[1:]] == ["Cá nhân", "Tập thể"]
    assert [r[6] for r in rows[1:]] == ["Đã chấp nhận", "Trả lại"]
    assert rows[1][2] != "bang-khen-ldld"  # the award's name, not its code


def test_dates_are_excel_dates_shown_dd_mm_yyyy() -> None:
    # Given a pledge made on 05/03/2026
    # When the workbook is built
    cell = opened(workbook.build("x", list_columns.PLEDGES, PLEDGES))["F2"]
    # Then the cell holds a date (Excel can sort and filter it), displayed as dd/mm/yyyy
    assert isinstance(cell.value, datetime) and cell.value.date().isoformat() == "2026-03-05"
    assert cell.number_format == "dd/mm/yyyy"


def test_numbers_are_numbers_with_a_format() -> None:
    # Given initiatives with a benefit value in đồng, one as the service's decimal string
    rows = [
        {"title": "A", "code": "sk-1", "benefit_value": 150_000_000, "registered_on": "2026-01-02"},
        {"title": "B", "code": "sk-2", "benefit_value": "2500000.00", "registered_on": "2026-01-03"},
    ]
    # When the workbook is built
    sheet = opened(workbook.build("Sáng kiến", list_columns.INITIATIVES, rows))
    # Then the values are numbers, formatted with thousands and "đồng"
    assert sheet["D2"].value == 150_000_000 and sheet["D3"].value == 2_500_000
    assert sheet["D2"].number_format == '#,##0 "đồng"'


def test_the_header_is_frozen_and_filtered() -> None:
    # Given the two pledges
    # When the workbook is built
    sheet = opened(workbook.build("x", list_columns.PLEDGES, PLEDGES))
    # Then the header row stays in view and every column has a filter over the rows
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert sheet["A1"].font.bold


def test_columns_are_wide_enough_to_read() -> None:
    # Given a long unit name
    # When the workbook is built
    sheet = opened(workbook.build("x", list_columns.PLEDGES, PLEDGES))
    # Then its column is at least as wide as the name, and a date column fits a date
    assert sheet.column_dimensions["A"].width >= len("CĐCS Trường THPT Bắc Kạn (cdcs-truong-a)")
    assert sheet.column_dimensions["F"].width >= 10


def test_a_list_longer_than_the_bound_is_cut_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a bound of 3 rows and a list of 5
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    rows = [{"full_name": f"Người {i}", "code": f"dv-{i}", "unit": "u"} for i in range(5)]
    # When the workbook is built
    sheet = opened(workbook.build("Đoàn viên", list_columns.MEMBERS, rows))
    # Then it holds the first 3 and a line under the table says the list was longer
    assert [sheet.cell(row=r, column=2).value for r in range(2, 5)] == ["dv-0", "dv-1", "dv-2"]
    assert sheet["A5"].value is None
    assert "chỉ gồm 3 dòng đầu" in sheet["A6"].value


def test_sorting_by_name_uses_vietnamese_collation() -> None:
    # Given members whose byte order is not the Vietnamese order
    members = [{"full_name": n} for n in ("Đặng Thị Ánh", "Ân Văn Hai", "Dương Bảo", "An Thị Ba")]
    # When sorted by the name column, then descending
    up = list_sorting.sorted_rows(members, list_columns.MEMBERS, "ten")
    down = list_sorting.sorted_rows(members, list_columns.MEMBERS, "-ten")
    # Then a < â and d < đ
    assert [m["full_name"] for m in up] == ["An Thị Ba", "Ân Văn Hai", "Dương Bảo", "Đặng Thị Ánh"]
    assert [m["full_name"] for m in down] == ["Đặng Thị Ánh", "Dương Bảo", "Ân Văn Hai", "An Thị Ba"]


def test_an_unknown_sort_keeps_the_services_order() -> None:
    # Given a sort naming no sortable column
    # When the rows are sorted
    # Then nothing moves and the page offers no order
    assert list_sorting.sorted_rows(PLEDGES, list_columns.PLEDGES, "<script>") == PLEDGES
    assert list_sorting.clean_sort(list_columns.PLEDGES, "<script>") is None


def test_headers_link_to_the_list_sorted_with_its_filters() -> None:
    # Given the pledges page filtered by state and sorted by subject
    params = {"year": 2026, "state": "accepted", "unit": None, "cursor": "abc"}
    view = list_sorting.table_view(list_columns.PLEDGES, "/f/bac-kan/pledges", params, "doi-tuong")
    subject = view["heads"][0]
    # Then the subject's header says it is ascending and links to descending, filters kept,
    # paging from the start; the download link carries the same filters and order
    assert subject.order == "ascending"
    assert subject.href == "/f/bac-kan/pledges?year=2026&state=accepted&sort=-doi-tuong"
    assert view["download"] == "/f/bac-kan/pledges.xlsx?year=2026&state=accepted&sort=doi-tuong"


def test_nomination_states_have_one_set_of_words() -> None:
    # Given nominations in each state
    rows = [{"state": "withdrawn"}, {"passed": True}, {"passed": False}, {"state": "submitted"}]
    # When shown in the nominations' table
    words = [list_columns.NOMINATIONS[-1].value(r) for r in rows]
    # Then the words are the label table's
    assert words == ["Đã rút", "Hội đồng thông qua", "Hội đồng không thông qua", "Chờ Hội đồng xét"]


class TwoPages:
    """A registration list of five members served two at a time, as its cursor pages them."""

    def __init__(self) -> None:
        self.names = ["Đinh", "Bình", "Ánh", "An", "Dũng"]

    async def get(self, path: str, token: str, **params: Any) -> dict[str, Any]:
        start = int(params.get("cursor") or 0)
        size = min(int(params["limit"]), 2)
        items = [{"full_name": n, "code": f"dv-{i}"} for i, n in enumerate(self.names)][start : start + size]
        after = start + size
        return {"items": items, "next_cursor": str(after) if after < len(self.names) else None}


def test_a_sorted_paged_list_is_sorted_whole_then_paged() -> None:
    # Given a list the service pages two rows at a time
    client: Any = TwoPages()
    # When the first and second page of three are asked for, sorted by name
    first = run_apart(list_paging.page_of(client, "/m", "t", {}, list_columns.MEMBERS, "ten", None, 3))
    second = run_apart(
        list_paging.page_of(client, "/m", "t", {}, list_columns.MEMBERS, "ten", first["next_cursor"], 3)
    )
    # Then the order is the whole list's, not each service page's
    assert [m["full_name"] for m in first["items"]] == ["An", "Ánh", "Bình"]
    assert [m["full_name"] for m in second["items"]] == ["Dũng", "Đinh"] and second["next_cursor"] is None
    assert first["sorted_whole"]


def test_a_list_too_long_to_sort_whole_is_sorted_a_page_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a bound of 3 rows for sorting whole, and a list of 5
    monkeypatch.setattr(list_paging, "SORT_LIMIT", 3)
    client: Any = TwoPages()
    # When a page is asked for sorted by name
    page = run_apart(list_paging.page_of(client, "/m", "t", {}, list_columns.MEMBERS, "ten", None, 2))
    # Then it is the service's page sorted, and says it is not the whole list's order
    assert [m["full_name"] for m in page["items"]] == ["Bình", "Đinh"]
    assert page["sorted_whole"] is False


def test_a_history_downloads_as_two_sheets() -> None:
    # Given an auditor's history: one award held, two events
    from services.console.application.audit_history import Held, Line

    held = [
        Held("Bằng khen", 2025, "12/QĐ", "05/12/2025", "Nguyễn Văn Ký", "LĐLĐ", "Văn thư", "05/12/2025", None)
    ]
    lines = [
        Line(
            "01/12/2025 08:00",
            "Đăng ký thi đua",
            "pledge-registered",
            "",
            None,
            [],
            "",
            "Văn thư",
            None,
            "01/12/2025",
        ),
        Line(
            "05/12/2025 09:00",
            "Được khen thưởng",
            "award-granted",
            "Bằng khen",
            2025,
            [("Số", "12")],
            "",
            "Ký",
            None,
            "05/12/2025",
        ),
    ]
    # When the workbook is built
    book = load_workbook(
        BytesIO(
            workbook.build_book(
                [
                    ("Khen thưởng còn hiệu lực", list_columns.HELD, held, False),
                    ("Toàn bộ diễn biến", list_columns.HISTORY, lines, False),
                ]
            )
        )
    )
    # Then each table is a sheet with the page's headings and lines
    assert book.sheetnames == ["Khen thưởng còn hiệu lực", "Toàn bộ diễn biến"]
    assert book.worksheets[0]["C2"].value == "Số 12/QĐ ngày 05/12/2025 (LĐLĐ)"
    assert (
        book.worksheets[1].max_row == 3
        and book.worksheets[1]["C3"].value == "Được khen thưởng\nBằng khen năm 2025"
    )
    # And each event shows the day it happened beside the moment it was recorded
    assert [c.value for c in book.worksheets[1][3]][:2] == ["05/12/2025", "05/12/2025 09:00"]
