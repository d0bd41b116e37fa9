"""Journey 3: a grassroots clerk — only their subtree; pledges by form and as the Excel list
(bad rows named, nothing stored, the corrected list stored); staff accept or return a pledge."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page

from tests.console.conftest import (
    FEDERATION,
    MOVEMENT,
    OTHER,
    TODAY,
    Stack,
    axe,
    form_post,
    screenshot,
    sign_in,
)

CLERK_UNIT = "cdcs-truong-a"
UPLOADERS = [f"dv-u{i:03d}" for i in range(1, 251)]  # 250 members x 2 awards = 500 rows


def pledge_id(stack: Stack, code: str, award: str = "bang-khen-ldld") -> str:
    page = stack.get("registration", f"/v1/federations/{FEDERATION}/pledges", award=award, limit=1000).json()
    return next(p["id"] for p in page["items"] if p["subject_code"] == code)


def count_pledges(stack: Stack, unit: str) -> int:
    total, cursor = 0, None
    while True:
        params = {"unit": unit, "limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = stack.get("registration", f"/v1/federations/{FEDERATION}/pledges", **params).json()
        total += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return total


@pytest.fixture(scope="module")
def uploaders(stack: Stack) -> Iterator[list[str]]:
    with httpx.Client(headers=stack.admin, timeout=30) as http:
        for code in UPLOADERS:
            r = http.post(
                stack.service("registration") + f"/v1/federations/{FEDERATION}/members",
                json={"code": code, "full_name": f"Đoàn viên {code}", "unit": CLERK_UNIT},
            )
            assert r.status_code == 201, r.text
    yield UPLOADERS


def test_clerk_sees_only_their_subtree(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "clerk", CLERK_UNIT)
    assert "Văn thư CĐCS Trường THPT Bắc Kạn" in page.content()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Đơn vị").click()
    assert page.url.split("?")[0].endswith(f"/f/{FEDERATION}/units/{CLERK_UNIT}")
    crumbs = page.get_by_role("navigation", name="Vị trí trong cây tổ chức")
    assert crumbs.get_by_role("link").count() == 0  # nothing above the clerk's unit is theirs
    assert "Nguyễn Văn An" in page.content() and "Trần Thị Bình" not in page.content()
    axe(page)
    screenshot(page, "3-don-vi-cua-van-thu")
    # the pledges list shows the clerk's unit only
    nav.get_by_role("link", name="Đăng ký thi đua").click()
    table = page.get_by_role("table")
    assert "Nguyễn Văn An" in table.inner_text() and "Trần Thị Bình" not in table.inner_text()
    axe(page)
    # typed URLs of another unit, its member, its pledge, the level above, another federation
    other_pledge = pledge_id(stack, "dv-b1")
    for path in (
        f"/f/{FEDERATION}/units/cdcs-benh-vien",
        f"/f/{FEDERATION}/units/ldld-tp-bac-kan",
        f"/f/{FEDERATION}/members/dv-b1",
        f"/f/{FEDERATION}/pledges/{other_pledge}",
        f"/f/{OTHER}",
        "/quoc-gia",
    ):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == "Không tìm thấy trang", path
        assert "Trần Thị Bình" not in page.content()
    # and a search does not reach beyond the subtree
    page.goto(stack.url + f"/f/{FEDERATION}/units?q=binh")
    assert "Không có đoàn viên nào khớp." in page.content()


def test_clerk_pledges_for_a_member_by_form(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.goto(stack.url + f"/f/{FEDERATION}/members/dv-a2")
    page.get_by_role("link", name="Đăng ký thi đua cho đoàn viên này").click()
    assert page.input_value("#f-subject_code") == "dv-a2"
    page.select_option("#f-award", "ldtt")
    page.fill("#f-pledged_on", "32/13/2026")
    page.get_by_role("button", name="Gửi đăng ký").click()
    assert page.locator("#e-pledged_on").inner_text().endswith("Nhập ngày theo dạng dd/mm/yyyy")
    assert page.input_value("#f-pledged_on") == "32/13/2026"
    page.fill("#f-pledged_on", TODAY.strftime("%d/%m/%Y"))
    page.fill("#f-subject_code", "dv-b1")  # another unit's member: as if it did not exist
    page.get_by_role("button", name="Gửi đăng ký").click()
    assert page.get_by_role("alert").count() == 1
    assert page.locator(".field-error").count() >= 1
    axe(page)
    screenshot(page, "3-dang-ky-loi")
    page.fill("#f-subject_code", "dv-a2")
    page.get_by_role("button", name="Gửi đăng ký").click()
    assert page.locator("h1").inner_text() == "Đăng ký thi đua của Đặng Thị Ánh"
    assert "Đã gửi" in page.locator("dl.facts").inner_text()
    axe(page)
    assert pledge_id(stack, "dv-a2", "ldtt")


def _filled_template(path: Path, bad: dict[int, tuple[str, str]]) -> bytes:
    """The downloaded template with 500 rows; `bad`: sheet row -> (column letter, value)."""
    book = load_workbook(path)
    sheet = book["Đăng ký thi đua"]
    row = 2
    for code in UPLOADERS:
        for award in ("bang-khen-ldld", "ldtt"):
            values = [
                row - 1,
                MOVEMENT,
                award,
                "Cá nhân",
                code,
                f"Đoàn viên {code}",
                CLERK_UNIT,
                "",
                TODAY.strftime("%d/%m/%Y"),
            ]
            for column, value in zip("ABCDEFGHI", values, strict=True):
                sheet[f"{column}{row}"] = value
            row += 1
    for number, (column, value) in bad.items():
        sheet[f"{column}{number}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_upload_500_rows_with_3_bad_rows_then_corrected(
    stack: Stack, page: Page, uploaders: list[str], tmp_path: Path
) -> None:
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tải danh sách").click()
    page.get_by_role("link", name="Danh sách đăng ký thi đua").click()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu danh sách (.xlsx)").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    bad = {17: ("E", "dv-khong-co"), 250: ("C", "giai-khong-co"), 444: ("I", "31/02/2026")}
    before = count_pledges(stack, CLERK_UNIT)
    listed = tmp_path / "danh-sach.xlsx"
    listed.write_bytes(_filled_template(template, bad))
    page.set_input_files("#f-file", str(listed))
    page.get_by_role("button", name="Tải lên").click()
    assert "Chưa lưu gì: danh sách danh-sach.xlsx có 3 lỗi" in page.get_by_role("alert").inner_text()
    rows = page.locator("#loi tbody tr")
    assert rows.count() == 3
    shown = [rows.nth(i).locator("td").all_inner_texts() for i in range(3)]
    assert [int(r[0]) for r in shown] == sorted(bad)
    assert shown[0][1] == "Mã cá nhân / tập thể"
    assert shown[1][1] == "Mã danh hiệu, hình thức khen thưởng"
    assert shown[2][1] == "Ngày đăng ký (dd/mm/yyyy)"
    axe(page)
    screenshot(page, "3-tai-danh-sach-loi")
    assert count_pledges(stack, CLERK_UNIT) == before  # nothing stored
    # corrected and uploaded again: all 500 stored
    listed.write_bytes(_filled_template(template, {}))
    page.set_input_files("#f-file", str(listed))
    page.get_by_role("button", name="Tải lên").click()
    assert page.locator("h1").inner_text() == "Đã lưu 500 đăng ký thi đua"
    axe(page)
    screenshot(page, "3-tai-danh-sach-da-luu")
    assert count_pledges(stack, CLERK_UNIT) == before + 500
    # the same file again stores nothing twice
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/upload")
    page.set_input_files("#f-file", str(listed))
    page.get_by_role("button", name="Tải lên").click()
    assert "không lưu thêm lần nữa" in page.content()
    assert count_pledges(stack, CLERK_UNIT) == before + 500
    # the list pages by cursor
    page.goto(stack.url + f"/f/{FEDERATION}/pledges?award=ldtt&state=submitted")
    first = page.locator("tbody tr").first.inner_text()
    page.get_by_role("link", name="Trang sau").click()
    assert "cursor=" in page.url and "award=ldtt" in page.url
    assert page.locator("tbody tr").first.inner_text() != first
    assert page.get_by_role("link", name="Trang đầu").count() == 1


def test_staff_return_with_a_reason_then_clerk_resubmits_and_staff_accepts(stack: Stack, page: Page) -> None:
    target = pledge_id(stack, "dv-a1")
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/{target}")
    page.get_by_role("button", name="Trả lại đăng ký").click()
    assert page.locator("#e-reason").inner_text().endswith("Nhập lý do trả lại để đơn vị biết cần sửa gì")
    assert (
        stack.get("registration", f"/v1/federations/{FEDERATION}/pledges/{target}").json()["state"]
        == "submitted"
    )
    axe(page)
    page.fill("#f-reason", "Thiếu xác nhận của thủ trưởng đơn vị")
    page.get_by_role("button", name="Trả lại đăng ký").click()
    assert "Đã trả lại đăng ký" in page.get_by_role("status").inner_text()
    assert "Trả lại" in page.locator("dl.facts").inner_text()
    screenshot(page, "3-tra-lai-dang-ky")
    stored = stack.get("registration", f"/v1/federations/{FEDERATION}/pledges/{target}").json()
    assert stored["state"] == "returned" and stored["return_reason"] == "Thiếu xác nhận của thủ trưởng đơn vị"
    # a forged accept without the CSRF token changes nothing
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/pledges/{target}/accept", {"version": "9"})
    assert r.status_code == 403
    assert (
        stack.get("registration", f"/v1/federations/{FEDERATION}/pledges/{target}").json()["state"]
        == "returned"
    )
    # the clerk sees it returned, with the reason, and sends it again
    clerk = page.context.browser.new_context()  # type: ignore[union-attr]
    try:
        tab = clerk.new_page()
        sign_in(tab, stack, "clerk", CLERK_UNIT)
        tab.goto(stack.url + f"/f/{FEDERATION}/pledges?state=returned")
        tab.get_by_role("link", name="Nguyễn Văn An").click()
        assert "Thiếu xác nhận của thủ trưởng đơn vị" in tab.content()
        assert tab.get_by_role("button", name="Chấp nhận đăng ký").count() == 0  # staff's, not the clerk's
        tab.get_by_role("button", name="Gửi lại đăng ký").click()
        assert "Đã gửi lại đăng ký." in tab.get_by_role("status").inner_text()
    finally:
        clerk.close()
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/{target}")
    page.get_by_role("button", name="Chấp nhận đăng ký").click()
    assert "Đã chấp nhận đăng ký." in page.get_by_role("status").inner_text()
    assert (
        stack.get("registration", f"/v1/federations/{FEDERATION}/pledges/{target}").json()["state"]
        == "accepted"
    )
