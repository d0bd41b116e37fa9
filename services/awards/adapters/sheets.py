"""Lists as .xlsx sheets (grants:import, ratings:batch, disciplines:batch), as a clerk fills
them in Excel: the first row names the columns by their Vietnamese headings (or, for files made
from the first templates, by the fields' English names), each further row is one line. Cells
are read as a clerk types them: dates dd/mm/yyyy (text or a real Excel date; ISO still passes),
subject kinds "Cá nhân"/"Tập thể", awards by name or code, ratings and discipline levels by
their Vietnamese names, a period as "Năm học 2022–2023" or "Giai đoạn 2021–2023" (empty: the
year's calendar year); case and diacritics do not matter. What cannot be read is left as typed,
for the list's check to report by row, column and a Vietnamese message."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date, datetime
from typing import Any

from shared.kernel.catalogue import DEFAULT_AWARDS
from shared.kernel.errors import FieldError, Invalid
from shared.kernel.text import fold
from shared.web.spreadsheet import cell_text, open_workbook, sheet_rows

KINDS = {"member": "Cá nhân", "unit": "Tập thể"}
RATINGS_VI = {
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "complete": "Hoàn thành nhiệm vụ",
    "incomplete": "Không hoàn thành nhiệm vụ",
}
LEVELS_VI = {
    "reprimand": "Khiển trách",
    "warning": "Cảnh cáo",
    "demotion": "Giáng chức",
    "dismissal": "Cách chức",
    "review": "Đang xem xét kỷ luật",
    "cleared": "Kết thúc xem xét, không kỷ luật",
}
OCCASIONS_VI = {"regular": "Thường xuyên", "thematic": "Theo chuyên đề", "ad-hoc": "Đột xuất"}


@dataclass(frozen=True)
class Column:
    field: str
    heading: str
    required: bool = False
    kind: str = "text"  # text, number, date, award, or choice (of `choices`: value -> label)
    choices: Mapping[str, str] = default(default_factory=dict)
    width: int = 22


@dataclass(frozen=True)
class Sheet:
    title: str
    cols: tuple[Column, ...]
    example: tuple[Any, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The fields of a line (STT, the clerk's own row number, is none)."""
        return tuple(c.field for c in self.cols if c.field != "stt")

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.cols if c.required)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.cols if c.field == name), None)

    def heading(self, name: str) -> str:
        found = self.column(name.split(".")[0])
        return found.heading if found else name


STT = Column("stt", "STT", width=6)
KIND = Column("subject_kind", "Đối tượng (Cá nhân / Tập thể)", True, "choice", KINDS, 26)
CODE = Column("subject_code", "Mã cá nhân / tập thể", True)
YEAR = Column("year", "Năm", True, "number", width=8)
PERIOD = Column("period", "Thời kỳ (Năm 2023 / Năm học 2022–2023 / Giai đoạn 2021–2023)", width=30)
GRANTS = Sheet(
    "Khen thưởng",
    (
        STT,
        KIND,
        CODE,
        Column("award", "Danh hiệu, hình thức khen thưởng (tên hoặc mã)", True, "award", width=40),
        YEAR,
        Column("decision_number", "Số quyết định", True),
        Column("decision_date", "Ngày quyết định (dd/mm/yyyy)", True, "date"),
        Column("signer", "Người ký"),
        Column("authority", "Cấp khen thưởng (mã)", True),
        Column("occasion", "Loại khen thưởng", False, "choice", OCCASIONS_VI, 18),
        Column("nomination", "Mã hồ sơ đề nghị (nếu có)"),
        PERIOD,  # last, so sheets filled before it still read
    ),
    (
        1,
        "Cá nhân",
        "dv-001",
        "Bằng khen của Thủ tướng Chính phủ",
        2022,
        "123/QĐ-TTg",
        date(2022, 5, 1),
        "",
        "prime-minister",
        "Thường xuyên",
        "",
        "Năm 2022",
    ),
)
RATINGS = Sheet(
    "Xếp loại",
    (STT, KIND, CODE, YEAR, Column("rating", "Xếp loại", True, "choice", RATINGS_VI, 32)),
    (1, "Cá nhân", "dv-001", 2025, "Hoàn thành xuất sắc nhiệm vụ"),
)
DISCIPLINES = Sheet(
    "Kỷ luật",
    (
        STT,
        KIND,
        CODE,
        YEAR,
        Column("level", "Hình thức kỷ luật", True, "choice", LEVELS_VI, 32),
        Column("decided_on", "Ngày quyết định (dd/mm/yyyy)", True, "date"),
    ),
    (1, "Cá nhân", "dv-001", 2025, "Khiển trách", date(2025, 10, 1)),
)

