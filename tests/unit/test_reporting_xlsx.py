"""A report as .xlsx holds whatever text the read models hold: a character a workbook cannot
store (the C0 controls, found by tests/e2e/test_fuzz.py through a report's echoed parameters)
is shown as U+FFFD instead of failing the whole answer with a 500."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from services.reporting.adapters.xlsx import Heading, workbook

HEADER = 7  # the title block, a blank line, then the header row


def heading(title: str = "Báo cáo") -> Heading:
    return Heading("Bắc Kạn", title, "Năm 2023", date(2023, 12, 31), datetime(2024, 1, 2, 8, 30))


def test_characters_a_workbook_cannot_hold_are_replaced_not_fatal() -> None:
    # Given a report whose text holds control characters
    report = {
        "programme": "sang\x00kien\x07",
        "by_unit": [{"unit": "cdcs\x1ba", "unit_name": "Trường\x0bA", "pledged": 1}],
    }
    # When it is written as a workbook
    content = workbook(report, heading("Báo cáo\x01 2023"))
    # Then each such character is U+FFFD, in the title block and the tables alike
    book = load_workbook(io.BytesIO(content))
    summary = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert summary[1][0] == "Báo cáo\ufffd 2023"
    assert ("Chương trình", "sang\ufffdkien\ufffd") in summary
    rows = list(book["Theo đơn vị"].iter_rows(min_row=HEADER, values_only=True))
    assert rows[1] == ("cdcs\ufffda", "Trường\ufffdA", 1)


def test_ordinary_text_is_unchanged() -> None:
    # Given a row with a tab and a newline, When written, Then they are kept
    content = workbook({"by_unit": [{"unit": "cdcs-a", "unit_name": "Tab\tand\nnewline"}]}, heading())
    rows = list(load_workbook(io.BytesIO(content))["Theo đơn vị"].iter_rows(min_row=HEADER, values_only=True))
    assert rows[1] == ("cdcs-a", "Tab\tand\nnewline")


def test_a_grouping_without_rows_is_named_in_the_summary() -> None:
    # Given a report with no nominations sent upward, When written
    book = load_workbook(io.BytesIO(workbook({"granted": 0, "nominated_upward": []}, heading())))
    # Then the summary says there are none, and no empty sheet is made
    rows = list(book["Tổng hợp"].iter_rows(min_row=HEADER, values_only=True))
    assert rows == [("Nội dung", "Số liệu"), ("Số được khen", 0), ("Đề nghị cấp trên", "Không có")]
    assert book.sheetnames == ["Tổng hợp"]


def test_a_units_report_names_the_unit_above_the_header_row() -> None:
    # Given a report of one unit's subtree, When written
    unit = Heading("Bắc Kạn", "Báo cáo", "Năm 2023", date(2023, 12, 31), datetime(2024, 1, 2, 8, 30), "tp")
    sheet = load_workbook(io.BytesIO(workbook({"pledged": 1}, unit)))["Tổng hợp"]
    # Then row 6 names it and the header row stays at row 7, frozen
    assert (sheet["A6"].value, sheet["A7"].value, sheet.freeze_panes) == ("Đơn vị: tp", "Nội dung", "A8")
