"""A clerk's nomination: the eligibility verdict clause by clause before submitting (as awards
answers it), then the nomination with the verdict attached."""

from __future__ import annotations

import time

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, YEAR, Stack, axe, screenshot, sign_in

CLERK_UNIT = "cdcs-truong-a"


def test_clerk_checks_the_verdict_then_nominates(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "clerk", CLERK_UNIT)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đề nghị khen thưởng"
    ).click()
    axe(page)
    page.get_by_role("link", name="Lập đề nghị khen thưởng").click()
    query = f"subject_kind=member&subject_code=dv-a1&award=bang-khen-ldld&year={YEAR}"
    deadline = time.monotonic() + 20
    while True:  # awards learns of the member from registration's events a moment later
        page.goto(stack.url + f"/f/{FEDERATION}/nominations/new?{query}")
        if page.locator("table.verdict").count() or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    expected = stack.get(
        "awards",
        f"/v1/federations/{FEDERATION}/eligibility",
        subject_kind="member",
        subject_code="dv-a1",
        award="bang-khen-ldld",
        year=YEAR,
    ).json()
    rows = page.locator("table.verdict tbody tr")
    assert rows.count() == len(expected["clauses"]) > 0
    for i, clause in enumerate(expected["clauses"]):
        row = rows.nth(i)
        assert f"({clause['clause']})" in row.locator("th").inner_text()
        assert row.locator("td").first.inner_text() == ("Đạt" if clause["passed"] else "Không đạt")
    heading = page.get_by_role("heading", level=2).filter(has_text="Bằng khen của LĐLĐ tỉnh").inner_text()
    assert heading.endswith("đủ điều kiện" if expected["eligible"] else "chưa đủ điều kiện")
    axe(page)
    screenshot(page, "3-de-nghi-kiem-tra-dieu-kien")
    page.fill("#f-grounds", "Hoàn thành xuất sắc nhiệm vụ năm học")
    page.get_by_role("button", name="Gửi đề nghị").click()
    assert "Đã gửi đề nghị" in page.get_by_role("status").inner_text()
    assert page.locator("table.verdict tbody tr").count() == len(expected["clauses"])
    nomination_id = page.url.rsplit("/", 1)[1]
    stored = stack.get("awards", f"/v1/federations/{FEDERATION}/nominations/{nomination_id}").json()
    assert stored["subject_code"] == "dv-a1" and stored["grounds"] == "Hoàn thành xuất sắc nhiệm vụ năm học"
    assert stored["eligible"] == expected["eligible"]
    axe(page)
    # another unit's member is not there for this clerk
    page.goto(
        stack.url
        + f"/f/{FEDERATION}/nominations/new?subject_kind=member&subject_code=dv-b1&award=ldtt&year={YEAR}"
    )
    assert "Không có đoàn viên" in page.locator("#e-subject_code").inner_text()  # as if it did not exist
    assert page.locator("table.verdict").count() == 0


def test_council_member_cannot_nominate(stack: Stack, page: Page) -> None:
    sign_in(page, stack, "council")
    page.goto(stack.url + f"/f/{FEDERATION}/nominations")
    assert page.get_by_role("link", name="Lập đề nghị khen thưởng").count() == 0
    response = page.goto(stack.url + f"/f/{FEDERATION}/nominations/new")
    assert response is not None and response.status == 404
