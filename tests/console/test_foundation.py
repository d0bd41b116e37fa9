"""Journey 1: the console itself — sign-in, the layout by role, headers, CSRF, error pages."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, OTHER, YEAR, Stack, axe, form_post, screenshot, sign_in

pytestmark = pytest.mark.usefixtures("stack")


def test_health_headers_and_sign_in_page(stack: Stack, page: Page) -> None:
    assert httpx.get(stack.url + "/health").json()["status"] == "ok"
    r = httpx.get(stack.url + "/dang-nhap")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "Authorization" not in r.text and "Bearer" not in r.text
    # an anonymous visitor is sent to sign in, and comes back to the page after
    page.goto(stack.url + f"/f/{FEDERATION}")
    assert page.url.endswith(f"/dang-nhap?next=%2Ff%2F{FEDERATION}")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    assert page.get_by_role("link", name="Đăng nhập bằng tài khoản").count() == 1
    assert page.locator("h2").first.inner_text() == "Đăng nhập thử nghiệm"
    for label in ("Quản trị viên Tổng Liên đoàn", "Văn thư công đoàn cơ sở", "Kiểm tra viên"):
        assert page.get_by_role("radio", name=label).count() == 1
    axe(page)
    screenshot(page, "1-dang-nhap")


def test_federation_staff_home_and_navigation(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    assert page.url.endswith(f"/f/{FEDERATION}")
    assert page.locator("h1").inner_text() == f"Thi đua – khen thưởng năm {YEAR}"
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    for label in ("Trang chủ", "Cây tổ chức", "Thêm đoàn viên", "Đăng ký thi đua", "Tải danh sách"):
        assert nav.get_by_role("link", name=label).count() == 1, label
    assert nav.get_by_role("link", name="Các liên đoàn").count() == 0
    movements = page.get_by_role("region", name="Phong trào thi đua")
    assert f"Phong trào thi đua năm {YEAR}" in movements.inner_text()
    assert "Đang nhận đăng ký · còn" in movements.inner_text() or "Hạn cuối hôm nay" in movements.inner_text()
    assert "31/12/" + str(YEAR) in movements.inner_text()
    axe(page)
    screenshot(page, "1-trang-chu-can-bo-lien-doan")
    # a typed URL outside the federation answers "not found", as does the national page
    for path in (f"/f/{OTHER}", "/quoc-gia", f"/f/{OTHER}/units"):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    axe(page)


def test_roles_see_only_their_links(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "council")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    assert nav.get_by_role("link", name="Trang chủ").count() == 1
    for label in ("Thêm đoàn viên", "Tải danh sách", "Các liên đoàn"):
        assert nav.get_by_role("link", name=label).count() == 0, label
    assert page.get_by_role("link", name="Phát động phong trào").count() == 0
    for path in ("/members/new", "/pledges/upload", "/pledges/new", "/movements/new"):
        response = page.goto(stack.url + f"/f/{FEDERATION}{path}")
        assert response is not None and response.status == 404, path


def test_national_admin_sees_federations(stack: Stack, page: Page) -> None:
    # Given the national admin, signed in, on the year's national page
    sign_in(page, stack, "national-admin")
    assert page.url.endswith("/quoc-gia")
    page.goto(stack.url + f"/quoc-gia?year={YEAR}")
    # When they follow a federation, listed by its name
    link = page.get_by_role("table").get_by_role("link", name="LĐLĐ tỉnh Bắc Kạn", exact=True)
    link.click()
    # Then they are on that federation's home for the year
    assert page.url.endswith(f"/f/{FEDERATION}?year={YEAR}")
    axe(page)


def test_sign_out_ends_the_session(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "auditor")
    before = page.context.cookies()
    page.get_by_role("button", name="Đăng xuất").click()
    assert page.url.endswith("/dang-nhap")
    assert "Đã đăng xuất." in page.content()
    # the old cookie no longer signs anyone in
    jar = {c["name"]: c["value"] for c in before}
    r = httpx.get(stack.url + f"/f/{FEDERATION}", cookies=jar, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/dang-nhap")


def test_forged_posts_without_csrf_token_are_refused(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    cookies = page.context.cookies()
    r = form_post(stack, cookies, "/dang-xuat", {})
    assert r.status_code == 403 and "Biểu mẫu không hợp lệ" in r.text
    r = form_post(stack, cookies, "/dang-xuat", {"csrf_token": "forged"})
    assert r.status_code == 403
    # still signed in: the forged sign-out changed nothing
    page.goto(stack.url + f"/f/{FEDERATION}")
    assert page.get_by_role("button", name="Đăng xuất").count() == 1


def test_dev_sign_in_is_refused_unless_enabled() -> None:
    from fastapi.testclient import TestClient

    from services.console.bootstrap import build_app
    from shared.kernel.settings import ConsoleSettings

    with TestClient(build_app(ConsoleSettings(console_dev_sign_in=False))) as client:
        assert client.get("/dang-nhap").status_code == 404
        page = client.get("/dang-nhap")
        token = (
            page.text.split('name="csrf_token" value="')[1].split('"')[0] if "csrf_token" in page.text else ""
        )
        r = client.post("/dang-nhap", data={"identity": "national-admin", "csrf_token": token})
        assert r.status_code in (403, 404)
        assert client.get("/", follow_redirects=False).headers["location"] == "/dang-nhap"
