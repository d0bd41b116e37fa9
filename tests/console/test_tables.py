"""Tables a clerk can work with: a list's .xlsx holds exactly the rows and columns the page shows
(its filters kept), names sort in Vietnamese order, and an error summary links to its field."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page

from services.console.application.formatting import days_left, number_vn, sort_vn
from tests.console.conftest import FEDERATION, MOVEMENT, TODAY, YEAR, Stack, axe, screenshot, sign_in

# A unit of this file's own, whose members' byte order is not the Vietnamese order.
SORT_UNIT = ("cdcs-xep-ten", "CĐCS Công ty Xếp Tên")
SORT_MEMBERS = [
    ("dv-xt1", "Đinh Văn Dũng"),
    ("dv-xt2", "Dương Thị Em"),
    ("dv-xt3", "Ân Văn Hai"),
    ("dv-xt4", "An Thị Ba"),
    ("dv-xt5", "Ánh Văn Tư"),
    ("dv-xt6", "Ơn Thị Sáu"),
    ("dv-xt7", "Ôn Văn Bảy"),
]

HEADINGS = """(table) => Array.from(table.querySelectorAll('thead th')).map(th => {
  const copy = th.cloneNode(true);
  copy.querySelectorAll('.visually-hidden, [aria-hidden="true"]').forEach(e => e.remove());
  return copy.textContent.trim();
})"""
CELLS = """(table) => Array.from(table.querySelectorAll('tbody tr')).map(tr =>
  Array.from(tr.cells).map(td => td.innerText.trim()))"""


def shown(cell: Any) -> str:
    """A workbook cell as the page writes it: dates dd/mm/yyyy, numbers 1.530 (and "đồng" where
    the cell's format says so), the rest as text."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float)):
        text = number_vn(value)
        return f"{text} đồng" if "đồng" in cell.number_format else text
    return str(value)


def download(page: Page, link_name: str) -> list[tuple[Any, ...]]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(BytesIO(Path(info.value.path()).read_bytes())).active
    assert sheet is not None
    return list(sheet.iter_rows())


def ensure_sort_unit(stack: Stack) -> None:
    base = f"/v1/federations/{FEDERATION}"
    if stack.get("registration", f"{base}/units/{SORT_UNIT[0]}").status_code == 200:
        return
    stack.post(
        "registration",
        f"{base}/units",
        {"code": SORT_UNIT[0], "name": SORT_UNIT[1], "kind": "grassroots", "parent": "ldld-tp-bac-kan"},
    )
    for code, name in SORT_MEMBERS:
        stack.post("registration", f"{base}/members", {"code": code, "full_name": name, "unit": SORT_UNIT[0]})


def ensure_sort_pledges(stack: Stack) -> list[dict[str, Any]]:
    """The sort unit's first three members' pledges, submitted and left so: no other test of the
    package acts on them (the others share one running product and its seeded pledges)."""
    ensure_sort_unit(stack)
    base = f"/v1/federations/{FEDERATION}"
    listed = stack.get("registration", f"{base}/pledges", year=YEAR, unit=SORT_UNIT[0]).json()["items"]
    have = {p["subject_code"] for p in listed}
    for code, _ in SORT_MEMBERS[:3]:
        if code not in have:
            stack.post(
                "registration",
                f"{base}/pledges",
                {
                    "movement": MOVEMENT,
                    "award": "ldtt",
                    "subject_kind": "member",
                    "subject_code": code,
                    "pledged_on": TODAY.isoformat(),
                },
            )
    return list(stack.get("registration", f"{base}/pledges", year=YEAR, unit=SORT_UNIT[0]).json()["items"])


def every_page(page: Page, selector: str) -> list[list[str]]:
    """The cells of a list's table on this page and on each page its "Trang sau" leads to."""
    cells: list[list[str]] = []
    while True:
        cells += page.locator(selector).evaluate(CELLS)
        onward = page.get_by_role("link", name="Trang sau")
        if onward.count() == 0:
            return cells
        onward.first.click()
        page.wait_for_load_state()


def test_a_filtered_lists_download_has_exactly_the_rows_and_columns_shown(stack: Stack, page: Page) -> None:
    # Given federation staff looking at this year's pledges of one unit (a filter in the URL)
    ensure_sort_pledges(stack)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/pledges?year={YEAR}&unit={SORT_UNIT[0]}")
    table = page.locator("table#danh-sach")
    headings = table.evaluate(HEADINGS)
    cells = table.evaluate(CELLS)
    assert len(cells) == 3, "the unit's three pledges are listed"
    # When they download the list
    rows = [[shown(c) for c in row] for row in download(page, "Tải danh sách này (.xlsx)")]
    # Then the workbook has the page's headings and exactly its rows, cell for cell
    assert rows[0] == headings
    assert rows[1:] == cells
    # and the filter held: nothing of another unit (dv-a1's pledge is in cdcs-truong-a)
    assert not any("dv-a1" in v for row in rows for v in row)
    assert {row[1] for row in rows[1:]} == {"Cá nhân"}


def test_sorting_by_name_follows_vietnamese_order(stack: Stack, page: Page) -> None:
    # Given a unit whose members' names start with a, ă/â, d/đ, o/ô/ơ
    ensure_sort_unit(stack)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/{SORT_UNIT[0]}")
    # When the members' table is sorted by name (a link: it works without JavaScript)
    page.locator("table#doan-vien thead").get_by_role("link", name="Họ và tên").click()
    # Then the names are in Vietnamese order: An, Ánh, Ân, Dương, Đinh, Ôn, Ơn
    names = page.locator("table#doan-vien tbody tr td:first-child").all_inner_texts()
    expected = [
        "An Thị Ba",
        "Ánh Văn Tư",
        "Ân Văn Hai",
        "Dương Thị Em",
        "Đinh Văn Dũng",
        "Ôn Văn Bảy",
        "Ơn Thị Sáu",
    ]
    assert names == expected == sort_vn([n for _, n in SORT_MEMBERS])
    assert "sort=ten" in page.url
    assert page.locator("table#doan-vien th[aria-sort=ascending]").inner_text().startswith("Họ và tên")
    axe(page)
    screenshot(page, "bang-xep-theo-ten")


def test_a_sorted_lists_download_keeps_the_order(stack: Stack, page: Page) -> None:
    # Given the unit's members sorted by name, descending
    ensure_sort_unit(stack)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/{SORT_UNIT[0]}?sort=-ten")
    names = page.locator("table#doan-vien tbody tr td:first-child").all_inner_texts()
    # When the list is downloaded
    rows = download(page, "Tải danh sách đoàn viên này (.xlsx)")
    # Then the workbook's names come in the same order
    assert [row[0].value for row in rows[1:]] == names == list(reversed(sort_vn(names)))


def test_an_error_summary_links_to_its_field(stack: Stack, page: Page) -> None:
    # Given the sign-in page
    page.goto(stack.url + "/dang-nhap")
    # When a grassroots clerk signs in without choosing their union
    page.check("input[name=identity][value=clerk]")
    page.get_by_role("button", name="Đăng nhập").click()
    # Then the summary at the top names the problem as a link to the field
    summary = page.get_by_role("alert")
    link = summary.get_by_role("link", name="Chọn công đoàn cơ sở của bạn")
    assert link.get_attribute("href") == "#f-unit"
    # and the message is beside the field, which says it is invalid and is described by it
    field = page.locator("#f-unit")
    assert page.locator("#e-unit").inner_text().endswith("Chọn công đoàn cơ sở của bạn")
    assert field.get_attribute("aria-invalid") == "true"
    assert "e-unit" in (field.get_attribute("aria-describedby") or "")
    link.click()
    assert page.url.endswith("#f-unit")
    axe(page)


LISTS = [
    # (who, the list page, its table, its .xlsx)
    (
        "federation-staff",
        f"/f/{FEDERATION}/pledges?year={YEAR}",
        "table#danh-sach",
        f"/f/{FEDERATION}/pledges.xlsx?year={YEAR}",
    ),
    (
        "federation-staff",
        f"/f/{FEDERATION}/nominations?year={YEAR}",
        "table#danh-sach",
        f"/f/{FEDERATION}/nominations.xlsx?year={YEAR}",
    ),
    (
        "federation-staff",
        f"/f/{FEDERATION}/councils?year={YEAR}",
        "table#danh-sach",
        f"/f/{FEDERATION}/councils.xlsx?year={YEAR}",
    ),
    (
        "federation-staff",
        f"/f/{FEDERATION}/initiatives?year={YEAR}",
        "table#danh-sach",
        f"/f/{FEDERATION}/initiatives.xlsx?year={YEAR}",
    ),
    (
        "federation-staff",
        f"/f/{FEDERATION}/works?year={YEAR}",
        "table#danh-sach",
        f"/f/{FEDERATION}/works.xlsx?year={YEAR}",
    ),
    ("federation-staff", f"/f/{FEDERATION}/units", "table#don-vi", f"/f/{FEDERATION}/units.xlsx"),
    (
        "federation-staff",
        f"/f/{FEDERATION}/units?q=nguyen",
        "table#doan-vien",
        f"/f/{FEDERATION}/units.xlsx?q=nguyen",
    ),
    (
        "approver",
        f"/f/{FEDERATION}/decisions?year={YEAR}",
        "table#danh-sach",
        f"/f/{FEDERATION}/decisions.xlsx?year={YEAR}",
    ),
    (
        "national-admin",
        f"/quoc-gia/de-nghi?year={YEAR}",
        "table#de-nghi",
        f"/quoc-gia/de-nghi.xlsx?year={YEAR}",
    ),
]


def test_every_list_downloads_what_it_shows(stack: Stack, page: Page) -> None:
    # Given each list page of the console, as the person who works with it
    signed_as = ""
    for who, path, selector, xlsx in LISTS:
        if who != signed_as:
            page.context.clear_cookies()
            sign_in(page, stack, who)
            signed_as = who
        page.goto(stack.url + path)
        # When its .xlsx is fetched with the person's session
        response = page.request.get(stack.url + xlsx)
        # Then it is a workbook with the page's headings and, row for row, the page's cells
        assert response.status == 200, (xlsx, response.status)
        assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(BytesIO(response.body())).active
        assert sheet is not None
        rows = [[shown(c) for c in row] for row in sheet.iter_rows()]
        table = page.locator(selector)
        if table.count() == 0:  # an empty list: the workbook has its header only
            assert len(rows) == 1, (path, rows)
            continue
        # (a long list is the page and the pages "Trang sau" leads to, in the same order)
        assert rows[0] == table.evaluate(HEADINGS), path
        assert rows[1:] == every_page(page, selector), path


def test_a_pledge_shows_its_deadline_with_the_days_left(stack: Stack, page: Page) -> None:
    # Given a pledge submitted to this year's movement whose deadline is 31/12, not yet answered
    pledge = ensure_sort_pledges(stack)[0]
    assert pledge["state"] == "submitted"
    deadline = date(YEAR, 12, 31)
    # When staff open it
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/{pledge['id']}")
    # Then the deadline is there with the days left, as a tag
    facts = page.locator("dl.facts").inner_text()
    assert f"31/12/{YEAR}" in facts
    assert days_left(deadline) in page.locator("dl.facts .tag").last.inner_text()
