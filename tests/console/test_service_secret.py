"""A service account's client secret (issue 15): issued from the account's page by a form with
its CSRF token, shown exactly once with a warning, usable at registration's token exchange,
never in the console's log; a forged request issues nothing."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.console.access_steps import service_account, signed_in_as
from tests.console.conftest import FEDERATION, Stack, axe, form_post, screenshot

PEOPLE = f"/f/{FEDERATION}/nguoi-dung"


def test_the_secret_is_shown_once_and_works_at_the_token_exchange(stack: Stack, page: Page) -> None:
    # Given a service account with a reader's assignment, and the federation's admin on its page
    account, assignment = service_account(stack, "Hệ thống báo cáo của tỉnh")
    signed_in_as(stack, page, "Hoàng Thị Quản", "admin")
    page.goto(stack.url + f"{PEOPLE}/{account}")
    # When the admin issues a secret
    page.get_by_role("button", name="Cấp khóa bí mật").click()
    # Then the page warns it is shown once, and shows it with the client id and assignment
    assert "chỉ hiện một lần" in page.get_by_role("alert").inner_text()
    secret = page.locator("#client-secret").inner_text().strip()
    assert len(secret) >= 32 and assignment in page.content()
    axe(page)
    screenshot(page, "15-khoa-bi-mat")
    # and the secret gets the account an access token under its assignment
    answer = httpx.post(
        stack.service("registration") + "/v1/access/tokens",
        json={"client_id": account, "client_secret": secret, "assignment": assignment},
        timeout=30,
    )
    assert answer.status_code == 200 and answer.json()["access_token"]
    # and it is nowhere again: not on the account's page, not in the console's log
    page.goto(stack.url + f"{PEOPLE}/{account}")
    assert secret not in page.content()
    assert secret not in stack.console.log.read_text(errors="replace")


def test_an_admin_adds_a_service_account_without_an_email(stack: Stack, page: Page) -> None:
    # Given the federation's admin on the invitation form
    signed_in_as(stack, page, "Hoàng Thị Quản", "admin")
    page.goto(stack.url + f"{PEOPLE}/moi")
    # When they add a service account by name only
    page.get_by_label("Tài khoản hệ thống").check()
    page.fill("#f-name", "Cổng dịch vụ công của tỉnh")
    page.get_by_role("button", name="Gửi lời mời").click()
    # Then it is a service account, whose page offers its secret
    assert "Đã thêm tài khoản hệ thống Cổng dịch vụ công của tỉnh" in page.content()
    assert page.get_by_role("button", name="Cấp khóa bí mật").count() == 1


def test_a_forged_secret_request_without_the_csrf_token_issues_nothing(stack: Stack, page: Page) -> None:
    # Given a signed-in admin and a service account
    account, _ = service_account(stack, "Hệ thống bị giả mạo")
    signed_in_as(stack, page, "Hoàng Thị Quản", "admin")
    # When another site posts the form with the admin's cookie but no CSRF token
    r = form_post(stack, page.context.cookies(), f"{PEOPLE}/{account}/khoa-bi-mat", {})
    # Then it is refused and no secret was issued
    assert r.status_code == 403
    history = stack.get("registration", f"/v1/access/people/{account}/history").json()["history"]
    assert "client-secret-issued" not in [line["event"] for line in history]
