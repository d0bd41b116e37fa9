"""A report as .xlsx holds whatever text the read models hold: a character a workbook cannot
store (the C0 controls, found by tests/e2e/test_fuzz.py through a report's echoed parameters)
is shown as U+FFFD instead of failing the whole answer with a 500."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from services.reporting.adapters.xlsx import workbook


def test_characters_a_workbook_cannot_hold_are_replaced_not_fatal() -> None:
    report = {
        "programme": "sang\x00kien\x07",
        "by_unit": [{"unit": "cdcs\x1ba", "unit_name": "Trường\x0bA", "pledged": 1}],
    }
    content = workbook(report, "Báo cáo\x01 2023")

    book = load_workbook(io.BytesIO(content))
    summary = [row for row in book["Tổng hợp"].iter_rows(values_only=True)]
    assert summary[0][0] == "Báo cáo\ufffd 2023"
    assert ("Chương trình", "sang\ufffdkien\ufffd") in summary
    rows = list(book["Theo đơn vị"].iter_rows(values_only=True))
    assert rows[1] == ("cdcs\ufffda", "Trường\ufffdA", 1)


def test_ordinary_text_is_unchanged() -> None:
    content = workbook({"by_unit": [{"unit": "cdcs-a", "unit_name": "Tab\tand\nnewline"}]}, "Báo cáo")
    rows = list(load_workbook(io.BytesIO(content))["Theo đơn vị"].iter_rows(values_only=True))
    assert rows[1] == ("cdcs-a", "Tab\tand\nnewline")
