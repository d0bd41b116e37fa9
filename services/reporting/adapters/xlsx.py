"""Reports as Excel workbooks a clerk can hand to a superior: on every sheet a title block (the
federation or "Toàn quốc", the report's title, its period, "Tính đến ngày", "Lập lúc" in Vietnam
time), then a table with Vietnamese headings, its header row frozen and filtered, its columns
wide enough to read. The first sheet sums the report up (Nội dung, Số liệu); each grouping is a
sheet of its own, a row's nested figures its own columns (xlsx_cells), a list of rows within a
row a further sheet. Money is a number shown `#,##0 "đồng"`, a percentage a fraction shown
`0.0%`, a count `#,##0`, a date a real date shown dd/mm/yyyy. No cell holds JSON."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.adapters.xlsx_cells import FORMATS, HEADINGS, SHEETS, Cell, Words, cells, is_table

# the keys the title block names, so the summary does not repeat them
TITLED = {"federation", "year", "as_of", "from", "to", "subject_kind", "code"}
HEADER_FILL = PatternFill("solid", fgColor="E5E7EB")
HEADER_ROW = 7  # under the title block's five lines and a sixth, the unit's or blank


@dataclass(frozen=True)
class Heading:
    """A workbook's title block: who it is for, what, which period, as of when, made when."""

    place: str  # the federation's name, or "Toàn quốc"
    title: str
    period: str  # "Năm 2023", "Nhiệm kỳ 2018–2023"
    as_of: date
    made_at: datetime  # Vietnam time
    unit: str | None = None

    def lines(self, sheet_title: str | None) -> list[str]:
        title = f"{self.title} – {sheet_title}" if sheet_title else self.title
        out = [self.place, title, self.period, f"Tính đến ngày {self.as_of:%d/%m/%Y}"]
        out.append(f"Lập lúc {self.made_at:%d/%m/%Y %H:%M}")
        if self.unit:
            out.append(f"Đơn vị: {self.unit}")
        return out


def _text(value: Any) -> Any:
    """Text a workbook cannot hold (C0 controls other than tab and newline, as a value stored
    before text hygiene or echoed from a request may carry) is shown as U+FFFD, so one such
    character never fails the whole report."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def _width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "money" and isinstance(value, (int, float)):
        return len(f"{value:,.0f} đồng")
    if kind == "percent" and isinstance(value, (int, float)):
        return len(f"{value * 100:.1f}%")
    if kind in ("date", "moment"):
        return 10 if kind == "date" else 16
    if isinstance(value, (int, float)):
        return len(f"{value:,}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _table(book: Workbook, name: str, heading: Heading, rows: list[list[Cell]], first: bool) -> None:
    """A sheet: the title block, a blank line, the header row (frozen, filtered), the rows (the
    summary's headings even when it has none)."""
    sheet: Worksheet = book.create_sheet(_sheet_name(book, name))
    for i, line in enumerate(heading.lines(None if first else name), start=1):
        sheet.cell(row=i, column=1, value=_text(line)).font = Font(bold=i <= 2, size=14 if i == 2 else 11)
    top = HEADER_ROW
    columns: list[str] = ["Nội dung", "Số liệu"] if first else []
    for row in rows:
        columns += [h for h, _, _ in row if h not in columns]
    widths = [min(len(c), 30) for c in columns]
    for col, title in enumerate(columns, start=1):
        cell = sheet.cell(row=top, column=col, value=_text(title))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for r, row in enumerate(rows, start=top + 1):
        for title, kind, value in row:
            col = columns.index(title)
            cell = sheet.cell(row=r, column=col + 1, value=_text(value))
            if kind in FORMATS and value is not None and not isinstance(value, str):
                cell.number_format = FORMATS[kind]
            widths[col] = max(widths[col], _width(value, kind))
    sheet.freeze_panes = f"A{top + 1}"
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(max(len(columns), 1))}{top + len(rows)}"
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)


def _sheet_name(book: Workbook, name: str) -> str:
    clean = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Bảng"
    taken, n, out = set(book.sheetnames), 2, clean
    while out in taken:
        out, n = f"{clean[:28]} {n}", n + 1
    return out


def _summary(report: dict[str, Any], words: Words) -> list[list[Cell]]:
    """Nội dung, Số liệu: each figure the report heads with (a breakdown's or the term's totals'
    each its own line); a grouping with no rows says so."""
    figures = {k: v for k, v in report.items() if k not in TITLED and not is_table(v) and v != []}
    if report.get("unit") is None:
        figures.pop("unit", None)
    out = [[("Nội dung", "text", h), ("Số liệu", k, v)] for h, k, v in cells(figures, words)]
    for key, value in report.items():
        if value == []:
            name = SHEETS.get(key, HEADINGS.get(key, key))
            out.append([("Nội dung", "text", name), ("Số liệu", "text", "Không có")])
    return out


def _groupings(report: dict[str, Any], words: Words) -> list[tuple[str, list[list[Cell]]]]:
    """Each list of rows a sheet; a list of rows within a row (a block's years) a further sheet,
    each of its rows led by the identifying cells of the row it belongs to."""
    out: list[tuple[str, list[list[Cell]]]] = []
    for key, value in report.items():
        if not is_table(value):
            continue
        out.append((SHEETS.get(key, key), [cells(row, words) for row in value]))
        inner: dict[str, list[list[Cell]]] = {}
        for row in value:
            own = words.with_units(row.get("unit_names"))
            lead = [c for c in cells(row, own) if c[0] in (HEADINGS["block"], HEADINGS["block_name"])]
            for k, v in row.items():
                if is_table(v):
                    inner.setdefault(k, []).extend(lead + cells(item, own) for item in v)
        out += [(SHEETS.get(k, k), rows) for k, rows in inner.items()]
    return out


def workbook(report: dict[str, Any], heading: Heading, federations: dict[str, str] | None = None) -> bytes:
    """The report's workbook; `federations` names the federations its rows name by code."""
    words = Words(federations or {})
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    _table(book, "Tổng hợp", heading, _summary(report, words), True)
    for name, rows in _groupings(report, words):
        _table(book, name, heading, rows, False)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
