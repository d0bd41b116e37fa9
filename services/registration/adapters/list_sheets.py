"""The bulk lists (units, members, initiatives, works, targets) as a clerk fills them in Excel:
Vietnamese headings, one row each, dates typed dd/mm/yyyy, choices in Vietnamese or as codes."""

from __future__ import annotations

import functools
import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from shared.kernel.errors import Invalid
from shared.kernel.text import fold
from shared.kernel.words import PROGRAMMES, SUBJECT_KINDS, UNIT_KINDS
from shared.web.spreadsheet import cell_text, open_workbook, sheet_rows

MAX_ROWS = 10_000
GENDERS = {"male": "Nam", "female": "Nữ", "other": "Khác"}
ORIGINS = {"assigned": "Giao", "self": "Tự đăng ký"}
# A choice column's words -> its codes (the code itself is read too).
CHOICES: dict[str, dict[str, str]] = {
    "kind": UNIT_KINDS,
    "gender": GENDERS,
    "author_kind": SUBJECT_KINDS,
    "programme": PROGRAMMES,
    "origin": ORIGINS,
}
DATES = {"effective_on", "registered_on", "recognised_on"}
D = " (dd/mm/yyyy)"
# kind -> (sheet title, ((field, heading), ...), required fields, an example row)
SHEETS: dict[str, tuple[str, tuple[tuple[str, str], ...], tuple[str, ...], tuple[Any, ...]]] = {
    "units": (
        "Đơn vị",
        (
            ("code", "Mã đơn vị"),
            ("name", "Tên đơn vị"),
            ("kind", "Loại đơn vị"),
            ("parent", "Mã đơn vị cấp trên"),
            ("effective_on", "Ngày thành lập" + D),
        ),
        ("code", "name", "kind"),
        ("cdcs-truong-a", "CĐCS Trường THPT A", "Công đoàn cơ sở", "ldld-tp-bac-kan", "01/01/2020"),
    ),
    "members": (
        "Đoàn viên",
        (
            ("code", "Mã đoàn viên"),
            ("full_name", "Họ và tên"),
            ("unit", "Mã đơn vị"),
            ("birth_year", "Năm sinh"),
            ("gender", "Giới tính"),
            ("position", "Chức vụ"),
        ),
        ("code", "full_name", "unit"),
        ("dv-0001", "Nguyễn Văn An", "cdcs-truong-a", 1985, "Nam", "Giáo viên"),
    ),
    "initiatives": (
        "Sáng kiến",
        (
            ("code", "Mã sáng kiến"),
            ("title", "Tên sáng kiến"),
            ("field", "Lĩnh vực"),
            ("benefit_value", "Giá trị làm lợi (đồng)"),
            ("author_kind", "Tác giả (Cá nhân / Tập thể)"),
            ("author_code", "Mã tác giả"),
            ("year", "Năm"),
            ("registered_on", "Ngày đăng ký" + D),
            ("recognised_on", "Ngày công nhận" + D),
            ("council_of", "Hội đồng công nhận (mã đơn vị)"),
            ("recognised_value", "Giá trị làm lợi được công nhận (đồng)"),
        ),
        ("code", "title", "field", "author_kind", "author_code", "year", "registered_on"),
        (
            "sk-2023-0001",
            "Phần mềm quản lý hồ sơ đoàn viên",
            "công nghệ thông tin",
            150000000,
            "Cá nhân",
            "dv-0001",
            2023,
            "01/03/2023",
            "20/11/2023",
            "ldld-tp-bac-kan",
            120000000,
        ),
    ),
    "works": (
        "Công trình",
        (
            ("code", "Mã công trình"),
            ("name", "Tên công trình"),
            ("unit", "Đơn vị thực hiện (mã)"),
            ("value", "Giá trị (đồng)"),
            ("occasion", "Chào mừng sự kiện"),
            ("year", "Năm"),
            ("registered_on", "Ngày đăng ký" + D),
        ),
        ("code", "name", "unit", "value", "occasion", "year", "registered_on"),
        ("ct-01", "Nhà văn hoá công nhân", "ldld-tp-bac-kan", 1200000000, "Đại hội XII", 2023, "01/03/2023"),
    ),
    "targets": (
        "Chỉ tiêu",
        (
            ("unit", "Mã đơn vị"),
            ("programme", "Chương trình (Sáng kiến / Công trình)"),
            ("year", "Năm"),
            ("target", "Chỉ tiêu"),
            ("origin", "Nguồn (Giao / Tự đăng ký)"),
            ("assigned_by", "Đơn vị giao (mã)"),
        ),
        ("unit", "programme", "year", "target"),
        ("cdcs-truong-a", "Sáng kiến", 2023, 12, "Giao", "ldld-tp-bac-kan"),
    ),
}


def column_of(kind: str, field: str) -> str:
    return dict(SHEETS[kind][1]).get(field.split(".")[0], field)


def template(kind: str) -> bytes:
    title, columns, _, example = SHEETS[kind]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(["STT", *(heading for _, heading in columns)])
    sheet.append([1, *example])
    sheet.column_dimensions["A"].width = 6
    for i, (field, heading) in enumerate(columns):
        letter = chr(ord("B") + i)
        sheet.column_dimensions[letter].width = max(16, len(heading) + 2)
        if field in CHOICES:
            words = ",".join(CHOICES[field].values())
            choice = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
            sheet.add_data_validation(choice)
            choice.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    guide.append([f"Mỗi dòng một {title.lower()}. Không đổi tên cột. Tối đa 10.000 dòng."])
    guide.append(["Ngày gõ theo dạng dd/mm/yyyy, ví dụ 22/12/2023. Cột bắt buộc:"])
    guide.append([dict(columns)[f] for f in SHEETS[kind][2]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(field: str, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = cell_text(value)  # a control or invisible character stays, for the row to report
    if field in DATES:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        try:
            return datetime.strptime(str(value), "%d/%m/%Y").date().isoformat()
        except ValueError:
            return str(value)  # an ISO date passes; anything else is reported for its row
    if field in CHOICES:
        return _choice(field, str(value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int) else str(value)


@functools.lru_cache(maxsize=256)  # a list repeats a few spellings thousands of times
def _choice(field: str, text: str) -> str:
    words = {fold(w): code for code, w in CHOICES[field].items()} | {fold(c): c for c in CHOICES[field]}
    return words.get(fold(text), text)


def read_rows(kind: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, fields) for each non-empty row of the list's sheet."""
    title, columns, required, _ = SHEETS[kind]
    book = open_workbook(content)
    sheet = book[title] if title in book.sheetnames else book.worksheets[0]
    rows = sheet_rows(sheet)
    header = next(rows, (1, ()))[1] or ()
    by_heading = {fold(h): f for f, h in columns} | {f: f for f, _ in columns} | {"stt": "stt"}
    fields = [by_heading.get(fold(str(h))) if h is not None else None for h in header]
    missing = [dict(columns)[f] for f in required if f not in fields]
    if missing:
        raise Invalid.on("file", f"the first row lacks the columns: {', '.join(missing)}", row=1)
    out: list[tuple[int, dict[str, Any]]] = []
    for number, values in rows:
        row = {f: _cell(f, v) for f, v in zip(fields, values, strict=False) if f and f != "stt"}
        row = {k: v for k, v in row.items() if v is not None}
        if not row:
            continue
        if len(out) == MAX_ROWS:
            raise Invalid.on("file", f"a list holds at most {MAX_ROWS} rows", row=number)
        out.append((number, row))
    book.close()
    return out
