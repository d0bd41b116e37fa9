"""Steps of the access pages' tests (issue 15): people signed in at the test provider as a
federation's admin, auditor or clerk, or as a national admin (invited and granted nationally
over registration's API), and a service account with an assignment."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.console.conftest import FEDERATION, Stack
from tests.console.signin_steps import login_name, oidc_sign_in, person


def signed_in_as(stack: Stack, page: Page, name: str, role: str, unit: str | None = None) -> str:
    """A person of the federation holding one role (at a unit, or federation-wide), signed in."""
    login = login_name(role)
    person_id, _ = person(stack, login, name, (role, unit))
    oidc_sign_in(page, stack, login)
    return person_id


def national_person(stack: Stack, login: str, name: str, *roles: str) -> tuple[str, list[str]]:
    """<login>@tdkt.test invited nationally and granted each national role."""
    created = stack.post("registration", "/v1/access/people", {"name": name, "email": f"{login}@tdkt.test"})
    ids = []
    for role in roles:
        body = {"person": created["id"], "role": role, "reason": "Phân công thử nghiệm toàn quốc"}
        ids.append(stack.post("registration", "/v1/access/assignments", body)["assignment"]["id"])
    return created["id"], ids


def national_admin(stack: Stack, page: Page) -> str:
    login = login_name("quoc-gia")
    person_id, _ = national_person(stack, login, "Nguyễn Văn Quốc", "admin")
    oidc_sign_in(page, stack, login)
    return person_id


def service_account(stack: Stack, name: str, role: str = "reader") -> tuple[str, str]:
    """A service account of the federation holding `role` federation-wide: its id and assignment."""
    created = stack.post(
        "registration", f"/v1/federations/{FEDERATION}/access/people", {"name": name, "kind": "service"}
    )
    body: dict[str, Any] = {"person": created["id"], "role": role, "reason": "Đồng bộ số liệu"}
    granted = stack.post("registration", f"/v1/federations/{FEDERATION}/access/assignments", body)
    return created["id"], granted["assignment"]["id"]
