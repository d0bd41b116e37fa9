"""Issue 18: a clerk's pledge list names people who are not members yet; with "Đăng ký luôn những
người chưa có mã đoàn viên" ticked, they are registered first and their pledges stored."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, MOVEMENT, TODAY, Stack, axe, sign_in

CLERK_UNIT = "cdcs-truong-a"
NEW = "dv-moi-ds-01"


def listed(template: Path) -> bytes:
    """The template with one row: a person not yet a member, with name, unit and birth year."""
    book = load_workbook(template)
    sheet = book["Đăng ký thi đua"]
    values = [
        1,
        MOVEMENT,
        "ldtt",
        "Cá nhân",
        NEW,
        "Triệu Thị Mới",
        CLERK_UNIT,
        "",
        TODAY.strftime("%d/%m/%Y"),
    ]
    for column, value in zip("ABCDEFGHIJK", [*values, CLERK_UNIT, 1992], strict=True):
        sheet[f"{column}2"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_list_naming_a_new_person_registers_them_when_asked(
    stack: Stack, page: Page, tmp_path: Path
) -> None:
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.goto(stack.url + f"/f/{FEDERATION}/pledges/upload")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu danh sách (.xlsx)").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    file = tmp_path / "danh-sach-moi.xlsx"
    file.write_bytes(listed(template))
    # Without the box ticked the row is refused: no such member
    page.set_input_files("#f-file", str(file))
    page.get_by_role("button", name="Tải lên").click()
    assert "Không có đoàn viên mang mã này" in page.locator("#loi").inner_text()
    # When the same file is sent with the box ticked
    page.set_input_files("#f-file", str(file))
    page.get_by_label("Đăng ký luôn những người chưa có mã đoàn viên").check()
    axe(page)
    page.get_by_role("button", name="Tải lên").click()
    # Then the person is registered and the pledge stored
    assert page.locator("h1").inner_text() == "Đã lưu 1 đăng ký thi đua"
    assert "Đã đăng ký 1 đoàn viên mới" in page.locator("main").inner_text()
    member = stack.get("registration", f"/v1/federations/{FEDERATION}/members/{NEW}").json()
    assert (member["full_name"], member["unit"], member["birth_year"]) == ("Triệu Thị Mới", CLERK_UNIT, 1992)
