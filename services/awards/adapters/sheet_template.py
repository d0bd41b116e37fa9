"""The .xlsx templates of grants:import, ratings:batch and disciplines:batch: Vietnamese
headings, an example row, date columns shown dd/mm/yyyy, drop-down lists for the coded columns
(subject kinds, awards by name or code from the federation's catalogue, ratings, discipline
levels, occasions), and a sheet of instructions."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from services.awards.adapters.sheets import Column, Sheet
from shared.kernel.catalogue import DEFAULT_AWARDS

MAX_ROWS = 20_000
LISTS = "Danh mục"
GUIDE = "Hướng dẫn"
DATE_FORMAT = "DD/MM/YYYY"
INSTRUCTIONS = (
    "Mỗi dòng một bản ghi; xóa dòng ví dụ trước khi gửi. Không đổi tên cột, không chèn cột.",
    "Đối tượng: chọn “Cá nhân” hoặc “Tập thể” trong danh sách.",
    "Ngày: gõ theo dạng dd/mm/yyyy, ví dụ 22/12/2023.",
    "Danh hiệu, hình thức khen thưởng: chọn tên trong danh sách (hoặc gõ mã) — xem trang Danh mục.",
    "Xếp loại, hình thức kỷ luật, loại khen thưởng: chọn trong danh sách.",
    "Thời kỳ: để trống nếu là cả năm ở cột Năm; ghi “Năm học 2022–2023” hoặc “Giai đoạn 2021–2023” "
    "(cột Năm là năm kết thúc, ví dụ 2023).",
    "Dòng nào sai, cả danh sách không được lưu; lỗi nêu số dòng và tên cột để sửa.",
)


def template(sheet: Sheet, awards: Sequence[tuple[str, str]] | None = None) -> bytes:
    """The workbook for `sheet`; `awards` are the federation's (code, name) pairs."""
    catalogue = list(awards) if awards is not None else [(a.code, a.name) for a in DEFAULT_AWARDS]
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.title
    ws.append([c.heading for c in sheet.cols])
    ws.append(list(sheet.example))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    lists = book.create_sheet(LISTS)
    for i, column in enumerate(sheet.cols, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        if column.kind == "date":  # the column's style, and the example's own cell
            ws.column_dimensions[letter].number_format = DATE_FORMAT
            ws.cell(2, i).number_format = DATE_FORMAT
        choices = _choices(column, catalogue)
        if choices:
            _drop_down(ws, lists, letter, column, choices)
    _guide(book, catalogue)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _choices(column: Column, catalogue: list[tuple[str, str]]) -> list[str]:
    if column.kind == "award":
        return [name for _, name in catalogue] + [code for code, _ in catalogue]
    return list(column.choices.values())


def _drop_down(ws: Worksheet, lists: Worksheet, letter: str, column: Column, choices: list[str]) -> None:
    """A list of `choices` on the column's cells, kept on the lists sheet (an inline list holds
    at most 255 characters)."""
    at = lists.max_column + 1 if lists.cell(1, 1).value else 1
    lists.cell(1, at, column.heading).font = Font(bold=True)
    for row, choice in enumerate(choices, start=2):
        lists.cell(row, at, choice)
    source = get_column_letter(at)
    check = DataValidation(
        type="list",
        formula1=f"{quote_sheetname(LISTS)}!${source}$2:${source}${len(choices) + 1}",
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle=column.heading,
        error="Chọn một giá trị trong danh sách.",
    )
    ws.add_data_validation(check)
    check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    lists.column_dimensions[source].width = 40


def _guide(book: Workbook, catalogue: list[tuple[str, str]]) -> None:
    guide = book.create_sheet(GUIDE)
    for line in INSTRUCTIONS:
        guide.append([line])
    guide.append([])
    guide.append(["Mã danh hiệu, hình thức", "Tên"])
    for code, name in catalogue:
        guide.append([code, name])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 45
