"""Journey 5, national staff: the national roll-up with each federation's figures (reporting's
national reports) and the nominations forwarded upward from every federation (awards' forwarded
list); federation staff cannot reach them; and the console's own font with every Vietnamese
glyph, served by the console."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, OTHER, TODAY, YEAR, Stack, axe, screenshot, sign_in
from tests.support import token

AWARDS = f"/v1/federations/{FEDERATION}"
COUNCIL = ["uv-1", "uv-2"]


def _post(stack: Stack, path: str, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """POST to awards, waiting while it has not yet learnt registration's facts."""
    deadline = time.monotonic() + 30
    while True:
        r = httpx.post(stack.service("awards") + path, json=body, headers=headers or stack.admin, timeout=30)
        if r.status_code < 300 or r.status_code not in (404, 422) or time.monotonic() > deadline:
            assert r.status_code < 300, (path, r.status_code, r.text)
            return r.json() if r.content else {}
        time.sleep(0.3)


@pytest.fixture(scope="module")
def forwarded(stack: Stack) -> Iterator[dict[str, Any]]:
    """Given Lục Văn Quốc nominated for the national union's Bằng khen, passed by Bắc Kạn's
    council and forwarded to the national union."""
    stack.post(
        "registration",
        f"/v1/federations/{FEDERATION}/members",
        {"code": "dv-qg1", "full_name": "Lục Văn Quốc", "unit": "cdcs-benh-vien"},
    )
    nomination = _post(
        stack,
        f"{AWARDS}/nominations",
        {"subject_kind": "member", "subject_code": "dv-qg1", "award": "bang-khen-tld", "year": YEAR},
    )
    _post(
        stack,
        f"{AWARDS}/councils",
        {
            "code": "hd-quoc-gia-kiem-thu",
            "name": "Hội đồng Thi đua – Khen thưởng LĐLĐ tỉnh",
            "year": YEAR,
            "meets_on": TODAY.isoformat(),
            "quorum": 2,
            "members": [{"user": u, "name": f"Ủy viên {u}"} for u in COUNCIL],
            "nominations": [nomination["id"]],
        },
    )
    for user in COUNCIL:
        member = {"Authorization": f"Bearer {token(FEDERATION, ['council'], sub=user)}"}
        _post(
            stack,
            f"{AWARDS}/councils/hd-quoc-gia-kiem-thu/votes",
            {"nomination": nomination["id"], "choice": "yes"},
            member,
        )
    _post(stack, f"{AWARDS}/councils/hd-quoc-gia-kiem-thu:resolve", {})
    _post(stack, f"{AWARDS}/nominations/{nomination['id']}:forward", {"to": "national"})
    yield nomination


def test_the_national_rollup_shows_each_federations_figures_as_the_reports_say(
    stack: Stack, page: Page
) -> None:
    sign_in(page, stack, "national-admin")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tổng hợp toàn quốc"
    ).click()
    assert page.locator("h1").inner_text() == f"Tổng hợp toàn quốc năm {YEAR}"
    deadline = time.monotonic() + 20
    while True:  # the reports follow the stores a moment later: compare once they hold still
        report = stack.get("reporting", "/v1/reports/registrations", year=YEAR).json()
        page.goto(stack.url + f"/quoc-gia/tong-hop?year={YEAR}")
        shown = {
            row.locator("th").inner_text(): row.locator("td").first.inner_text()
            for row in page.locator("#tong-hop tbody tr").all()
        }
        names = {FEDERATION: "LĐLĐ tỉnh Bắc Kạn", OTHER: "LĐLĐ tỉnh Cao Bằng"}
        want = {
            f"{names[f['federation']]} ({f['federation']})": str(f["pledged"])
            for f in report["by_federation"]
        }
        if (shown == want and report["pledged"] > 0) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert shown == want and {FEDERATION, OTHER} <= {f["federation"] for f in report["by_federation"]}
    total = page.locator("#tong-hop tfoot td").first.inner_text()
    assert total == f"{report['pledged']:,}".replace(",", ".")
    axe(page)
    screenshot(page, "5-tong-hop-toan-quoc")


def test_nominations_forwarded_upward_are_listed_with_their_federation(
    stack: Stack, page: Page, forwarded: dict[str, Any]
) -> None:
    sign_in(page, stack, "national-admin")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đề nghị chuyển lên"
    ).click()
    deadline = time.monotonic() + 20
    while "Lục Văn Quốc" not in page.locator("main").inner_text() and time.monotonic() < deadline:
        time.sleep(0.3)
        page.goto(stack.url + f"/quoc-gia/de-nghi?year={YEAR}")
    row = page.locator("#de-nghi tbody tr").filter(has_text="Lục Văn Quốc")
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "LĐLĐ tỉnh Bắc Kạn"
    assert (
        cells[3] == "Bằng khen của Tổng Liên đoàn"
        and cells[5] == "Hội đồng thông qua"
        and cells[6] == "Tổng Liên đoàn"
    )
    axe(page)
    screenshot(page, "5-de-nghi-chuyen-len")
    page.select_option("#f-to", "state")
    page.get_by_role("button", name="Lọc").click()
    assert "to=state" in page.url and "Chưa có đề nghị nào" in page.locator("main").inner_text()
    page.go_back()
    page.get_by_role("link", name="Lục Văn Quốc").click()
    assert forwarded["id"] in page.url


def test_federation_staff_cannot_see_or_reach_the_national_pages(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    assert nav.get_by_role("link", name="Tổng hợp toàn quốc").count() == 0
    for path in ("/quoc-gia/tong-hop", "/quoc-gia/de-nghi"):
        response = page.goto(stack.url + path)
        assert response is not None and response.status == 404, path
        assert page.locator("h1").inner_text() == "Không tìm thấy trang", path


def test_pages_use_the_consoles_own_font_with_every_vietnamese_glyph(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units")
    page.evaluate("document.fonts.ready")
    text = "Thi đua – Khen thưởng: Đặng Thị Ánh, Nguyễn Văn Ẩn, Ỷ Lữ Ượng, 57,7 tỷ đồng ₫"
    loaded = page.evaluate(
        "async (t) => { const faces = await document.fonts.load('700 16px \"TDKT Noto Sans\"', t);"
        " await document.fonts.load('16px \"TDKT Noto Sans\"', t);"
        " return [faces.length, document.fonts.check('16px \"TDKT Noto Sans\"', t),"
        " getComputedStyle(document.body).fontFamily]; }",
        text,
    )
    assert loaded[0] >= 1 and loaded[1] is True and loaded[2].startswith('"TDKT Noto Sans"')
    for asset in ("noto-sans-vietnamese-400.woff2", "noto-sans-vietnamese-700.woff2", "noto-sans.OFL.txt"):
        r = httpx.get(stack.url + f"/static/vendor/fonts/{asset}", timeout=10)
        assert r.status_code == 200, asset
    assert (
        "SIL OPEN FONT LICENSE Version 1.1"
        in httpx.get(stack.url + "/static/vendor/fonts/noto-sans.OFL.txt").text
    )
