"""Lists keyed in by the hundred, uploaded as their .xlsx templates from the console: every kind
the person may upload on one page; a list with bad rows either refused whole or stored but for
them, each bad row named by its sheet row and column; the same file twice stored once."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, form_post, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"
CLERK_UNIT = "cdcs-truong-a"


def _filled(template: Path, sheet_name: str, rows: list[list[Any]]) -> bytes:
    """The downloaded template with `rows` from its second row on (its example row removed)."""
    book = load_workbook(template)
    sheet = book[sheet_name]
    sheet.delete_rows(2, sheet.max_row)
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _template(page: Page, link: str, into: Path) -> Path:
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    download.value.save_as(into)
    return into


def _initiatives(stack: Stack, prefix: str) -> list[str]:
    found = stack.get("registration", f"{BASE}/initiatives", limit=1000).json()["items"]
    return sorted(i["code"] for i in found if i["code"].startswith(prefix))


def _soon(check: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.3)
    return True


def test_clerk_stores_the_good_rows_of_an_initiatives_list_and_sees_the_bad_ones(
    stack: Stack, page: Page, tmp_path: Path
) -> None:
    """Given 30 initiatives of the clerk's members, two of them wrong (an author nobody knows, a
    date that does not exist), when the clerk uploads them keeping the good rows, then 28 are
    stored and the two are named by sheet row and column heading."""
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tải danh sách").click()
    page.get_by_role("link", name="Danh sách sáng kiến").click()
    axe(page)
    template = _template(page, "Tải mẫu danh sách sáng kiến (.xlsx)", tmp_path / "mau.xlsx")
    on = f"15/01/{YEAR}"
    rows = [
        [i, f"sk-up-{i:02d}", f"Sáng kiến {i}", "Giáo dục", 10**6, "Cá nhân", f"dv-a{1 + i % 2}", YEAR, on]
        for i in range(1, 31)
    ]
    rows[4][6] = "dv-khong-co"  # sheet row 6
    rows[19][8] = f"31/02/{YEAR}"  # sheet row 21
    listed = tmp_path / "sang-kien.xlsx"
    listed.write_bytes(_filled(template, "Sáng kiến", rows))
    page.set_input_files("#f-file", str(listed))
    page.check("#f-mode-keep")
    page.get_by_role("button", name="Tải lên").click()
    assert page.locator("h1").inner_text() == "Đã lưu 28 sáng kiến", page.locator("main").inner_text()
    shown = page.locator("#loi tbody tr")
    assert shown.count() == 2
    cells = [shown.nth(i).locator("td").all_inner_texts() for i in range(2)]
    assert [(int(c[0]), c[1]) for c in cells] == [(6, "Mã tác giả"), (21, "Ngày đăng ký (dd/mm/yyyy)")]
    axe(page)
    screenshot(page, "18-tai-danh-sach-sang-kien")
    stored = _initiatives(stack, "sk-up-")
    assert len(stored) == 28 and "sk-up-05" not in stored and "sk-up-20" not in stored


def test_a_nominations_list_with_a_bad_row_stores_nothing_until_corrected_and_only_once(
    stack: Stack, page: Page, tmp_path: Path
) -> None:
    """Given a nominations list with one award nobody grants, when staff upload it all or
    nothing, then nothing is stored and the row is named; corrected, it is stored; the same file
    again stores nothing more."""
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/danh-sach/de-nghi")
    template = _template(page, "Tải mẫu danh sách đề nghị khen thưởng (.xlsx)", tmp_path / "mau.xlsx")
    people = ["dv-a1", "dv-a2", "dv-b1"]
    rows = [[i, "Cá nhân", code, "Lao động tiên tiến", YEAR - 1, "Hoàn thành tốt nhiệm vụ"] for i, code in
            enumerate(people, start=1)]  # fmt: skip
    rows[1][3] = "Danh hiệu không có"
    listed = tmp_path / "de-nghi.xlsx"
    listed.write_bytes(_filled(template, "Đề nghị khen thưởng", rows))

    def submitted() -> list[str]:
        found = stack.get("awards", f"{BASE}/nominations", year=YEAR - 1, award="ldtt", limit=1000).json()
        return sorted(n["subject_code"] for n in found["items"] if n["subject_code"] in people)

    before = submitted()
    page.set_input_files("#f-file", str(listed))
    page.get_by_role("button", name="Tải lên").click()
    alert = page.get_by_role("alert").inner_text()
    assert "Chưa lưu gì: danh sách de-nghi.xlsx có 1 lỗi" in alert, page.locator("#loi").inner_text()
    cells = page.locator("#loi tbody tr").first.locator("td").all_inner_texts()
    assert int(cells[0]) == 3 and cells[1].startswith("Danh hiệu, hình thức khen thưởng")
    axe(page)
    assert submitted() == before
    rows[1][3] = "Lao động tiên tiến"
    listed.write_bytes(_filled(template, "Đề nghị khen thưởng", rows))
    page.set_input_files("#f-file", str(listed))
    page.get_by_role("button", name="Tải lên").click()
    assert page.locator("h1").inner_text() == "Đã lưu 3 đề nghị khen thưởng"
    assert _soon(lambda: submitted() == sorted(people))  # the list follows the store a moment later
    page.goto(stack.url + f"/f/{FEDERATION}/danh-sach/de-nghi")
    page.set_input_files("#f-file", str(listed))
    page.get_by_role("button", name="Tải lên").click()
    assert "không lưu thêm lần nữa" in page.content()
    assert submitted() == sorted(people)


def test_the_lists_page_offers_only_what_the_person_may_upload(stack: Stack, page: Page) -> None:
    """Given an auditor, who keys nothing in, then no list page exists for them; a clerk sees
    pledges, units, members, initiatives, works, targets, nominations, ratings and disciplines."""
    sign_in(page, stack, "auditor")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    assert nav.get_by_role("link", name="Tải danh sách").count() == 0
    for path in ("/danh-sach", "/danh-sach/don-vi", "/danh-sach/don-vi/mau.xlsx"):
        response = page.goto(stack.url + f"/f/{FEDERATION}{path}")
        assert response is not None and response.status == 404, path
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.goto(stack.url + f"/f/{FEDERATION}/danh-sach")
    links = page.locator("main li a").all_inner_texts()
    assert links[0] == "Danh sách đăng ký thi đua" and "Danh sách kỷ luật" in links and len(links) == 9
    response = page.goto(stack.url + f"/f/{FEDERATION}/danh-sach/khong-co")
    assert response is not None and response.status == 404


def test_an_upload_without_a_file_names_the_field_and_a_forged_one_changes_nothing(
    stack: Stack, page: Page
) -> None:
    """Given the works list page, when the clerk sends it without a file, then the file field is
    named; a post from another site (no CSRF token) is refused and stores nothing."""
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.goto(stack.url + f"/f/{FEDERATION}/danh-sach/cong-trinh")
    page.get_by_role("button", name="Tải lên").click()
    assert page.locator("#e-file").inner_text().endswith("Chọn tệp danh sách .xlsx")
    assert page.title().startswith("Lỗi:")
    axe(page)
    path = f"/f/{FEDERATION}/danh-sach/cong-trinh"
    r = form_post(stack, page.context.cookies(), path, {"mode": "keep-good-rows"})
    assert r.status_code == 403


def test_a_ratings_list_is_stored_whole_and_each_rating_joins_its_members_record(
    stack: Stack, page: Page, tmp_path: Path
) -> None:
    """Given the yearly ratings template, which has no keep-good-rows choice, when the clerk
    uploads two members' ratings, then both are recorded in their records."""
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.goto(stack.url + f"/f/{FEDERATION}/danh-sach/xep-loai")
    assert page.locator("input[name=mode]").count() == 0
    template = _template(page, "Tải mẫu danh sách xếp loại hằng năm (.xlsx)", tmp_path / "mau.xlsx")
    rows = [
        [i, "Cá nhân", code, YEAR - 2, "Hoàn thành xuất sắc nhiệm vụ"]
        for i, code in enumerate(["dv-a1", "dv-a2"], 1)
    ]
    listed = tmp_path / "xep-loai.xlsx"
    listed.write_bytes(_filled(template, "Xếp loại", rows))
    page.set_input_files("#f-file", str(listed))
    page.get_by_role("button", name="Tải lên").click()
    assert page.locator("h1").inner_text() == "Đã lưu 2 xếp loại hằng năm"
    axe(page)
    for code in ("dv-a1", "dv-a2"):
        record = stack.get("awards", f"{BASE}/records/member/{code}").json()
        assert record["ratings"].get(str(YEAR - 2)) == "excellent", record
