"""The tree report's page (issue 18): a federation's staff see, for a unit of the tree, the
workers and members its units declared, per unit below it and in all, with the units by kind.
The units are this file's own (`cd-dem-so` and its two grassroots unions)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, TODAY, Stack, axe, sign_in
from tests.console.report_data import settled

BASE = f"/v1/federations/{FEDERATION}"
UPPER = ("cd-dem-so", "Công đoàn ngành Đếm Số")
GRASSROOTS = [("cdcs-dem-1", "CĐCS Đếm Một", 120, 118), ("cdcs-dem-2", "CĐCS Đếm Hai", 80, 75)]


def given_units_with_headcounts(stack: Stack) -> None:
    if stack.get("registration", f"{BASE}/units/{UPPER[0]}").status_code == 200:
        return
    upper = {"code": UPPER[0], "name": UPPER[1], "kind": "upper", "parent": "ldld-tp-bac-kan"}
    stack.post("registration", f"{BASE}/units", upper)
    rows = []
    for code, name, workers, members in GRASSROOTS:
        unit = {"code": code, "name": name, "kind": "grassroots", "parent": UPPER[0]}
        stack.post("registration", f"{BASE}/units", unit)
        rows.append({"unit": code, "counted_on": TODAY.isoformat(), "workers": workers, "members": members})
    stack.post("registration", f"{BASE}/headcounts", {"headcounts": rows})


def test_staff_see_the_workers_and_members_below_a_unit_and_in_all(stack: Stack, page: Page) -> None:
    given_units_with_headcounts(stack)
    report = settled(stack, f"{BASE}/reports/tree", lambda r: r["workers"] == 200, unit=UPPER[0])
    assert (report["workers"], report["members"]) == (200, 193)
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/reports")
    page.get_by_role("main").get_by_role("link", name="Tổ chức: đơn vị và đoàn viên").click()
    page.fill("#f-unit", UPPER[0])
    page.get_by_role("button", name="Xem báo cáo").click()
    heading = page.locator("h1").inner_text()
    assert heading == f"Báo cáo tổ chức: đơn vị và đoàn viên tính đến ngày {TODAY.strftime('%d/%m/%Y')}"
    figures = page.locator("main").inner_text()
    assert "200" in figures and "193" in figures
    rows = page.locator("#don-vi-truc-thuoc tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).locator("th, td").all_inner_texts()
    assert first[0] == "CĐCS Đếm Một" and first[1] == "Công đoàn cơ sở"
    assert first[2] == TODAY.strftime("%d/%m/%Y") and first[3] == "120" and first[4] == "118"
    kinds = page.locator("#theo-loai tbody tr").all_inner_texts()
    assert any("Công đoàn cơ sở" in k and "2" in k for k in kinds)
    axe(page)
