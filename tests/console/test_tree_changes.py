"""Journey 1, the tree's changes: federation staff move, merge or dissolve a unit with an
effective date — a form, a check page (nothing stored yet), then the change — with problems
beside the fields; the tree before that date stays as it was; a unit clerk cannot reach these
pages. The units here are this file's own, so the other files' tree stays as seeded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page

from tests.console.conftest import FEDERATION, TODAY, YEAR, Stack, axe, form_post, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"
SINCE = date(YEAR - 1, 1, 1)
ON = min(date(YEAR, 7, 1), TODAY)  # the changes' effective date (a merge cannot be dated later)
BEFORE = ON - timedelta(days=1)
ON_VN = ON.strftime("%d/%m/%Y")
UNITS = [
    ("ldld-huyen-ba-be", "LĐLĐ huyện Ba Bể", "upper", None),
    ("cdcs-doi-cho", "CĐCS Trường Tiểu học Đổi Chỗ", "grassroots", "ldld-tp-bac-kan"),
    ("cdcs-sap-nhap", "CĐCS Trạm Y tế Sáp Nhập", "grassroots", "ldld-tp-bac-kan"),
    ("cdcs-nhan", "CĐCS Trung tâm Y tế Nhận", "grassroots", "ldld-huyen-ba-be"),
    ("cdcs-giai-the", "CĐCS Chi cục Giải Thể", "grassroots", "ldld-tp-bac-kan"),
    ("cdcs-sai-ngay", "CĐCS Công ty Sai Ngày", "grassroots", "ldld-tp-bac-kan"),
    ("cdcs-khong-js", "CĐCS Bưu điện Không Script", "grassroots", "ldld-tp-bac-kan"),
    ("cdcs-con-nguoi", "CĐCS Kho bạc Còn Người", "grassroots", "ldld-tp-bac-kan"),
    ("cdcs-da-giai-the", "CĐCS Ban Quản lý Đã Giải Thể", "grassroots", "ldld-tp-bac-kan"),
]


@pytest.fixture(scope="module")
def units(stack: Stack) -> Iterator[None]:
    """Given units founded on 01/01 of last year, and a member in the one to be merged and in
    cdcs-con-nguoi."""
    for code, name, kind, parent in UNITS:
        body = {"code": code, "name": name, "kind": kind, "parent": parent, "effective_on": SINCE.isoformat()}
        stack.post("registration", f"{BASE}/units", body)
    stack.post(
        "registration",
        f"{BASE}/members",
        {"code": "dv-sn1", "full_name": "Ma Thị Sáp", "unit": "cdcs-sap-nhap"},
    )
    stack.post(
        "registration",
        f"{BASE}/members",
        {"code": "dv-cn1", "full_name": "Hà Văn Còn", "unit": "cdcs-con-nguoi"},
    )
    yield


def children(stack: Stack, parent: str, on: date) -> list[str]:
    page = stack.get("registration", f"{BASE}/units", parent=parent, as_of=on.isoformat(), limit=1000).json()
    return [u["code"] for u in page["items"]]


def test_a_move_is_checked_before_it_is_stored(stack: Stack, page: Page, units: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-doi-cho")
    page.get_by_role("navigation", name="Thay đổi đơn vị").get_by_role("link", name="Chuyển đơn vị").click()
    assert page.locator("h1").inner_text() == "Chuyển đơn vị: CĐCS Trường Tiểu học Đổi Chỗ"
    axe(page)
    page.fill("#f-to_parent", "ldld-huyen-ba-be")
    page.fill("#f-effective_on", ON_VN)
    page.get_by_role("button", name="Tiếp tục").click()
    assert page.locator("h1").inner_text().startswith("Kiểm tra trước khi lưu")
    facts = page.locator("dl.facts").inner_text()
    assert "LĐLĐ huyện Ba Bể" in facts and f"ngày 01 tháng 07 năm {YEAR}" in facts
    axe(page)
    screenshot(page, "1-chuyen-don-vi-kiem-tra")
    # nothing stored yet
    assert "cdcs-doi-cho" in children(stack, "ldld-tp-bac-kan", ON)


def test_a_confirmed_move_takes_effect_on_its_date_and_the_tree_before_stays(
    stack: Stack, page: Page, units: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-doi-cho/move")
    page.fill("#f-to_parent", "ldld-huyen-ba-be")
    page.fill("#f-effective_on", ON_VN)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận chuyển đơn vị").click()
    notice = page.get_by_role("status").inner_text()
    assert (
        "Đã chuyển CĐCS Trường Tiểu học Đổi Chỗ sang trực thuộc LĐLĐ huyện Ba Bể "
        f"từ ngày 01 tháng 07 năm {YEAR}" in notice
    )
    assert page.locator("h1").inner_text() == "CĐCS Trường Tiểu học Đổi Chỗ"
    assert "cdcs-doi-cho" in children(stack, "ldld-huyen-ba-be", ON)
    assert "cdcs-doi-cho" in children(stack, "ldld-tp-bac-kan", BEFORE)
    # the breadcrumbs of the unit as of the date name the new parent
    assert "LĐLĐ huyện Ba Bể" in page.get_by_role("navigation", name="Vị trí trong cây tổ chức").inner_text()
    axe(page)


def test_a_date_and_a_parent_that_are_not_right_are_named_beside_their_fields(
    stack: Stack, page: Page, units: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sai-ngay/move")
    page.fill("#f-to_parent", "khong-co-don-vi-nay")
    page.fill("#f-effective_on", f"31/02/{YEAR}")
    page.get_by_role("button", name="Tiếp tục").click()
    assert "Chưa lưu được" in page.get_by_role("alert").inner_text()
    assert page.locator("#e-to_parent").inner_text().endswith("Không có đơn vị mang mã này")
    assert page.locator("#e-effective_on").inner_text().endswith("Nhập ngày hiệu lực theo dạng dd/mm/yyyy")
    assert page.input_value("#f-effective_on") == f"31/02/{YEAR}"  # what was typed stays
    axe(page)
    screenshot(page, "1-chuyen-don-vi-loi")
    assert "cdcs-sai-ngay" in children(stack, "ldld-tp-bac-kan", ON)


def test_registrations_refusal_of_the_date_is_shown_beside_it(stack: Stack, page: Page, units: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sai-ngay/dissolve")
    before = f"01/06/{YEAR - 2}"  # before the unit was founded
    page.fill("#f-effective_on", before)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận giải thể").click()
    error = page.locator("#e-effective_on").inner_text()
    assert "Đơn vị này không có trong cây tổ chức vào ngày" in error, page.content()[-3000:]
    assert page.input_value("#f-effective_on") == before
    assert stack.get("registration", f"{BASE}/units/cdcs-sai-ngay").json()["state"] == "active"


def test_a_move_under_a_unit_that_has_ended_is_refused_beside_the_new_parent(
    stack: Stack, page: Page, units: None
) -> None:
    # Given cdcs-da-giai-the dissolved on the changes' date
    dissolve = {"effective_on": ON.isoformat()}
    stack.post("registration", f"{BASE}/units/cdcs-da-giai-the:dissolve", dissolve, expect=200)
    # When cdcs-sai-ngay is moved under it from the day before, and the move confirmed
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sai-ngay/move")
    page.fill("#f-to_parent", "cdcs-da-giai-the")
    page.fill("#f-effective_on", BEFORE.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận chuyển đơn vị").click()
    # Then registration's refusal is said beside the new parent, and nothing moved
    error = page.locator("#e-to_parent").inner_text()
    assert f"Đơn vị đã giải thể từ ngày {ON_VN}" in error, page.content()[-3000:]
    assert "cdcs-sai-ngay" in children(stack, "ldld-tp-bac-kan", ON)


def test_a_merge_dated_after_today_is_refused_beside_the_date(stack: Stack, page: Page, units: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sai-ngay/merge")
    later = (date.today() + timedelta(days=30)).strftime("%d/%m/%Y")
    page.fill("#f-into", "cdcs-nhan")
    page.fill("#f-effective_on", later)
    page.get_by_role("button", name="Tiếp tục").click()
    error = page.locator("#e-effective_on").inner_text()
    assert "không ghi trước" in error, page.content()[-3000:]
    assert page.input_value("#f-effective_on") == later
    assert stack.get("registration", f"{BASE}/units/cdcs-sai-ngay").json()["state"] == "active"


def test_a_dissolution_dated_after_today_is_refused_beside_the_date(
    stack: Stack, page: Page, units: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sai-ngay/dissolve")
    page.fill("#f-effective_on", (date.today() + timedelta(days=30)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Tiếp tục").click()
    assert "không ghi trước" in page.locator("#e-effective_on").inner_text(), page.content()[-3000:]
    assert stack.get("registration", f"{BASE}/units/cdcs-sai-ngay").json()["state"] == "active"


def test_a_merged_units_members_belong_to_the_receiving_unit_from_that_date(
    stack: Stack, page: Page, units: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sap-nhap")
    page.get_by_role("link", name="Sáp nhập vào đơn vị khác").click()
    page.fill("#f-into", "cdcs-nhan")
    page.fill("#f-effective_on", ON_VN)
    page.get_by_role("button", name="Tiếp tục").click()
    assert "CĐCS Trung tâm Y tế Nhận" in page.locator("dl.facts").inner_text()
    page.get_by_role("button", name="Xác nhận sáp nhập").click()
    assert (
        "Đã sáp nhập CĐCS Trạm Y tế Sáp Nhập vào CĐCS Trung tâm Y tế Nhận"
        in page.get_by_role("status").inner_text()
    )
    assert "Đã sáp nhập vào cdcs-nhan" in page.locator("dl.facts").inner_text()
    members = stack.get("registration", f"{BASE}/members", unit="cdcs-nhan", as_of=ON.isoformat()).json()
    assert [m["code"] for m in members["items"]] == ["dv-sn1"]
    assert (
        stack.get("registration", f"{BASE}/members", unit="cdcs-nhan", as_of=SINCE.isoformat()).json()[
            "items"
        ]
        == []
    )


def test_a_dissolved_unit_leaves_the_tree_from_its_date(stack: Stack, page: Page, units: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-giai-the/dissolve")
    assert page.locator("h1").inner_text() == "Giải thể đơn vị: CĐCS Chi cục Giải Thể"
    page.fill("#f-effective_on", ON_VN)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận giải thể").click()
    assert "Đã giải thể CĐCS Chi cục Giải Thể" in page.get_by_role("status").inner_text()
    assert "cdcs-giai-the" not in children(stack, "ldld-tp-bac-kan", ON)
    assert "cdcs-giai-the" in children(stack, "ldld-tp-bac-kan", BEFORE)
    # the unit page no longer offers changes
    assert page.get_by_role("navigation", name="Thay đổi đơn vị").count() == 0


def test_a_unit_with_a_member_left_in_it_is_not_dissolved(stack: Stack, page: Page, units: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-con-nguoi/dissolve")
    page.fill("#f-effective_on", ON_VN)
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Xác nhận giải thể").click()
    error = page.locator("#e-effective_on").inner_text()
    assert f"Vào ngày {ON_VN} đơn vị còn 1 đoàn viên và 0 đơn vị trực thuộc (dv-cn1)" in error, error
    assert stack.get("registration", f"{BASE}/units/cdcs-con-nguoi").json()["state"] == "active"


def test_a_unit_clerk_cannot_see_or_reach_the_change_pages(stack: Stack, page: Page, units: None) -> None:
    sign_in(page, stack, "clerk", "cdcs-truong-a")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-truong-a")
    assert page.get_by_role("navigation", name="Thay đổi đơn vị").count() == 0
    for path in (
        f"/f/{FEDERATION}/units/cdcs-truong-a/move",
        f"/f/{FEDERATION}/units/cdcs-sai-ngay/dissolve",
        f"/f/{FEDERATION}/units/khong-co/merge",
    ):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == "Không tìm thấy trang", path


def test_a_forged_dissolve_post_changes_nothing(stack: Stack, page: Page, units: None) -> None:
    sign_in(page, stack, "federation-staff")
    body = {"effective_on": ON_VN, "step": "confirm"}
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/units/cdcs-sai-ngay/dissolve", body)
    assert r.status_code == 403
    assert stack.get("registration", f"{BASE}/units/cdcs-sai-ngay").json()["state"] == "active"


def test_a_move_works_without_javascript(stack: Stack, browser: Browser, units: None) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        sign_in(page, stack, "federation-staff")
        page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-khong-js/move")
        page.fill("#f-to_parent", "ldld-huyen-ba-be")
        page.fill("#f-effective_on", ON_VN)
        page.get_by_role("button", name="Tiếp tục").click()
        page.get_by_role("button", name="Xác nhận chuyển đơn vị").click()
        assert "Đã chuyển CĐCS Bưu điện Không Script" in page.get_by_role("status").inner_text()
    finally:
        context.close()
    assert "cdcs-khong-js" in children(stack, "ldld-huyen-ba-be", ON)
