"""A member's own changes from the member's page: details corrected with a reason, transferred to
another unit (chuyển sinh hoạt) or recorded as having left (thôi sinh hoạt) — a form, a check
page (nothing stored yet), then the change — with registration's refusals beside the fields. The
units and members are this file's own, so the other files' tree stays as seeded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, TODAY, YEAR, Stack, axe, form_post, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"
SINCE = date(YEAR - 1, 1, 1)
ON = min(date(YEAR, 7, 1), TODAY)
ON_VN = ON.strftime("%d/%m/%Y")
BEFORE_VN = (ON - timedelta(days=1)).strftime("%d/%m/%Y")
UNITS = [
    ("cdcs-di", "CĐCS Trường Mầm non Đi"),
    ("cdcs-den", "CĐCS Trường Tiểu học Đến"),
    ("cdcs-het", "CĐCS Hợp tác xã Hết"),
]


@pytest.fixture(scope="module")
def people(stack: Stack) -> Iterator[None]:
    """Given three grassroots unions founded on 01/01 of last year, the last dissolved on the
    changes' date, and members in the first."""
    for code, name in UNITS:
        body = {"code": code, "name": name, "kind": "grassroots", "parent": "ldld-tp-bac-kan"}
        stack.post("registration", f"{BASE}/units", body | {"effective_on": SINCE.isoformat()})
    stack.post(
        "registration", f"{BASE}/units/cdcs-het:dissolve", {"effective_on": ON.isoformat()}, expect=200
    )
    for code, name in (
        ("dv-di1", "Nông Thị Đi"),
        ("dv-di2", "Lục Văn Nghỉ"),
        ("dv-di3", "Hà Thị Ở"),
        ("dv-di4", "Hoàng Thi Mai"),  # misspelt: Hoàng Thị Mai
    ):
        stack.post("registration", f"{BASE}/members", {"code": code, "full_name": name, "unit": "cdcs-di"})
    yield


def member(stack: Stack, code: str) -> dict:
    return stack.get("registration", f"{BASE}/members/{code}").json()  # type: ignore[no-any-return]


def test_a_transfer_is_checked_then_stored_and_shown_on_the_members_page(
    stack: Stack, page: Page, people: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/members/dv-di1")
    page.get_by_role("link", name="Chuyển sinh hoạt sang đơn vị khác").click()
    assert page.locator("h1").inner_text() == "Chuyển sinh hoạt: Nông Thị Đi"
    page.fill("#f-unit", "cdcs-den")
    page.fill("#f-effective_on", ON_VN)
    page.get_by_role("button", name="Tiếp tục").click()
    # the check page: nothing stored yet
    assert "CĐCS Trường Tiểu học Đến" in page.locator("dl.facts").inner_text()
    assert member(stack, "dv-di1")["unit"] == "cdcs-di"
    axe(page)
    page.get_by_role("button", name="Xác nhận chuyển sinh hoạt").click()
    assert (
        "Đã chuyển sinh hoạt Nông Thị Đi sang CĐCS Trường Tiểu học Đến"
        in page.get_by_role("status").inner_text()
    )
    assert member(stack, "dv-di1")["unit"] == "cdcs-den"
    assert ON_VN in page.locator("table").inner_text() and "cdcs-den" in page.locator("table").inner_text()
    screenshot(page, "1-chuyen-sinh-hoat")


def test_a_transfer_into_a_dissolved_unit_is_refused_beside_the_unit(
    stack: Stack, page: Page, people: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/members/dv-di2/transfer")
    page.fill("#f-unit", "cdcs-het")
    page.fill("#f-effective_on", BEFORE_VN)  # before the unit ended: still refused
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận chuyển sinh hoạt").click()
    error = page.locator("#e-unit").inner_text()
    assert f"Đơn vị đã giải thể từ ngày {ON_VN}" in error, page.content()[-3000:]
    assert page.input_value("#f-unit") == "cdcs-het"  # what was typed stays
    axe(page)
    assert member(stack, "dv-di2")["unit"] == "cdcs-di"


def test_a_date_and_a_unit_that_are_not_right_are_named_beside_their_fields(
    stack: Stack, page: Page, people: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/members/dv-di2/transfer")
    page.fill("#f-unit", "khong-co-don-vi-nay")
    page.fill("#f-effective_on", f"31/02/{YEAR}")
    page.get_by_role("button", name="Tiếp tục").click()
    assert "Chưa lưu được" in page.get_by_role("alert").inner_text()
    assert page.locator("#e-unit").inner_text().endswith("Không có đơn vị mang mã này")
    assert page.locator("#e-effective_on").inner_text().endswith("Nhập ngày hiệu lực theo dạng dd/mm/yyyy")
    assert member(stack, "dv-di2")["unit"] == "cdcs-di"


def test_a_member_who_left_is_shown_so_and_offered_no_more_changes(
    stack: Stack, page: Page, people: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/members/dv-di3")
    page.get_by_role("link", name="Ghi thôi sinh hoạt").click()
    page.fill("#f-effective_on", ON_VN)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận thôi sinh hoạt").click()
    assert "Đã ghi Hà Thị Ở thôi sinh hoạt" in page.get_by_role("status").inner_text()
    assert f"Đã ra khỏi tổ chức ngày {ON_VN}" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("link", name="Chuyển sinh hoạt sang đơn vị khác").count() == 0
    response = page.goto(stack.url + f"/f/{FEDERATION}/members/dv-di3/transfer")
    assert response is not None and response.status == 404
    assert member(stack, "dv-di3")["left_on"] == ON.isoformat()


def test_a_forged_transfer_post_changes_nothing(stack: Stack, page: Page, people: None) -> None:
    sign_in(page, stack, "federation-staff")
    body = {"unit": "cdcs-den", "effective_on": ON_VN, "step": "confirm"}
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/members/dv-di2/transfer", body)
    assert r.status_code == 403
    assert member(stack, "dv-di2")["unit"] == "cdcs-di"


def test_a_misspelt_name_is_corrected_with_its_reason(stack: Stack, page: Page, people: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/members/dv-di4")
    page.get_by_role("link", name="Đính chính thông tin").click()
    assert page.input_value("#f-full_name") == "Hoàng Thi Mai"  # what is stored, to be corrected
    page.fill("#f-full_name", "Hoàng Thị Mai")
    page.fill("#f-reason", "Tên lưu sai dấu so với căn cước")
    axe(page)
    page.get_by_role("button", name="Lưu đính chính").click()
    assert "Đã đính chính thông tin của Hoàng Thị Mai" in page.get_by_role("status").inner_text()
    assert page.locator("h1").inner_text() == "Hoàng Thị Mai"
    assert member(stack, "dv-di4")["full_name"] == "Hoàng Thị Mai"


def test_a_correction_without_a_reason_or_a_change_is_refused_beside_its_field(
    stack: Stack, page: Page, people: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/members/dv-di2/correct")
    page.fill("#f-birth_year", "1985")
    page.get_by_role("button", name="Lưu đính chính").click()
    assert page.locator("#e-reason").inner_text().endswith("Nhập lý do đính chính (ví dụ: tên lưu sai ký tự)")
    assert page.input_value("#f-birth_year") == "1985"  # what was typed stays
    page.fill("#f-birth_year", "")
    page.fill("#f-reason", "không có gì")
    page.get_by_role("button", name="Lưu đính chính").click()
    assert "Chưa có thông tin nào khác" in page.locator("#e-full_name").inner_text()
    assert member(stack, "dv-di2")["birth_year"] is None
