"""A list page's .xlsx: exactly the columns and rows the page shows, as a clerk opens it in Excel.

The same column list the page's table is described by (`Column`: a Vietnamese heading and how a
row's value is taken) gives the sheet; dates are real Excel dates shown dd/mm/yyyy, numbers are
numbers with a thousands format, the header row is frozen and filtered, the columns are wide
enough to read. A list longer than `MAX_ROWS` is cut there and the sheet says so."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from services.console.application.formatting import as_date, number_vn

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 50_000

# Excel number formats: dd/mm/yyyy; 1.530 and 57.700.000 (Excel shows the grouping of the
# reader's locale; a Vietnamese Excel shows dots); 160,4 %.
FORMATS = {
    "date": "dd/mm/yyyy",
    "number": "#,##0",
    "money": '#,##0 "đồng"',
    "decimal": "#,##0.0",
    "percent": "0.0 %",
}


@dataclass(frozen=True)
class Column:
    """One column of a list: its heading as the page shows it, the value of a row (already in
    words for codes: "Cá nhân", "Đã chấp nhận"), and what kind of value it is."""

    heading: str
    value: Callable[[Any], Any]
    kind: str = "text"  # text | date | number | money | decimal | percent
    width: int | None = None


def _cell(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "date":
        return as_date(value) or str(value)
    if kind in ("number", "money", "decimal", "percent"):
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, (int, float)):
            return value
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            return str(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return str(value)


def _shown_width(value: Any) -> int:
    if isinstance(value, (date, datetime)):
        return 10
    if isinstance(value, (int, float)):
        return len(f"{value:,.1f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def build(title: str, columns: Sequence[Column], rows: Iterable[Any], *, cut: bool = False) -> bytes:
    """The workbook of one list: a sheet named after it, a header row, one row a line.

    A list longer than `MAX_ROWS` (or one the caller says was `cut` there) keeps its first
    `MAX_ROWS` rows and a line under the table says so."""
    return build_book([(title, columns, rows, cut)])


def build_book(sheets: Sequence[tuple[str, Sequence[Column], Iterable[Any], bool]]) -> bytes:
    """A workbook of several lists, a sheet each (a history: the awards held, then every event)."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, columns, rows, cut in sheets:
        _sheet(book, title, columns, rows, cut)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Any], cut: bool) -> None:
    sheet = book.create_sheet(_sheet_title(title))
    sheet.append([c.heading for c in columns])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E5E7EB")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    widths = [len(c.heading) for c in columns]
    count = 0
    for row in rows:
        if count >= MAX_ROWS:
            cut = True
            break
        values = [_cell(c.value(row), c.kind) for c in columns]
        sheet.append(values)
        count += 1
        line = sheet.max_row
        for i, (column, value) in enumerate(zip(columns, values, strict=True)):
            if value is None:
                continue
            cell = sheet.cell(row=line, column=i + 1)
            if column.kind in FORMATS and not isinstance(value, str):
                cell.number_format = FORMATS[column.kind]
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[i] = max(widths[i], _shown_width(value))
    last = get_column_letter(len(columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    for i, column in enumerate(columns):
        width = column.width or min(max(widths[i] + 2, 8), 60)
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    if cut:
        note = f"Danh sách dài hơn {number_vn(MAX_ROWS)} dòng: tệp này chỉ gồm {number_vn(count)} dòng đầu."
        sheet.cell(row=count + 3, column=1, value=note).font = Font(italic=True)


def _sheet_title(title: str) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (clean or "Danh sách")[:31]


def filename(stem: str) -> str:
    """An ASCII file name for the Content-Disposition header."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in stem) + ".xlsx"
