"""Historical and state awards as an .xlsx sheet for grants:import: the first row names the
columns (the fields of an imported grant), each further row is one grant."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook

from shared.errors import Invalid

COLUMNS = (
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
)
REQUIRED = ("subject_kind", "subject_code", "award", "year", "decision_number", "decision_date", "authority")


def read_rows(content: bytes) -> list[dict[str, Any]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise Invalid.on("file", "the file is not an .xlsx workbook") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else "" for h in next(rows, ())]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise Invalid.on("file", f"the first row must name the columns; missing {missing}", row=1)
    out = []
    for values in rows:
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {}
        for name, value in zip(header, values, strict=False):
            if name not in COLUMNS or value is None or str(value).strip() == "":
                continue
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                value = value.isoformat()
            row[name] = value if name == "year" else str(value).strip()
        out.append(row)
    return out


def template() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Khen thưởng"
    sheet.append(list(COLUMNS))
    sheet.append(
        [
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
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
