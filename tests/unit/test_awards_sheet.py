"""The .xlsx of grants:import: the template reads back as a valid list; a sheet without the
named columns is refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from services.awards.adapters import sheet_template, sheets
from services.awards.application import commands as c
from shared.kernel.errors import Invalid


def test_the_template_reads_back_as_an_import() -> None:
    rows = sheets.read_rows(sheets.GRANTS, sheet_template.template(sheets.GRANTS))
    cmd = c.ImportGrants.model_validate({"grants": rows})
    assert cmd.grants[0].award == "bang-khen-ttg" and cmd.grants[0].decision_date.isoformat() == "2022-05-01"


def test_a_sheet_without_named_columns_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["dv-1", "ldtt", 2023])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(Invalid) as exc:
        sheets.read_rows(sheets.GRANTS, out.getvalue())
    assert exc.value.errors[0].field == "file" and exc.value.errors[0].row == 1
    with pytest.raises(Invalid):
        sheets.read_rows(sheets.RATINGS, b"not a workbook")


@pytest.mark.parametrize(
    ("sheet", "model", "key"),
    [(sheets.RATINGS, c.RecordRatings, "ratings"), (sheets.DISCIPLINES, c.RecordDisciplines, "disciplines")],
)
def test_history_templates_read_back(sheet: sheets.Sheet, model: type, key: str) -> None:
    rows = sheets.read_rows(sheet, sheet_template.template(sheet))
    assert len(getattr(model.model_validate({key: rows}), key)) == 1
