"""Journey 7: reports — every report of the reporting service with its filters, a chart drawn
from the table's own figures, the table, and the .xlsx passed through with the person's token."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from playwright.sync_api import Browser, Page

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, screenshot, sign_in
from tests.console.report_data import BLOCK, BLOCK_UNITS, FIRST, GRANT_YEAR, seed_reports, settled

REPORTS = f"/v1/federations/{FEDERATION}/reports"
KINDS = {"member": "Cá nhân", "unit": "Tập thể"}


@pytest.fixture(scope="module", autouse=True)
def data(stack: Stack) -> None:
    seed_reports(stack)


def chart(page: Page, table: str) -> dict[str, Any]:
    page.locator(f"#{table}-bieu-do").wait_for()
    found = f"Chart.getChart('{table}-bieu-do')"
    script = f"() => {{ const c = {found}; return {{type: c.config.type, data: c.data}} }}"
    return page.evaluate(script)  # type: ignore[no-any-return]


def cells(page: Page, table: str) -> list[list[str | None]]:
    """Each row's data-value figures, as the table carries them."""
    return page.evaluate(  # type: ignore[no-any-return]
        f"() => Array.from(document.querySelectorAll('#{table} tbody tr')).map(r => "
        "Array.from(r.cells).slice(1).map(c => c.getAttribute('data-value')))"
    )


def by_award_and_kind(rows: list[dict[str, Any]], value: str) -> tuple[list[str], dict[str, list[int]]]:
    kinds = [k for k in ("member", "unit") if any(r["subject_kind"] == k for r in rows)]
    names: dict[str, str] = {}
    figures: dict[tuple[str, str], int] = {}
    for r in rows:
        names.setdefault(r["award"], r["award_name"])
        figures[(r["award"], r["subject_kind"])] = figures.get((r["award"], r["subject_kind"]), 0) + r[value]
    return list(names.values()), {KINDS[k]: [figures.get((a, k), 0) for a in names] for k in kinds}


def test_the_pledges_chart_and_table_show_the_reports_figures(stack: Stack, page: Page) -> None:
    # Given the year's pledges, projected by reporting
    report = settled(stack, f"{REPORTS}/registrations", lambda r: r["pledged"] >= 2, year=YEAR)
    sign_in(page, stack, "federation-staff")
    # When staff open the pledges report from the navigation
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Báo cáo").click()
    page.get_by_role("main").get_by_role("link", name="Đăng ký thi đua", exact=True).click()
    # Then the bars (by award and subject kind) and the table carry the report's figures
    labels, series = by_award_and_kind(report["by_award"], "pledged")
    drawn = chart(page, "theo-hinh-thuc")
    assert drawn["type"] == "bar"
    assert drawn["data"]["labels"] == labels
    assert {d["label"]: d["data"] for d in drawn["data"]["datasets"]} == series
    assert cells(page, "theo-hinh-thuc") == [
        [str(v) for v in row] for row in zip(*series.values(), strict=True)
    ]
    assert page.locator("#so-1").inner_text() == f"{report['pledged']:,}".replace(",", ".")
    axe(page)
    screenshot(page, "7-bao-cao-dang-ky")


def test_the_awards_bars_by_award_and_subject_kind_match_the_report(stack: Stack, page: Page) -> None:
    report = settled(
        stack, f"{REPORTS}/awards", lambda r: r["granted"] >= 3 and r["revoked"] >= 1, year=GRANT_YEAR
    )
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports/awards?year={GRANT_YEAR}")
    labels, series = by_award_and_kind(report["by_award"], "granted")
    drawn = chart(page, "theo-hinh-thuc")
    assert drawn["data"]["labels"] == labels
    assert {d["label"]: d["data"] for d in drawn["data"]["datasets"]} == series
    assert series["Cá nhân"] and series["Tập thể"]  # both kinds side by side
    assert page.locator("#so-2").inner_text() == str(report["revoked"])
    axe(page)
    screenshot(page, "7-bao-cao-khen-thuong")


