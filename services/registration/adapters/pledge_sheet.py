"""The pledge list as a clerk fills it in Excel: Vietnamese headings, one pledge per row."""

from __future__ import annotations

import functools
import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from shared.kernel.catalogue import DEFAULT_AWARDS
from shared.kernel.errors import Invalid
from shared.kernel.text import fold
from shared.web.spreadsheet import cell_text, open_workbook, sheet_rows

SHEET = "Đăng ký thi đua"
# (field, heading): the template's columns, in order. STT is the clerk's own row number.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("stt", "STT"),
    ("movement", "Mã phong trào"),
    ("award", "Mã danh hiệu, hình thức khen thưởng"),
    ("subject_kind", "Đối tượng (Cá nhân / Tập thể)"),
    ("subject_code", "Mã cá nhân / tập thể"),
    ("subject_name", "Họ và tên / Tên tập thể"),
    ("submitted_by", "Đơn vị đăng ký (mã)"),
    ("phase", "Đợt thi đua"),
    ("pledged_on", "Ngày đăng ký (dd/mm/yyyy)"),
    # Only for a person not yet registered, with new_members=register (application.pledge_list_people).
    ("unit", "Đơn vị sinh hoạt (mã) – người chưa có mã đoàn viên"),
    ("birth_year", "Năm sinh – người chưa có mã đoàn viên"),
)
HEADING = dict(COLUMNS)
REQUIRED = ("movement", "award", "subject_kind", "subject_code")
KINDS = {"ca nhan": "member", "member": "member", "tap the": "unit", "unit": "unit", "don vi": "unit"}
MAX_ROWS = 10_000


def column_of(field: str) -> str:
    return HEADING.get(field.split(".")[0], field)


def message_of(error: Any) -> str:
    """A row's check refusing a cell, in Vietnamese where its kind is known (the English kept)."""
    kind, english = str(error.get("type", "")), str(error.get("msg", ""))
    if kind == "missing":
        words = "không được để trống"
    elif kind.startswith("date") and kind != "date_range":
        words = "không phải một ngày; gõ theo dạng dd/mm/yyyy, ví dụ 22/12/2023"
    elif kind == "literal_error" and error.get("loc", ())[:1] == ("subject_kind",):
        words = "không hợp lệ; chọn Cá nhân hoặc Tập thể"
    else:
        return english
    return f"{words} ({english})"


def template() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append([heading for _, heading in COLUMNS])
    sheet.append(
        [
            1,
            "td-2023",
            "bang-khen-ldld",
            "Cá nhân",
            "dv-0001",
            "Nguyễn Văn An",
            "cdcs-truong-a",
            "",
            "01/02/2023",
            "",
            "",
        ]
    )
    for letter, width in zip("ABCDEFGHIJK", (6, 16, 30, 26, 22, 30, 22, 14, 22, 30, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    kinds = DataValidation(type="list", formula1='"Cá nhân,Tập thể"', allow_blank=False)
    sheet.add_data_validation(kinds)
    kinds.add(f"D2:D{MAX_ROWS + 1}")
    _award_list(book, sheet)
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Mỗi dòng một đăng ký. Không đổi tên cột. Tối đa 10.000 dòng."])
    guide.append(["Mã danh hiệu", "Tên", "Đối tượng"])
    for award in DEFAULT_AWARDS:
        guide.append(
            [award.code, award.name, {"member": "Cá nhân", "unit": "Tập thể"}.get(award.subjects, "Cả hai")]
        )
    guide.append(["Để trống ô Mã danh hiệu: đăng ký tham gia phong trào (không đăng ký danh hiệu)."])
    guide.append(
        [
            "Người chưa có trong danh sách đoàn viên: ghi mã đoàn viên mới, Họ và tên, Đơn vị sinh hoạt "
            "(mã) và Năm sinh, rồi gửi kèm lựa chọn đăng ký đoàn viên mới: người đó được đăng ký trước, "
            "rồi đến đăng ký thi đua."
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _award_list(book: Workbook, sheet: Any) -> None:
    """The award column's drop-down: the catalogue's names, then its codes (both are read), kept
    on a sheet of their own (an inline list holds at most 255 characters)."""
    lists = book.create_sheet("Danh mục")
    lists.append([HEADING["award"]])
    for choice in [a.name for a in DEFAULT_AWARDS] + [a.code for a in DEFAULT_AWARDS]:
        lists.append([choice])
    lists.column_dimensions["A"].width = 40
    awards = DataValidation(
        type="list", formula1=f"'Danh mục'!$A$2:$A${2 * len(DEFAULT_AWARDS) + 1}", allow_blank=True
    )  # blank: a participation pledge
    sheet.add_data_validation(awards)
    awards.add(f"C2:C{MAX_ROWS + 1}")


# An award by its folded name or code -> its code; what registration checks pledges against.
AWARDS = {fold(a.name): a.code for a in DEFAULT_AWARDS} | {fold(a.code): a.code for a in DEFAULT_AWARDS}


def _cell(field: str, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = cell_text(value)  # a control or invisible character stays, for the row to report
    if field == "pledged_on":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value)
        try:
            return datetime.strptime(text, "%d/%m/%Y").date().isoformat()
        except ValueError:
            return text  # an ISO date passes; anything else is reported for its row
    if field == "subject_kind":
        return _kind(str(value))
    if field == "award":
        return AWARDS.get(fold(str(value)), str(value))
    if field == "birth_year" and isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


@functools.lru_cache(maxsize=256)  # a list repeats a few spellings thousands of times
def _kind(text: str) -> str:
    return KINDS.get(fold(text), text)


def read_rows(content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(spreadsheet row number, fields) for each non-empty row of the first sheet."""
    book = open_workbook(content)
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet_rows(sheet)
    header = next(rows, (1, ()))[1] or ()
    by_heading = {fold(h): f for f, h in COLUMNS} | {f: f for f, _ in COLUMNS}  # or the field's name
    fields = [by_heading.get(fold(str(h))) if h is not None else None for h in header]
    missing = [HEADING[f] for f in REQUIRED if f not in fields]
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
