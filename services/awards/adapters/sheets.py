"""Lists as .xlsx sheets (grants:import, ratings:batch, disciplines:batch): the first row names
the columns (the fields of one line), each further row is one line."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

from shared.kernel.errors import Invalid
from shared.web.spreadsheet import cell_text, open_workbook, sheet_rows


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    example: tuple[Any, ...]
    numeric: tuple[str, ...] = ("year",)


GRANTS = Sheet(
    "Khen thưởng",
    (
        "subject_kind",
        "subject_code",
        "award",
        "year",
        "decision_number",
        "decision_date",
        "signer",
        "authority",
        "occasion",
        "nomination",
    ),
    ("subject_kind", "subject_code", "award", "year", "decision_number", "decision_date", "authority"),
    (
        "member",
        "dv-001",
        "bang-khen-ttg",
        2022,
        "123/QĐ-TTg",
        "2022-05-01",
        "",
        "prime-minister",
        "regular",
        "",
    ),
)
RATINGS = Sheet(
    "Xếp loại",
    ("subject_kind", "subject_code", "year", "rating"),
    ("subject_kind", "subject_code", "year", "rating"),
    ("member", "dv-001", 2025, "excellent"),
)
DISCIPLINES = Sheet(
    "Kỷ luật",
    ("subject_kind", "subject_code", "year", "level", "decided_on"),
    ("subject_kind", "subject_code", "year", "level", "decided_on"),
    ("member", "dv-001", 2025, "reprimand", "2025-10-01"),
)


def read_rows(sheet: Sheet, content: bytes) -> list[dict[str, Any]]:
    book = open_workbook(content)
    rows = (values for _, values in sheet_rows(book.worksheets[0]))
    header = [str(h).strip().lower() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in sheet.required if c not in header]
    if missing:
        raise Invalid.on("file", f"the first row must name the columns; missing {missing}", row=1)
    out = []
    for values in rows:
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        line = {}
        for name, value in zip(header, values, strict=False):
            if name not in sheet.columns or value is None or str(value).strip() == "":
                continue
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                value = value.isoformat()
            if isinstance(value, str):
                value = cell_text(value)  # a control character stays, for its row to report
            line[name] = value if name in sheet.numeric else str(value)
        out.append(line)
    return out


def template(sheet: Sheet) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.title
    ws.append(list(sheet.columns))
    ws.append(list(sheet.example))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
