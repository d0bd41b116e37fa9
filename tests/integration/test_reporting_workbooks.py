"""Every report's .xlsx is a workbook a clerk can hand to a superior (issue 20): a title block on
each sheet, then a table with Vietnamese headings and words, money, percentages, counts and dates
as numbers and dates with their formats, the header row frozen and filtered, nested figures as
columns or sheets of their own (never JSON), the same figures as the JSON report."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import httpx
import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from services.reporting.adapters.xlsx_cells import HEADINGS, SHEETS
from services.reporting.bootstrap import build_app, runtime
from shared.kernel import clock
from shared.kernel.settings import ReportingSettings
from tests import reporting_events as ev
from tests.integration.test_reporting_reports import BAC_KAN, NATIONAL, A, B, events, feed
from tests.support import Isolation, bearer, in_process

HEADER = 7  # the title block's five lines, a blank line, then the table's header row
FED = "/v1/federations/bac-kan"
YEARLY = ("registrations", "awards", "initiatives", "works")
# name: (path, parameters, token, place, title, period, as of)
TITLES = dict(
    zip(YEARLY, ("đăng ký thi đua", "khen thưởng", "sáng kiến", "công trình chào mừng"), strict=True)
)
REPORTS: dict[str, tuple[str, dict[str, Any], dict[str, str], str, str, str, str | None]] = {
    **{
        r: (f"{FED}/reports/{r}", {"year": 2023}, BAC_KAN, "Bắc Kạn", t, "Năm 2023", "31/12/2023")
        for r, t in TITLES.items()
    },
    **{
        f"national-{r}": (
            f"/v1/reports/{r}",
            {"year": 2023},
            NATIONAL,
            "Toàn quốc",
            t,
            "Năm 2023",
            "31/12/2023",
        )
        for r, t in TITLES.items()
    },
    "targets": (
        f"{FED}/reports/targets",
        {"year": 2023},
        BAC_KAN,
        "Bắc Kạn",
        "thực hiện chỉ tiêu",
        "Năm 2023 – chương trình Sáng kiến",
        "31/12/2023",
    ),
    "term": (
        f"{FED}/reports/term",
        {"from": 2022, "to": 2023},
        BAC_KAN,
        "Bắc Kạn",
        "nhiệm kỳ",
        "Nhiệm kỳ 2022–2023",
        "31/12/2023",
    ),
    "rotation": (
        f"{FED}/reports/rotation",
        {"from": 2022, "to": 2023},
        BAC_KAN,
        "Bắc Kạn",
        "Luân phiên Cờ thi đua trong khối",
        "Từ năm 2022 đến năm 2023",
        None,  # read as it stands: today
    ),
    "history": (
        f"{FED}/history/member/dv-1",
        {"as_of": "2023-12-31"},
        BAC_KAN,
        "Bắc Kạn",
        "Quá trình thi đua, khen thưởng",
        "Cá nhân dv-1",
        "31/12/2023",
    ),
}


def rotation_events() -> list[dict[str, Any]]:
    """Bắc Kạn's block of cdcs-a and cdcs-b, its Cờ to cdcs-a in 2022 and cdcs-b in 2023."""
    out = []
    for year, (winner, path) in {2022: ("cdcs-a", A), 2023: ("cdcs-b", B)}.items():
        covenant = {"federation": "bac-kan", "block": "khoi-1", "block_name": "Khối Giáo dục", "year": year}
        covenant |= {"units": ["cdcs-a", "cdcs-b"], "criteria": [], "signed_on": f"{year}-01-15"}
        out.append(ev.envelope("registration", "covenant-signed", covenant, subject=f"cov:{year}"))
        out.append(
            ev.grant("bac-kan", "unit", winner, "co-thi-dua-ldld", path, year=year, number=f"{year}/QĐ")
        )
    return out