NOMINATIONS = Sheet(
    "Đề nghị khen thưởng",
    (
        STT,
        KIND,
        CODE,
        Column("award", "Danh hiệu, hình thức khen thưởng (tên hoặc mã)", True, "award", width=40),
        YEAR,
        Column("grounds", "Thành tích", width=40),
        Column("nominated_by", "Đơn vị đề nghị (mã)"),
        PERIOD,
    ),
    (1, "Cá nhân", "dv-001", "Lao động tiên tiến", 2025, "Hoàn thành xuất sắc nhiệm vụ", "", ""),
)


@dataclass
class CellError(FieldError):
    """A refused cell: its row in the sheet and its column's heading, beside the field."""

    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "column": self.column}


@dataclass
class Listed:
    """A sheet's lines, the sheet row of each (`numbers`), and the cells already refused."""

    sheet: Sheet
    rows: list[dict[str, Any]]
    numbers: list[int]
    errors: list[CellError]

    def row_of(self, index: int) -> int:
        """The sheet row of the list's `index`-th line (1-based)."""
        return self.numbers[index - 1] if 0 < index <= len(self.numbers) else index


def award_names(awards: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Folded name or code -> code, from (code, name) pairs of a catalogue."""
    out = {fold(name): code for code, name in awards}
    out.update({fold(code): code for code, _ in awards})
    return out


DEFAULT_NAMES = award_names((a.code, a.name) for a in DEFAULT_AWARDS)
_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def as_date(value: Any) -> Any:
    """ISO text for a real date or one typed dd/mm/yyyy; anything else as it was typed."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    found = _DMY.fullmatch(text)
    if found is None:
        return text
    day, month, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def _choice(column: Column, text: str) -> str:
    folded = fold(text)
    for value, label in column.choices.items():
        if folded in (fold(value), fold(label)):
            return value
    return "unit" if column.field == "subject_kind" and folded == "don vi" else text


def _cell(column: Column, value: Any, awards: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        value = cell_text(value)  # a control character stays, for its row to report
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if column.kind == "date":
        return as_date(value)
    if column.kind == "number":
        return value
    text = value.isoformat() if isinstance(value, date) else str(value)
    if column.kind == "choice":
        return _choice(column, text)
    if column.kind == "award":
        return awards.get(fold(text), text)
    return text


def read_sheet(sheet: Sheet, content: bytes, awards: Mapping[str, str] | None = None) -> Listed:
    names = DEFAULT_NAMES if awards is None else awards
    book = open_workbook(content)
    rows = sheet_rows(book.worksheets[0])
    header = next(rows, (1, ()))[1] or ()
    by_heading = {fold(c.heading): c for c in sheet.cols} | {c.field: c for c in sheet.cols}
    cols = [by_heading.get(fold(str(h))) if h is not None else None for h in header]
    missing = [c.heading for c in sheet.cols if c.required and c not in cols]
    if missing:
        message = f"dòng đầu phải là tên các cột; thiếu cột: {', '.join(missing)}"
        raise Invalid.on("file", message, row=1)
    listed = Listed(sheet, [], [], [])
    codes = set(names.values())
    for number, values in rows:
        line = {}
        for column, value in zip(cols, values, strict=False):
            if column is None or column is STT or value is None or str(value).strip() == "":
                continue
            line[column.field] = _cell(column, value, names)
            if column.kind == "award" and line[column.field] not in codes:
                message = "không có trong danh mục khen thưởng; chọn tên hoặc mã từ danh sách"
                listed.errors.append(CellError(column.field, message, number, column.heading))
        if line:
            listed.rows.append(line)
            listed.numbers.append(number)
    book.close()
    return listed


def read_rows(sheet: Sheet, content: bytes, awards: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    return read_sheet(sheet, content, awards).rows
