"""Workers and members counted on a day, typed for a unit and the units under it in one form:
blank rows skipped, a bad figure named on its own row (also when registration refuses it), a
day already counted corrected only with a reason; the unit's page shows its figures."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, TODAY, YEAR, Stack, axe, form_post, screenshot, sign_in

BASE = f"/v1/federations/{FEDERATION}"
UPPER = "cdn-so-lieu"
# Sorted by name on the form, after the upper union's own row (row 0): rows 1, 2, 3.
GRASSROOTS = [
    ("cdcs-sl-1", "CĐCS Số Liệu A"),
    ("cdcs-sl-2", "CĐCS Số Liệu B"),
    ("cdcs-sl-3", "CĐCS Số Liệu C"),
]
TODAY_VN = TODAY.strftime("%d/%m/%Y")
RECORD = "Ghi số lao động, đoàn viên của đơn vị và các đơn vị trực thuộc"


def given_an_upper_union_with_three_grassroots_unions(stack: Stack) -> None:
    if stack.get("registration", f"{BASE}/units/{UPPER}").status_code == 200:
        return
    since = {"effective_on": f"{YEAR}-01-01"}
    upper = {"code": UPPER, "name": "Công đoàn ngành Số liệu", "kind": "upper", "parent": "ldld-tp-bac-kan"}
    stack.post("registration", f"{BASE}/units", upper | since)
    for code, name in GRASSROOTS:
        unit = {"code": code, "name": name, "kind": "grassroots", "parent": UPPER}
        stack.post("registration", f"{BASE}/units", unit | since)


def counts(stack: Stack, unit: str) -> list[dict[str, Any]]:
    return stack.get("registration", f"{BASE}/units/{unit}/headcounts").json()["counts"]  # type: ignore[no-any-return]


def test_an_upper_union_records_its_grassroots_unions_figures_in_one_form(stack: Stack, page: Page) -> None:
    """Given an upper union and three grassroots unions, when staff type two unions' figures
    and leave the rest blank, then those two are recorded and the unit's page shows them."""
    given_an_upper_union_with_three_grassroots_unions(stack)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/{UPPER}")
    page.get_by_role("link", name=RECORD).click()
    assert page.locator("tbody th").all_inner_texts()[1].startswith("CĐCS Số Liệu A")
    axe(page)
    page.fill("#f-counted_on", TODAY_VN)
    page.fill("#f-headcounts-1-workers", "1.530")
    page.fill("#f-headcounts-1-members", "1.498")
    page.fill("#f-headcounts-2-workers", "40")
    page.fill("#f-headcounts-2-members", "38")
    page.get_by_role("button", name="Ghi số liệu").click()
    assert "Đã ghi số lao động, đoàn viên của 2 đơn vị" in page.get_by_role("status").inner_text()
    screenshot(page, "18-ghi-so-lieu")
    assert counts(stack, "cdcs-sl-1") == [{"counted_on": TODAY.isoformat(), "workers": 1530, "members": 1498}]
    assert counts(stack, "cdcs-sl-3") == [] and counts(stack, UPPER) == []
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sl-1")
    figures = page.locator("section", has=page.locator("#h-headcounts")).inner_text()
    assert "1.530" in figures and "1.498" in figures


def test_a_bad_figure_is_named_on_its_own_row_and_nothing_is_recorded(stack: Stack, page: Page) -> None:
    """Given the form, when a figure is not a number, then the console names its row; when a
    row below a blank one has more members than workers, then registration's refusal is shown
    on that row (not on the line it was sent as); nothing is recorded."""
    given_an_upper_union_with_three_grassroots_unions(stack)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/{UPPER}/so-lieu")
    page.fill("#f-counted_on", TODAY_VN)
    page.fill("#f-headcounts-3-workers", "mười")
    page.fill("#f-headcounts-3-members", "9")
    page.get_by_role("button", name="Ghi số liệu").click()
    assert page.locator("#e-f-headcounts-3-workers").inner_text().endswith("Nhập số bằng chữ số, ví dụ 1.530")
    page.fill("#f-headcounts-3-workers", "10")
    page.fill("#f-headcounts-3-members", "12")
    page.get_by_role("button", name="Ghi số liệu").click()
    assert page.locator("#e-f-headcounts-3-members").count() == 1
    assert page.input_value("#f-headcounts-3-members") == "12"
    axe(page)
    assert counts(stack, "cdcs-sl-3") == []


def test_figures_already_recorded_for_a_day_change_only_with_a_reason(stack: Stack, page: Page) -> None:
    """Given a day's figures recorded for a union, when staff type other figures for that day
    without a reason, then the reason is asked for and nothing changes; with one, they change."""
    given_an_upper_union_with_three_grassroots_unions(stack)
    day = {"counted_on": f"{YEAR}-06-30"}  # a day no other test counts
    line = {"unit": "cdcs-sl-2", **day, "workers": 41, "members": 39}
    stack.post("registration", f"{BASE}/headcounts", {"headcounts": [line]})
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/{UPPER}/so-lieu")
    page.fill("#f-counted_on", f"30/06/{YEAR}")
    page.fill("#f-headcounts-2-workers", "45")
    page.fill("#f-headcounts-2-members", "44")
    page.get_by_role("button", name="Ghi số liệu").click()
    assert page.locator("#e-reason").count() == 1
    assert day | {"workers": 41, "members": 39} in counts(stack, "cdcs-sl-2")
    page.fill("#f-reason", "Đơn vị báo cáo lại sau khi rà soát")
    page.get_by_role("button", name="Ghi số liệu").click()
    assert "Đã ghi số lao động" in page.get_by_role("status").inner_text()
    assert day | {"workers": 45, "members": 44} in counts(stack, "cdcs-sl-2")


def test_only_who_may_change_the_tree_records_figures_and_a_forged_form_changes_nothing(
    stack: Stack, page: Page
) -> None:
    """Given an auditor, the unit's page has no link and the form is "not found"; a post from
    another site (no CSRF token) is refused."""
    given_an_upper_union_with_three_grassroots_unions(stack)
    sign_in(page, stack, "auditor")
    page.goto(stack.url + f"/f/{FEDERATION}/units/{UPPER}")
    assert page.get_by_role("link", name=RECORD).count() == 0
    response = page.goto(stack.url + f"/f/{FEDERATION}/units/{UPPER}/so-lieu")
    assert response is not None and response.status == 404
    sign_in(page, stack, "federation-staff")
    data = {"counted_on": TODAY_VN, "headcounts-0-unit": "cdcs-sl-3", "headcounts-0-workers": "5"}
    data["headcounts-0-members"] = "5"
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/units/{UPPER}/so-lieu", data)
    assert r.status_code == 403
    assert counts(stack, "cdcs-sl-3") == []