@pytest.fixture
async def seeded(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given reporting fed the known event set and a block's Cờ thi đua over two years: its API."""
    rt = runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await feed(rt, events() + rotation_events())
        yield http


async def fetch(http: httpx.AsyncClient, name: str) -> tuple[dict[str, Any], openpyxl.Workbook]:
    """The report `name` as JSON and as .xlsx."""
    path, params, token = REPORTS[name][:3]
    answer = await http.get(path, params=params, headers=token)
    assert answer.status_code == 200, answer.text
    xlsx = await http.get(path, params={**params, "format": "xlsx"}, headers=token)
    assert xlsx.status_code == 200, xlsx.text
    return answer.json(), openpyxl.load_workbook(io.BytesIO(xlsx.content))


def table(sheet: Worksheet) -> list[dict[str, Any]]:
    """A sheet's table as rows by heading."""
    rows = list(sheet.iter_rows(min_row=HEADER, values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("name", REPORTS)
async def test_every_sheet_opens_with_the_title_block(seeded: httpx.AsyncClient, name: str) -> None:
    # When the report is asked for as .xlsx
    _, book = await fetch(seeded, name)
    place, title, period, as_of = REPORTS[name][3:]
    as_of = as_of or f"{clock.today():%d/%m/%Y}"
    # Then every sheet opens with the federation (or the nation), the title, the period, the date
    # the figures stand as of and the moment the workbook was made
    for sheet in book.worksheets:
        lines = [sheet.cell(row=r, column=1).value for r in range(1, HEADER)]
        assert lines[0] == place
        assert title.lower() in str(lines[1]).lower()
        assert lines[2:4] == [period, f"Tính đến ngày {as_of}"]
        made = re.fullmatch(r"Lập lúc (\d\d/\d\d/\d{4} \d\d:\d\d)", str(lines[4]))
        assert made, lines[4]
        moment = datetime.strptime(made.group(1), "%d/%m/%Y %H:%M").replace(tzinfo=clock.VIETNAM)
        assert abs((datetime.now(clock.VIETNAM) - moment).total_seconds()) < 180  # Vietnam time
        assert lines[5] is None


@pytest.mark.parametrize("name", REPORTS)
async def test_every_table_has_its_header_row_frozen_and_filtered(
    seeded: httpx.AsyncClient, name: str
) -> None:
    _, book = await fetch(seeded, name)
    for sheet in book.worksheets:
        # Then the rows below the header scroll under it, and the filter covers the whole table
        assert sheet.freeze_panes == f"A{HEADER + 1}"
        last = sheet.cell(row=HEADER, column=sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A{HEADER}:{last}{sheet.max_row}", sheet.title
        assert all(sheet.cell(row=HEADER, column=c).value for c in range(1, sheet.max_column + 1))
        # and each column is at least as wide as its widest figure
        for column in sheet.iter_cols(min_row=HEADER + 1) if sheet.max_row > HEADER else ():
            width = sheet.column_dimensions[column[0].column_letter].width
            assert all(len(f"{c.value:,}") <= width for c in column if isinstance(c.value, int))


@pytest.mark.parametrize("name", REPORTS)
async def test_no_cell_holds_json(seeded: httpx.AsyncClient, name: str) -> None:
    _, book = await fetch(seeded, name)
    # Then no cell is a dict or a list written out
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.lstrip()[:1] in ("{", "[") for v in row), row


def _figures(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The numbers of a JSON row by the heading a workbook shows them under (nested ones too)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        heading = f"{prefix}{HEADINGS.get(key, key)}"
        if isinstance(value, dict) and key not in ("by_state", "by_authority", "unit_names"):
            out |= _figures(value, f"{heading}: ")
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and key != "year":
            out[heading] = value / 100 if key in ("percent", "percent_of_target") else value
    return out


@pytest.mark.parametrize("name", REPORTS)
async def test_the_workbook_holds_the_json_reports_figures(seeded: httpx.AsyncClient, name: str) -> None:
    report, book = await fetch(seeded, name)
    # Then the summary holds the figures the report heads with
    summary = {r["Nội dung"]: r["Số liệu"] for r in table(book["Tổng hợp"])}
    heads = {k: v for k, v in report.items() if k not in ("year", "from", "to")}
    assert _figures(heads).items() <= summary.items()
    # and each grouping's sheet its rows, in order, figure by figure
    for key, rows in report.items():
        if isinstance(rows, list) and rows and isinstance(rows[0], dict):
            sheet = table(book[SHEETS[key]])
            assert len(sheet) == len(rows), key
            for want, got in zip(rows, sheet, strict=True):
                assert _figures(want).items() <= got.items(), (key, want, got)


async def test_money_percentages_and_counts_are_numbers_with_their_formats(seeded: httpx.AsyncClient) -> None:
    _, book = await fetch(seeded, "initiatives")
    rows = {r[0].value: r[1] for r in book["Tổng hợp"].iter_rows(min_row=HEADER + 1)}
    # Then money is a number shown in đồng with thousands separators
    assert (rows["Giá trị làm lợi"].value, rows["Giá trị làm lợi"].number_format) == (
        150_000_000,
        '#,##0 "đồng"',
    )
    # a percentage the fraction shown as a percentage (150 % of the target)
    assert (rows["Tỷ lệ so với chỉ tiêu"].value, rows["Tỷ lệ so với chỉ tiêu"].number_format) == (1.5, "0.0%")
    # a count an integer with thousands separators
    assert (rows["Số đăng ký"].value, rows["Số đăng ký"].number_format) == (3, "#,##0")


async def test_dates_are_real_dates_shown_day_month_year(seeded: httpx.AsyncClient) -> None:
    _, book = await fetch(seeded, "history")
    held = book["Khen thưởng đã nhận"]
    heads = [c.value for c in held[HEADER]]
    cell = held.cell(row=HEADER + 1, column=heads.index("Ngày quyết định") + 1)
    assert (cell.value, cell.number_format) == (datetime(2023, 12, 22), "dd/mm/yyyy")
    # and a line's moment is Vietnam time (the pledge was recorded at 02:00 UTC)
    entries = book["Diễn biến"]
    heads = [c.value for c in entries[HEADER]]
    moment = entries.cell(row=HEADER + 1, column=heads.index("Thời điểm") + 1)
    assert (moment.value, moment.number_format) == (datetime(2023, 6, 1, 9, 0), "dd/mm/yyyy hh:mm")


async def test_codes_are_shown_in_vietnamese_words(seeded: httpx.AsyncClient) -> None:
    _, book = await fetch(seeded, "registrations")
    rows = table(book["Theo hình thức"])
    # Then a row names its award and its subject kind in words; its states are columns of their own
    member = next(r for r in rows if r["Đối tượng"] == "Cá nhân")
    assert member["Hình thức khen thưởng"] == "Bằng khen của LĐLĐ tỉnh"
    assert (member["Theo trạng thái: Đã gửi"], member["Theo trạng thái: Đã rút"]) == (4, 1)
    assert {r["Đối tượng"] for r in rows} == {"Cá nhân", "Tập thể"}


async def test_a_list_within_a_row_is_a_sheet_of_its_own(seeded: httpx.AsyncClient) -> None:
    report, book = await fetch(seeded, "rotation")
    assert [y["flag_to"] for y in report["blocks"][0]["years"]] == [["cdcs-a"], ["cdcs-b"]]
    # Then each block's years are rows of their own sheet, led by the block, units by name
    # (ev.unit names cdcs-a "CDCS-A")
    years = table(book[SHEETS["years"]])
    assert [(r["Tên khối"], r["Năm"], r["Được tặng Cờ"]) for r in years] == [
        ("Khối Giáo dục", 2022, "CDCS-A"),
        ("Khối Giáo dục", 2023, "CDCS-B"),
    ]
    block = table(book[SHEETS["blocks"]])[0]
    strict = "Có" if report["blocks"][0]["strict_rotation"] else "Không"  # a yes or no in words
    assert (block["Luân phiên"], block["Các đơn vị"]) == (strict, "CDCS-A, CDCS-B")


async def test_a_national_workbook_names_the_federations(seeded: httpx.AsyncClient) -> None:
    _, book = await fetch(seeded, "national-works")
    rows = table(book["Theo liên đoàn"])
    assert [r["Liên đoàn"] for r in rows] == ["Bắc Kạn", "Thái Nguyên"]
    assert bearer  # a federation's token is refused the national report (test_reporting_reports)
