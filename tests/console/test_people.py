"""People pages (issue 15): a federation's admin, signed in at the provider, invites a person by
e-mail, grants and revokes assignments and reads the access history — all through
registration's access endpoints; errors name their field, forms need their CSRF token."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.console.conftest import FEDERATION, XSS, Stack, axe, form_post, screenshot
from tests.console.signin_steps import login_name, oidc_sign_in, person, revoke

PEOPLE = f"/f/{FEDERATION}/nguoi-dung"


def admin(stack: Stack, page: Page) -> None:
    login = login_name("quan-tri")
    person(stack, login, "Hoàng Thị Quản", ("admin", None))
    oidc_sign_in(page, stack, login)


def test_an_admin_invites_a_person_and_errors_name_their_field(stack: Stack, page: Page) -> None:
    # Given a federation admin on the invitation form
    admin(stack, page)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Người dùng").click()
    page.get_by_role("link", name="Mời người dùng").click()
    # When they send it with a malformed e-mail
    page.fill("#f-name", XSS)
    page.fill("#f-email", "khong-phai-email")
    page.get_by_role("button", name="Gửi lời mời").click()
    # Then the error names the e-mail field, and nothing is stored
    summary = page.get_by_role("alert")
    assert "Địa chỉ e-mail không đúng dạng" in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#f-email"
    axe(page)
    # When they correct it
    email = f"{login_name('moi')}@tdkt.test"
    page.fill("#f-email", email)
    page.get_by_role("button", name="Gửi lời mời").click()
    # Then the person is invited, their name shown as text (escaped), and listed
    assert f"Đã mời {XSS} ({email})" in page.locator("main").inner_text()
    page.goto(stack.url + PEOPLE)
    assert email in page.content() and "<script>alert(1)</script>" not in page.content()
    axe(page)
    screenshot(page, "15-nguoi-dung")


def test_a_grant_gives_the_person_exactly_that_unit(stack: Stack, page: Page, browser: Browser) -> None:
    # Given an invited person with no assignment, and their admin on the grant form
    login = login_name("cap")
    person_id, _ = person(stack, login, "Bế Văn Cấp")
    admin(stack, page)
    page.goto(stack.url + f"{PEOPLE}/{person_id}/cap-vai-tro")
    # When the admin sends it without a reason
    page.select_option("#f-role", "clerk")
    page.select_option("#f-unit", "cdcs-benh-vien")
    page.get_by_role("button", name="Giao vai trò").click()
    # Then the reason's field is named
    assert page.locator("#e-reason").count() == 1
    # When they give the reason
    page.fill("#f-reason", "Quyết định số 12/QĐ phân công văn thư")
    page.get_by_role("button", name="Giao vai trò").click()
    assert "Đã giao vai trò cho Bế Văn Cấp" in page.content()
    assert "Văn thư" in page.locator("#vai-tro").inner_text()
    # Then the person signs in and sees exactly that unit
    context = browser.new_context()
    try:
        theirs = context.new_page()
        oidc_sign_in(theirs, stack, login)
        assert "Văn thư · CĐCS Bệnh viện Đa khoa tỉnh" in theirs.content()
        assert theirs.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-benh-vien").status == 200  # type: ignore[union-attr]
        assert "Trần Thị Bình" in theirs.content()
        for elsewhere in ("cdcs-truong-a", "ldld-tp-bac-kan"):
            assert theirs.goto(stack.url + f"/f/{FEDERATION}/units/{elsewhere}").status == 404  # type: ignore[union-attr]
    finally:
        context.close()


def test_a_revocation_by_form_ends_the_persons_access(stack: Stack, page: Page, browser: Browser) -> None:
    # Given a clerk signed in, and their admin on the person's page
    login = login_name("thu-hoi")
    person_id, _ = person(stack, login, "Hà Văn Hồi", ("clerk", "cdcs-truong-a"))
    context = browser.new_context()
    try:
        theirs = context.new_page()
        oidc_sign_in(theirs, stack, login)
        admin(stack, page)
        page.goto(stack.url + f"{PEOPLE}/{person_id}")
        page.get_by_role("link", name="Thu hồi").click()
        # When the admin revokes it with a reason
        page.fill("#f-reason", "Chuyển công tác sang đơn vị khác")
        page.get_by_role("button", name="Thu hồi vai trò").click()
        assert "Đã thu hồi vai trò của Hà Văn Hồi" in page.content()
        # Then the clerk's next page ends their access, saying why
        theirs.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-truong-a")
        assert "đã bị thu hồi" in theirs.content()
        theirs.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-truong-a")
        assert theirs.url.startswith(stack.url + "/dang-nhap")
    finally:
        context.close()


def test_the_access_history_says_who_when_and_why(stack: Stack, page: Page) -> None:
    # Given a person granted and then revoked
    login = login_name("lich-su")
    person_id, (assignment,) = person(stack, login, "Đàm Thị Sử", ("reader", None))
    revoke(stack, assignment, "Hết nhiệm kỳ")
    # When an admin opens their access history
    admin(stack, page)
    page.goto(stack.url + f"{PEOPLE}/{person_id}")
    page.get_by_role("link", name="Lịch sử truy cập").click()
    # Then each line says what, who and why
    history = page.locator("#lich-su").inner_text()
    assert "Được mời vào hệ thống" in history
    assert "Được giao vai trò" in history and "Phân công thử nghiệm" in history
    assert "Bị thu hồi vai trò" in history and "Hết nhiệm kỳ" in history
    axe(page)


def test_a_forged_grant_without_the_csrf_token_changes_nothing(stack: Stack, page: Page) -> None:
    # Given a signed-in admin and a person with no assignment
    person_id, _ = person(stack, login_name("csrf"), "Giả Văn Mạo")
    admin(stack, page)
    # When another site posts a grant with the admin's cookie but no CSRF token
    r = form_post(
        stack, page.context.cookies(), f"{PEOPLE}/{person_id}/cap-vai-tro", {"role": "admin", "reason": "x"}
    )
    # Then it is refused and the person still holds nothing
    assert r.status_code == 403
    held = stack.get("registration", f"/v1/access/people/{person_id}").json()["assignments"]
    assert held == []