def test_the_xlsx_download_opens_with_the_same_figures(stack: Stack, page: Page) -> None:
    report = settled(stack, f"{REPORTS}/awards", lambda r: r["granted"] >= 3, year=GRANT_YEAR)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports/awards?year={GRANT_YEAR}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về tệp Excel (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    # the tables start below the title block (6 lines), with names and words for codes
    summary = {r[0]: r[1] for r in book["Tổng hợp"].iter_rows(min_row=7, values_only=True)}
    assert summary["Số được khen"] == report["granted"] and summary["Số bị thu hồi"] == report["revoked"]
    rows = list(book["Theo hình thức"].iter_rows(min_row=7, values_only=True))
    head = rows[0]
    got = {
        (r[head.index("Hình thức khen thưởng")], r[head.index("Đối tượng")]): r[head.index("Số được khen")]
        for r in rows[1:]
    }
    kinds = {"member": "Cá nhân", "unit": "Tập thể"}
    assert got == {(g["award_name"], kinds[g["subject_kind"]]): g["granted"] for g in report["by_award"]}


def test_a_terms_years_are_a_line_with_the_reports_figures(stack: Stack, page: Page) -> None:
    path = f"{REPORTS}/term"
    report = settled(stack, path, lambda r: r["totals"]["granted"] >= 3, **{"from": FIRST, "to": YEAR})
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports/term")
    page.fill("#f-from", str(FIRST))
    page.fill("#f-to", str(YEAR))
    page.get_by_role("button", name="Xem báo cáo").click()
    assert f"from={FIRST}" in page.url  # the filters are in the link
    drawn = chart(page, "theo-nam")
    assert drawn["type"] == "line"
    assert drawn["data"]["labels"] == [str(y["year"]) for y in report["by_year"]]
    series = {d["label"]: d["data"] for d in drawn["data"]["datasets"]}
    assert series["Lượt đăng ký"] == [y["pledged"] for y in report["by_year"]]
    assert series["Lượt được khen"] == [y["granted"] for y in report["by_year"]]
    assert series["Sáng kiến"] == [y["initiatives"] for y in report["by_year"]]
    assert series["Công trình"] == [y["works"] for y in report["by_year"]]
    axe(page)
    screenshot(page, "7-bao-cao-nhiem-ky")


def test_the_block_rotation_grid_shows_each_years_flag(stack: Stack, page: Page) -> None:
    path = f"{REPORTS}/rotation"
    span = {"from": FIRST, "to": FIRST + 2}
    report = settled(
        stack, path, lambda r: any(b["block"] == BLOCK and b["strict_rotation"] for b in r["blocks"]), **span
    )
    block = next(b for b in report["blocks"] if b["block"] == BLOCK)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports/rotation?from={FIRST}&to={FIRST + 2}")
    row = page.locator(f"#luan-phien tr[data-block='{BLOCK}']")
    flags = row.locator("td[data-year]").evaluate_all("cs => cs.map(c => c.getAttribute('data-flag-to'))")
    assert flags == [" ".join(y["flag_to"]) for y in block["years"]]
    assert flags == [code for code, _ in BLOCK_UNITS]  # each in turn
    assert "Luân phiên 3 năm liền" in row.inner_text()
    names = dict(BLOCK_UNITS)
    assert row.locator("td[data-year]").all_inner_texts() == [
        f"{m} {names[c]}" for m, c in zip("ABC", flags, strict=True)
    ]
    axe(page)
    screenshot(page, "7-bao-cao-luan-phien")


@pytest.mark.parametrize(
    "name", ["registrations", "awards", "initiatives", "works", "targets", "term", "rotation", "tree"]
)
def test_every_report_has_filters_a_table_and_a_download(stack: Stack, page: Page, name: str) -> None:
    sign_in(page, stack, "federation-staff")
    year = YEAR if name == "registrations" else GRANT_YEAR  # a year with figures
    page.goto(stack.url + f"/f/{FEDERATION}/reports/{name}?year={year}&from={FIRST}&to={YEAR}")
    assert page.locator("h1").inner_text().startswith("Báo cáo")
    assert page.get_by_role("form", name="Lọc báo cáo").is_visible()
    assert page.locator("main table").count() >= 1
    href = page.get_by_role("link", name="Tải về tệp Excel (.xlsx)").get_attribute("href")
    assert href and href.startswith(f"/f/{FEDERATION}/reports/{name}/xlsx")
    r = page.context.request.get(stack.url + href)
    assert r.status == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    openpyxl.load_workbook(io.BytesIO(r.body()))
    axe(page)


def test_the_national_report_shows_each_federations_figures(stack: Stack, page: Page) -> None:
    report = stack.get("reporting", "/v1/reports/registrations", year=YEAR).json()
    sign_in(page, stack, "national-admin")
    page.goto(stack.url + f"/reports/registrations?year={YEAR}")
    drawn = chart(page, "theo-lien-doan")
    assert drawn["data"]["labels"] == [f["federation"] for f in report["by_federation"]]
    assert drawn["data"]["datasets"][0]["data"] == [f["pledged"] for f in report["by_federation"]]
    axe(page)
    screenshot(page, "7-bao-cao-toan-quoc")


def test_a_report_works_without_javascript(stack: Stack, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        sign_in(page, stack, "federation-staff")
        page.goto(stack.url + f"/f/{FEDERATION}/reports/initiatives")
        page.fill("#f-year", str(GRANT_YEAR))
        page.get_by_role("button", name="Xem báo cáo").click()
        assert f"year={GRANT_YEAR}" in page.url
        report = stack.get("reporting", f"{REPORTS}/initiatives", year=GRANT_YEAR).json()
        assert page.locator("canvas").count() == 0  # no chart, the table holds every figure
        registered = [u["registered"] for u in report["by_unit"]]
        assert [int(r[0]) for r in cells(page, "theo-don-vi")] == registered
        # a unit's row leads to that unit's subtree, still without a script
        page.locator("#theo-don-vi tbody th a").first.click()
        assert "unit=" in page.url and page.locator("#theo-don-vi").count() == 1
        href = page.get_by_role("link", name="Tải về tệp Excel (.xlsx)").get_attribute("href")
        assert context.request.get(stack.url + str(href)).status == 200
    finally:
        context.close()


def test_another_units_or_federations_report_is_not_found(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "clerk", unit="cdcs-truong-a")
    base = stack.url + f"/f/{FEDERATION}/reports"
    own = page.goto(base + f"/registrations?year={YEAR}")
    assert own is not None and own.status == 200
    assert "cdcs-truong-a" in page.locator(".lead").inner_text()  # a clerk's report is their unit's
    missing = page.goto(base + f"/registrations?year={YEAR}&unit=khong-co")
    missing_text = page.locator("main").inner_text()
    other = page.goto(base + f"/registrations?year={YEAR}&unit=cdcs-benh-vien")
    assert missing is not None and other is not None and missing.status == other.status == 404
    assert page.locator("main").inner_text() == missing_text  # the same answer as a missing unit
    for path in (
        f"{base}/registrations/xlsx?year={YEAR}&unit=cdcs-benh-vien",
        f"{base}/rotation",
        stack.url + "/f/cao-bang/reports/registrations",
        stack.url + "/f/cao-bang/reports/registrations/xlsx",
        stack.url + "/reports/registrations",
    ):
        r = page.context.request.get(path)
        assert r.status == 404, path
    page.goto(base)
    assert page.get_by_role("link", name="Luân phiên Cờ thi đua trong khối").count() == 0
    cookie = {c["name"]: c["value"] for c in page.context.cookies()}
    assert (
        httpx.get(stack.url + f"/f/{FEDERATION}/reports/registrations/xlsx", cookies=cookie).status_code
        == 200
    )
