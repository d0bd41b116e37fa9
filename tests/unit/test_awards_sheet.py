"""The .xlsx of grants:import: the template reads back as a valid list; a sheet without the
named columns is refused."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from services.awards.adapters import grant_sheet
from services.awards.application import commands as c
from shared.errors import Invalid


def test_the_template_reads_back_as_an_import() -> None:
    rows = grant_sheet.read_rows(grant_sheet.template())
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
        grant_sheet.read_rows(out.getvalue())
    assert exc.value.errors[0].field == "file" and exc.value.errors[0].row == 1
    with pytest.raises(Invalid):
        grant_sheet.read_rows(b"not a workbook")
