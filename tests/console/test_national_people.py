"""The national people page (issue 15): national admins list the people invited or granted
nationally, invite nationally, grant national roles and a federation's admins, revoke — through
registration's access endpoints; a federation's admin is told these pages do not exist."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.console.access_steps import national_admin, national_person, signed_in_as
from tests.console.conftest import FEDERATION, Stack, axe, screenshot
from tests.console.signin_steps import login_name, oidc_sign_in

PEOPLE = "/quoc-gia/nguoi-dung"


def test_a_national_admin_makes_a_federation_admin(stack: Stack, page: Page, browser: Browser) -> None:
    # Given a national admin who invites a person nationally from the national people page
    national_admin(stack, page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Người dùng toàn quốc"
    ).click()
    page.get_by_role("link", name="Mời người dùng").click()
    login = login_name("qtld")
    page.fill("#f-name", "Ma Thị Liên")
    page.fill("#f-email", f"{login}@tdkt.test")
    page.get_by_role("button", name="Gửi lời mời").click()
    assert "Đã mời Ma Thị Liên" in page.content()
    # When they grant the federation's admin role without a reason, then with one
    page.get_by_role("link", name="Giao vai trò").click()
    page.select_option("#f-role", "admin")
    page.select_option("#f-federation", FEDERATION)
    page.get_by_role("button", name="Giao vai trò").click()
    summary = page.get_by_role("alert")
    assert summary.get_by_role("link").first.get_attribute("href") == "#f-reason"
    axe(page)
    page.fill("#f-reason", "Quyết định 3/QĐ-TLĐ công nhận quản trị viên LĐLĐ tỉnh")
    page.get_by_role("button", name="Giao vai trò").click()
    # Then the person holds it, is in the national list, and acts as the federation's admin
    assert "Quản trị — Toàn liên đoàn (LĐLĐ tỉnh Bắc Kạn)" in page.locator("#vai-tro").inner_text()
    page.goto(stack.url + PEOPLE)
    assert "Ma Thị Liên" in page.locator("#nguoi-dung").inner_text()
    axe(page)
    screenshot(page, "15-nguoi-dung-toan-quoc")
    context = browser.new_context()
    try:
        theirs = context.new_page()
        oidc_sign_in(theirs, stack, login)
        assert theirs.goto(stack.url + f"/f/{FEDERATION}/nguoi-dung/moi").status == 200  # type: ignore[union-attr]
    finally:
        context.close()


def test_a_national_admin_revokes_a_national_role(stack: Stack, page: Page) -> None:
    # Given a national reader, and a national admin on their page
    reader, _ = national_person(stack, login_name("doc"), "Bàn Văn Đọc", "reader")
    national_admin(stack, page)
    page.goto(stack.url + f"{PEOPLE}/{reader}")
    # When the admin revokes the role with a reason
    page.get_by_role("link", name="Thu hồi").click()
    page.fill("#f-reason", "Hết thời gian biệt phái")
    page.get_by_role("button", name="Thu hồi vai trò").click()
    # Then the role is shown revoked, with the reason
    assert "Đã thu hồi vai trò của Bàn Văn Đọc" in page.content()
    held = page.locator("#vai-tro").inner_text()
    assert "Đã thu hồi" in held and "Hết thời gian biệt phái" in held
    axe(page)


def test_a_federation_admin_typing_the_address_is_told_it_does_not_exist(stack: Stack, page: Page) -> None:
    # Given a federation's admin
    signed_in_as(stack, page, "Hoàng Văn Tỉnh", "admin")
    # Then no link leads to the national pages
    assert page.get_by_role("link", name="Người dùng toàn quốc").count() == 0
    # When they type their addresses, each is "not found"
    for path in (PEOPLE, f"{PEOPLE}/moi", "/quoc-gia/ai-duoc-phep"):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
