"""Givens of the council and approver tests, written over the services' public APIs as staff
would: members rated for the year, nominated for `ldtt`, a council convened, votes cast, a
decision issued. Each test makes its own members, so the tests do not depend on their order."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx

from tests.console.conftest import FEDERATION, TODAY, YEAR, Stack
from tests.support import bearer

BASE = f"/v1/federations/{FEDERATION}"
COUNCIL_USER = "dev-council"  # who the development sign-in's council member is
T = TypeVar("T")


def eventually(check: Callable[[], T], timeout: float = 20.0) -> T:
    """`check` once it stops raising AssertionError (the services follow each other's events a
    moment later)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def nominated(stack: Stack, code: str, name: str, unit: str = "cdcs-truong-a") -> dict[str, Any]:
    """A new member rated good this year and nominated for Lao động tiên tiến (eligible)."""
    stack.post("registration", f"{BASE}/members", {"code": code, "full_name": name, "unit": unit})

    def rated() -> None:
        rating = {"subject_kind": "member", "subject_code": code, "year": YEAR, "rating": "good"}
        r = httpx.post(
            stack.service("awards") + f"{BASE}/ratings", json=rating, headers=stack.admin, timeout=30
        )
        assert r.status_code == 201, r.text

    eventually(rated)
    body = {"subject_kind": "member", "subject_code": code, "award": "ldtt", "year": YEAR}
    nomination = stack.post("awards", f"{BASE}/nominations", body)
    assert nomination["eligible"], nomination
    return nomination


MEMBERS = [
    {"user": COUNCIL_USER, "name": "Triệu Thị Mai"},
    {"user": "tv-hung", "name": "Lương Văn Hùng"},
    {"user": "tv-nga", "name": "Ma Thị Nga"},
]


def convened(
    stack: Stack, code: str, nominations: list[str], secret: bool, members: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    body = {
        "code": code,
        "name": f"Hội đồng {code}",
        "year": YEAR,
        "meets_on": f"{YEAR}-12-01",
        "quorum": 1,
        "secret_ballot": secret,
        "members": members or MEMBERS,
        "nominations": nominations,
    }
    return stack.post("awards", f"{BASE}/councils", body)


def vote(stack: Stack, council: str, nomination: str, user: str, choice: str) -> None:
    r = httpx.post(
        stack.service("awards") + f"{BASE}/councils/{council}/votes",
        json={"nomination": nomination, "choice": choice},
        headers=bearer(FEDERATION, ["council"], sub=user),
        timeout=30,
    )
    assert r.status_code == 201, r.text


def passed(stack: Stack, council: str, nominations: list[str]) -> None:
    """An open-ballot council over `nominations`, each passed by all three members."""
    convened(stack, council, nominations, secret=False)
    for n in nominations:
        for member in MEMBERS:
            vote(stack, council, n, member["user"], "yes")
    stack.post("awards", f"{BASE}/councils/{council}:resolve", {}, expect=200)


def granted(stack: Stack, number: str, nominations: list[str]) -> dict[str, Any]:
    body = {
        "number": number,
        "signed_on": TODAY.isoformat(),
        "signer": "Hà Văn Sơn",
        "year": YEAR,
        "grants": [{"nomination": n} for n in nominations],
    }
    return stack.post("awards", f"{BASE}/decisions", body)


def listed_grants(stack: Stack, decision: str) -> list[dict[str, Any]]:
    def found() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = stack.get("awards", f"{BASE}/grants", decision=decision).json()["items"]
        assert items
        return items

    return eventually(found)
