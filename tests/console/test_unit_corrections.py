"""A unit's misspelt name corrected from its page with a reason (Đính chính tên); the refusals
beside their fields. The unit is this file's own, so the other files' tree stays as seeded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, Stack, axe, form_post, sign_in

BASE = f"/v1/federations/{FEDERATION}"


@pytest.fixture(scope="module")
def misspelt(stack: Stack) -> Iterator[None]:
    """Given a grassroots union whose name was stored misspelt."""
    body = {"code": "cdcs-sai-ten", "name": "CĐCS Trường THCS Nguyen Du", "kind": "grassroots"}
    stack.post("registration", f"{BASE}/units", body | {"parent": "ldld-tp-bac-kan"})
    yield


def name_of(stack: Stack) -> str:
    return str(stack.get("registration", f"{BASE}/units/cdcs-sai-ten").json()["name"])


def test_a_misspelt_unit_name_is_corrected_with_its_reason(stack: Stack, page: Page, misspelt: None) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sai-ten")
    page.get_by_role("link", name="Đính chính tên").click()
    assert page.input_value("#f-name") == "CĐCS Trường THCS Nguyen Du"
    page.fill("#f-name", "CĐCS Trường THCS Nguyễn Du")
    page.fill("#f-reason", "Tên lưu thiếu dấu so với quyết định thành lập")
    axe(page)
    page.get_by_role("button", name="Lưu đính chính").click()
    assert (
        "Đã đính chính tên đơn vị thành CĐCS Trường THCS Nguyễn Du" in page.get_by_role("status").inner_text()
    )
    assert name_of(stack) == "CĐCS Trường THCS Nguyễn Du"


def test_a_name_correction_without_a_reason_is_refused_beside_it(
    stack: Stack, page: Page, misspelt: None
) -> None:
    sign_in(page, stack, "federation-staff")
    page.goto(stack.url + f"/f/{FEDERATION}/units/cdcs-sai-ten/correct")
    before = page.input_value("#f-name")
    page.fill("#f-name", before + " (sửa)")
    page.get_by_role("button", name="Lưu đính chính").click()
    assert "Chưa lưu được" in page.get_by_role("alert").inner_text()
    assert page.locator("#e-reason").inner_text().endswith("Nhập lý do đính chính (ví dụ: tên lưu sai ký tự)")
    assert page.input_value("#f-name") == before + " (sửa)"  # what was typed stays
    assert name_of(stack) == before


def test_a_forged_name_correction_changes_nothing(stack: Stack, page: Page, misspelt: None) -> None:
    sign_in(page, stack, "federation-staff")
    before = name_of(stack)
    body = {"name": "Tên giả", "reason": "giả"}
    r = form_post(stack, page.context.cookies(), f"/f/{FEDERATION}/units/cdcs-sai-ten/correct", body)
    assert r.status_code == 403
    assert name_of(stack) == before
