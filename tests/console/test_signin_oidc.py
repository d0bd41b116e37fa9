"""Signing in with the provider's account (issue 15): a real OpenID provider (oidc-provider, run
by Node.js), real Chromium following every redirect, registration's token exchange, the
assignment picker, acting under the assignment picked, and signing out on both sides."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, Stack, axe, screenshot
from tests.console.signin_steps import at_provider, login_name, oidc_sign_in, person, session_cookie, start

CLERK_UNIT = "cdcs-truong-a"


def test_a_person_with_two_assignments_picks_one_and_acts_under_it(stack: Stack, page: Page) -> None:
    # Given a person invited by e-mail, clerk of one grassroots union and reader of the federation
    login = login_name("nam")
    person(stack, login, "Lý Văn Nam", ("clerk", CLERK_UNIT), ("reader", None))
    # When they sign in at the provider
    start(page, stack)
    at_provider(page, stack, login)
    # Then the console asks which assignment, each named by role and place in Vietnamese
    assert page.url.endswith("/dang-nhap/vai-tro")
    assert page.get_by_label("Văn thư — CĐCS Trường THPT Bắc Kạn (LĐLĐ tỉnh Bắc Kạn)").count() == 1
    assert page.get_by_label("Người xem — LĐLĐ tỉnh Bắc Kạn").count() == 1
    axe(page)
    screenshot(page, "15-chon-vai-tro")
    # When they pick the clerk's and register a member of their union by the form
    page.get_by_label("Văn thư — CĐCS Trường THPT Bắc Kạn").check()
    page.get_by_role("button", name="Làm việc với vai trò này").click()
    assert "Đã đăng nhập: Lý Văn Nam — Văn thư · CĐCS Trường THPT Bắc Kạn" in page.content()
    page.goto(stack.url + f"/f/{FEDERATION}/members/new")
    page.fill("#f-code", f"dv-{login[-8:]}")
    page.fill("#f-full_name", "Vi Thị Oanh")
    page.get_by_role("button", name="Lưu đoàn viên").click()
    # Then the member is stored in that union, by the product's own token for that assignment
    assert "Đã lưu đoàn viên Vi Thị Oanh" in page.content()
    stored = stack.get("registration", f"/v1/federations/{FEDERATION}/members/dv-{login[-8:]}").json()
    assert stored["unit"] == CLERK_UNIT
    # and nothing outside the union is theirs
    response = page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-benh-vien")
    assert response is not None and response.status == 404


def test_a_person_with_one_assignment_goes_straight_to_the_page_they_asked_for(
    stack: Stack, page: Page
) -> None:
    # Given a federation reader, sent to sign in from the pledges page
    login = login_name("thu")
    person(stack, login, "Hoàng Thị Thu", ("reader", None))
    # When they sign in
    oidc_sign_in(page, stack, login, next=f"/f/{FEDERATION}/pledges")
    # Then they are on that page, with no picker, acting as the federation's reader
    assert page.url == stack.url + f"/f/{FEDERATION}/pledges"
    assert "Người xem · LĐLĐ tỉnh Bắc Kạn" in page.content()


def test_the_session_gets_a_new_id_at_sign_in(stack: Stack, page: Page) -> None:
    # Given a visitor whose session id (an anonymous one) someone else may know
    login = login_name("fix")
    person(stack, login, "Đinh Văn Cố", ("reader", None))
    start(page, stack)
    before = session_cookie(page)
    # When they sign in
    at_provider(page, stack, login)
    # Then the session has a new id, and the old one opens nothing
    after = session_cookie(page)
    assert after != before
    old = httpx.get(stack.url + f"/f/{FEDERATION}", cookies={"tdkt_session": before}, follow_redirects=False)
    assert old.status_code == 303 and old.headers["location"].startswith("/dang-nhap")


def test_sign_out_ends_the_session_here_and_at_the_provider(stack: Stack, page: Page) -> None:
    # Given a signed-in person
    assert stack.provider is not None
    login = login_name("out")
    person(stack, login, "Nông Văn Ra", ("reader", None))
    oidc_sign_in(page, stack, login)
    cookie = session_cookie(page)
    # When they sign out
    page.get_by_role("button", name="Đăng xuất").click()
    # Then the provider is asked to end its session too, and the browser comes back signed out
    page.wait_for_url(stack.provider.issuer + "/**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(stack.url + "/dang-nhap")
    assert "Đã đăng xuất" in page.content() or "Đăng nhập bằng tài khoản" in page.content()
    # and the old session id opens nothing on the server
    old = httpx.get(stack.url + f"/f/{FEDERATION}", cookies={"tdkt_session": cookie}, follow_redirects=False)
    assert old.status_code == 303
    # and the provider asks for the password again at the next sign-in
    start(page, stack)
    assert page.locator("input[name=login]").count() == 1
