"""Issue 18, a unit's code changes in the console: federation staff give the new code, the date and
the reason, check them (nothing stored yet), confirm, and land on the unit under its new code,
which names its old one; the old code's page says what it became. The units are this file's own."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, TODAY, YEAR, Stack, axe, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"
ON_VN = min(date(YEAR, 7, 1), TODAY).strftime("%d/%m/%Y")  # a code change cannot be dated later
UNITS = [
    ("cdcs-doi-ma", "CĐCS Trường THCS Đổi Mã"),
    ("cdcs-doi-ma-trung", "CĐCS Trường THCS Mã Trùng"),
    ("cdcs-doi-ma-loi", "CĐCS Trường THCS Thiếu Lý Do"),
]


@pytest.fixture(scope="module")
def units(stack: Stack) -> Iterator[None]:
    """Given grassroots unions founded on 01/01 of last year, a member in the first."""
    for code, name in UNITS:
        body = {"code": code, "name": name, "kind": "grassroots", "parent": "ldld-tp-bac-kan"}
        stack.post("registration", f"{BASE}/units", body | {"effective_on": f"{YEAR - 1}-01-01"})
    member = {"code": "dv-doi-ma", "full_name": "Hà Văn Mã", "unit": "cdcs-doi-ma"}
    stack.post("registration", f"{BASE}/members", member)
    yield


def fill(page: Page, stack: Stack, unit: str, code: str, reason: str) -> None:
    page.goto(stack.url + f"/f/{FEDERATION}/units/{unit}/recode")
    page.fill("#f-code", code)
    page.fill("#f-effective_on", ON_VN)
    page.fill("#f-reason", reason)
    page.get_by_role("button", name="Tiếp tục").click()


def test_a_recode_is_checked_then_the_unit_goes_on_under_its_new_code(
    stack: Stack, page: Page, units: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-doi-ma")
    page.get_by_role("navigation", name="Thay đổi đơn vị").get_by_role("link", name="Đổi mã đơn vị").click()
    assert page.locator("h1").inner_text() == "Đổi mã đơn vị: CĐCS Trường THCS Đổi Mã"
    axe(page)
    fill(page, stack, "cdcs-doi-ma", "cdcs-thcs-doi-ma-2", "Đánh số lại theo Quyết định 12/QĐ-LĐLĐ")
    facts = page.locator("dl.facts").inner_text()
    assert "cdcs-thcs-doi-ma-2" in facts and "Quyết định 12/QĐ-LĐLĐ" in facts
    assert stack.get("registration", f"{BASE}/units/cdcs-doi-ma").json()["state"] == "active"  # not yet
    page.get_by_role("button", name="Xác nhận đổi mã").click()
    # Then the new code's page, naming the old code; the member is in it from that date
    assert "Đã đổi mã CĐCS Trường THCS Đổi Mã từ cdcs-doi-ma thành cdcs-thcs-doi-ma-2" in (
        page.get_by_role("status").inner_text()
    )
    facts = page.locator("dl.facts").inner_text()
    assert "cdcs-thcs-doi-ma-2" in facts and "Mã cũ" in facts and "cdcs-doi-ma" in facts
    assert "Hà Văn Mã" in page.locator("main").inner_text()
    axe(page)
    screenshot(page, "1-doi-ma-don-vi")
    # And the old code's page says what it became, with a link to it
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-doi-ma")
    page.get_by_role("link", name="cdcs-thcs-doi-ma-2").click()
    assert page.locator("h1").inner_text() == "CĐCS Trường THCS Đổi Mã"


def test_a_code_in_use_is_named_beside_the_new_code_and_nothing_changes(
    stack: Stack, page: Page, units: None
) -> None:
    sign_in(page, stack, "federation-staff")
    fill(page, stack, "cdcs-doi-ma-trung", "ldld-tp-bac-kan", "Đánh số lại")
    page.get_by_role("button", name="Xác nhận đổi mã").click()
    assert page.locator("#f-code").get_attribute("aria-invalid") == "true"
    assert "đã có; chọn mã khác" in page.locator(".field.has-error").inner_text()
    assert stack.get("registration", f"{BASE}/units/cdcs-doi-ma-trung").json()["state"] == "active"


def test_a_recode_without_a_reason_is_refused_beside_the_reason(
    stack: Stack, page: Page, units: None
) -> None:
    sign_in(page, stack, "federation-staff")
    fill(page, stack, "cdcs-doi-ma-loi", "cdcs-doi-ma-loi-2", "")
    assert page.title().startswith("Lỗi: Đổi mã đơn vị")
    assert "Nhập lý do đổi mã" in page.locator(".field.has-error").inner_text()
    assert stack.get("registration", f"{BASE}/units/cdcs-doi-ma-loi").json()["state"] == "active"
