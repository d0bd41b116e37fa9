"""Awards' sheets read cells as a clerk types them: dates dd/mm/yyyy, real or ISO; Vietnamese
kinds and values in any case, with or without diacritics; awards by name or code."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook

from services.awards.adapters import sheets
from services.awards.application import commands as c
from services.awards.entrypoints.lists import from_sheet
from shared.kernel.errors import Invalid


def xlsx(*rows: list[Any]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("22/12/2023", "2023-12-22"),
        ("1/2/2023", "2023-02-01"),
        ("22-12-2023", "2023-12-22"),
        ("2023-12-22", "2023-12-22"),
        (datetime(2023, 12, 22), "2023-12-22"),
        (date(2023, 12, 22), "2023-12-22"),
        ("31/02/2023", "31/02/2023"),  # left as typed, for the check to refuse
    ],
)
def test_a_date_is_read_as_typed(typed: Any, read: str) -> None:
    # Given a date as a clerk enters it / When it is read / Then it is ISO, or as typed if no day
    assert sheets.as_date(typed) == read


def test_kinds_and_values_are_read_without_case_or_diacritics() -> None:
    # Given a disciplines sheet under Vietnamese headings, typed loosely
    headings = [c.heading for c in sheets.DISCIPLINES.cols]
    content = xlsx(headings, [1, "tap the", "cdcs-a", 2025, "CẢNH CÁO", "01/10/2025"])
    # When it is read
    [line] = sheets.read_rows(sheets.DISCIPLINES, content)
    # Then the codes are those the commands take
    assert line == {
        "subject_kind": "unit",
        "subject_code": "cdcs-a",
        "year": 2025,
        "level": "warning",
        "decided_on": "2025-10-01",
    }


def test_an_award_outside_the_catalogue_is_refused_by_row_and_heading() -> None:
    # Given a grants sheet naming an award the federation does not have
    headings = [c.heading for c in sheets.GRANTS.cols]
    row = [1, "Cá nhân", "dv-1", "Bằng khen của ai đó", 2023, "1/QĐ", "22/12/2023", "", "ldld"]
    # When it is read
    listed = sheets.read_sheet(sheets.GRANTS, xlsx(headings, row))
    # Then its cell is refused, naming row 2 and the heading, in Vietnamese
    [error] = listed.errors
    assert (error.row, error.column) == (2, "Danh hiệu, hình thức khen thưởng (tên hoặc mã)")
    assert error.message.startswith("không có trong danh mục")


def test_an_award_outside_the_catalogue_is_one_problem_of_its_cell() -> None:
    # Given a nominations sheet naming an award the federation does not have
    headings = [c.heading for c in sheets.NOMINATIONS.cols]
    row = [1, "Cá nhân", "dv-1", "Danh hiệu không có", 2025, "", "", ""]
    listed = sheets.read_sheet(sheets.NOMINATIONS, xlsx(headings, row))
    # When the list is checked
    with pytest.raises(Invalid) as refused:
        from_sheet(c.SubmitNominations, "nominations", listed)
    # Then the cell is reported once, as not in the catalogue (not again as a malformed code)
    [error] = refused.value.errors
    assert (error.row, error.field) == (2, "award") and error.message.startswith("không có trong danh mục")


@pytest.mark.parametrize(
    ("labels", "values"),
    [
        (sheets.RATINGS_VI, c.Rating),
        (sheets.LEVELS_VI, c.DisciplineLevel),
        (sheets.OCCASIONS_VI, c.Occasion),
        (sheets.KINDS, c.SubjectKind),
    ],
)
def test_every_value_the_commands_take_has_a_vietnamese_name(labels: dict, values: Any) -> None:
    # Given a coded column's Vietnamese names / Then they name exactly the values the check takes
    assert set(labels) == set(values.__args__)
