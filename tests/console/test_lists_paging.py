"""Lists paged by the services: the year's nominations sorted and paged by awards ("Trang sau"),
pager links that keep a filter typed with `&`, `#` and Vietnamese letters, and a refused
nomination that keeps its verdict beside the errors; national staff's list of federations."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, OTHER, YEAR, Stack, sign_in

CLERK_UNIT = "cdcs-truong-a"
TYPED = "Tổ A&B #1 – Đợt 2"


def test_a_pager_link_keeps_a_filter_with_ampersand_hash_and_vietnamese(stack: Stack, page: Page) -> None:
    # Given federation staff on a later page of the pledges filtered by a unit typed as TYPED
    sign_in(page, stack, "federation-staff")
    later = urlencode({"unit": TYPED, "year": YEAR, "cursor": "MA=="})  # registration's cursor of 0
    page.goto(stack.url + f"/f/{FEDERATION}/pledges?{later}")
    # When they follow the pager back to the first page
    page.get_by_role("link", name="Trang đầu").click()
    # Then the filter is exactly what was typed, and no cursor is left
    assert page.input_value("#f-unit") == TYPED
    assert "cursor=" not in page.url


def test_the_years_nominations_are_paged_by_awards_in_the_order_chosen(stack: Stack, page: Page) -> None:
    # Given the year's nominations as awards sorts them by subject, a page of one
    want = stack.get(
        "awards", f"/v1/federations/{FEDERATION}/nominations", year=YEAR, sort="subject", limit=50
    ).json()["items"]
    # When staff open the list sorted by subject
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/nominations?year={YEAR}&sort=doi-tuong")
    shown = page.locator("#danh-sach tbody tr td:first-child a").all_inner_texts()
    # Then the page shows them in awards' order (at most a page of 50, "Trang sau" for more)
    assert shown == [n["subject_name"] or n["subject_code"] for n in want][:50]
    assert (page.get_by_role("link", name="Trang sau").count() == 1) == (len(want) == 50)


def test_a_refused_nomination_keeps_its_verdict_beside_the_errors(stack: Stack, page: Page) -> None:
    # Given a clerk who nominated dv-a2 for Lao động tiên tiến
    sign_in(page, stack, "clerk", CLERK_UNIT)
    query = f"subject_kind=member&subject_code=dv-a2&award=ldtt&year={YEAR}"
    deadline = time.monotonic() + 20
    while True:  # awards learns of the member from registration's events a moment later
        page.goto(stack.url + f"/f/{FEDERATION}/nominations/new?{query}")
        if page.locator("table.verdict").count() or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    clauses = page.locator("table.verdict tbody tr").count()
    page.get_by_role("button", name="Gửi đề nghị").click()
    assert "Đã gửi đề nghị" in page.get_by_role("status").inner_text()
    # When they submit the same nomination again (awards refuses it)
    page.goto(stack.url + f"/f/{FEDERATION}/nominations/new?{query}")
    page.get_by_role("button", name="Gửi đề nghị").click()
    # Then the error summary names the problem and the verdict is still there clause by clause
    assert page.title().startswith("Lỗi")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("table.verdict tbody tr").count() == clauses > 0


def test_national_staff_see_every_federation_by_name(stack: Stack, page: Page) -> None:
    # Given the federations registration lists
    listed = stack.get("registration", "/v1/federations").json()["items"]
    # When national staff open their home page
    sign_in(page, stack, "national-admin")
    page.goto(stack.url + f"/quoc-gia?year={YEAR}")
    # Then each federation is there by its name and code
    rows = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert rows == [f"{f['name']} ({f['code']})" for f in listed]
    assert {FEDERATION, OTHER} <= {f["code"] for f in listed}
