"""The catalogue page (read only): every award with its level, who grants it and its dates, a
retired one marked, and the catalogue as of a day without the awards not in force then."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, Stack, axe, sign_in

OWN = {"code": "giay-khen-trang-dm", "name": "Giấy khen danh mục thử", "subjects": "both"}
OWN |= {"effective_from": "2021-01-01"}


def test_the_catalogue_page_shows_dates_and_a_retired_award(stack: Stack, page: Page) -> None:
    """Given an own award in force from 2021 and retired after 2024-06-30, then the page marks it
    retired with its dates, and the catalogue as of 01/07/2024 no longer lists it."""
    base = f"/v1/federations/{FEDERATION}/catalogue"
    stack.post("awards", base, OWN)
    stack.post("awards", f"{base}/{OWN['code']}:retire", {"effective_until": "2024-06-30"}, expect=200)
    sign_in(page, stack, "federation-staff")
    page.goto(f"{stack.url}/f/{FEDERATION}/catalogue")
    row = page.locator("#danh-muc tr", has_text=OWN["name"]).inner_text()
    assert "01/01/2021" in row and "Bãi bỏ sau ngày 30/06/2024" in row
    assert "Đang áp dụng" in page.locator("#danh-muc tr", has_text="(ldtt)").inner_text()
    axe(page)
    page.fill("#f-on", "01/07/2024")
    page.get_by_role("button", name="Xem").click()
    assert OWN["name"] not in page.locator("#danh-muc").inner_text()
    assert "Lao động tiên tiến" in page.locator("#danh-muc").inner_text()
