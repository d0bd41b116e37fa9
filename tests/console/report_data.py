"""What the report and auditor tests need beyond conftest's seed, written over the services'
public APIs as staff would: a block of three units whose Cờ thi đua went to each in turn for three
years, awards imported with their decisions and signers, one revoked with its reason,
initiatives against a target and a plaqued work. Written once per test run (the stack is shared)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import httpx

from tests.console.conftest import FEDERATION, YEAR, Stack

BASE = f"/v1/federations/{FEDERATION}"
BLOCK = "khoi-thi-dua-bao-cao"
BLOCK_UNITS = [
    ("cdcs-khoi-a", "CĐCS Công ty Điện lực"),
    ("cdcs-khoi-b", "CĐCS Công ty Cấp nước"),
    ("cdcs-khoi-c", "CĐCS Công ty Môi trường"),
]
FIRST = YEAR - 3  # the block's years: FIRST, FIRST + 1, FIRST + 2
DECISION = "101/QĐ-LĐLĐ"
SIGNER = "Hoàng Văn Ký"
REVOKE_REASON = "Kê khai thành tích không trung thực"
GRANT_YEAR = YEAR - 1


def _awards(stack: Stack, path: str, body: Any) -> dict[str, Any]:
    """Awards learns of units and members from registration's events a moment after they are
    stored: a command naming one it does not know yet is tried again."""
    deadline = time.monotonic() + 30
    while True:
        r = httpx.post(stack.service("awards") + path, json=body, headers=stack.admin, timeout=30)
        if r.status_code in (200, 201):
            return r.json() if r.content else {}
        if time.monotonic() > deadline:
            raise AssertionError((path, r.status_code, r.text))
        time.sleep(0.3)


def seed_reports(stack: Stack) -> None:
    if stack.get("registration", f"{BASE}/units/{BLOCK}").status_code == 200:
        return  # the other module wrote it already
    founded = date(FIRST - 1, 1, 1).isoformat()
    for code, name in BLOCK_UNITS:
        stack.post(
            "registration",
            f"{BASE}/units",
            {
                "code": code,
                "name": name,
                "kind": "grassroots",
                "parent": "ldld-tp-bac-kan",
                "effective_on": founded,
            },
        )
    stack.post(
        "registration",
        f"{BASE}/units",
        {"code": BLOCK, "name": "Khối thi đua các doanh nghiệp", "kind": "block", "effective_on": founded},
    )
    units = [code for code, _ in BLOCK_UNITS]
    for year in range(FIRST, FIRST + 3):
        stack.post(
            "registration",
            f"{BASE}/covenants",
            {
                "block": BLOCK,
                "year": year,
                "units": units,
                "signed_on": date(year, 2, 20).isoformat(),
                "criteria": [{"name": "Thực hiện nhiệm vụ", "max_score": 100}],
            },
        )
    # each unit takes its turn: a, b, c
    flags = [
        {
            "subject_kind": "unit",
            "subject_code": units[i],
            "award": "co-thi-dua-ldld",
            "year": FIRST + i,
            "decision_number": f"{50 + i}/QĐ-LĐLĐ",
            "decision_date": date(FIRST + i, 12, 20).isoformat(),
            "authority": f"ldld:{FEDERATION}",
            "signer": SIGNER,
        }
        for i in range(3)
    ]
    people = [
        {
            "subject_kind": "member",
            "subject_code": code,
            "award": award,
            "year": GRANT_YEAR,
            "decision_number": DECISION,
            "decision_date": date(GRANT_YEAR, 12, 22).isoformat(),
            "authority": f"ldld:{FEDERATION}",
            "signer": SIGNER,
        }
        for code, award in (("dv-a1", "bang-khen-ldld"), ("dv-a1", "ldtt"), ("dv-b1", "bang-khen-ldld"))
    ]
    people.append({**people[0], "subject_kind": "unit", "subject_code": "cdcs-benh-vien"})
    _awards(stack, f"{BASE}/grants:import", {"grants": flags + people})
    deadline = time.monotonic() + 30
    while True:  # the grants list follows the store a moment later
        grants = stack.get("awards", f"{BASE}/grants", year=GRANT_YEAR, limit=1000).json()["items"]
        ldtt = [g for g in grants if g["subject_code"] == "dv-a1" and g["award"] == "ldtt"]
        if ldtt or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert ldtt, grants
    _awards(
        stack,
        f"{BASE}/grants/{ldtt[0]['grant_id']}:revoke",
        {"reason": REVOKE_REASON, "reference": "12/QĐ-LĐLĐ", "revoked_on": date(YEAR, 1, 15).isoformat()},
    )
    # initiatives of the last year against the city federation's target, and a plaqued work
    stack.post(
        "registration",
        f"{BASE}/targets",
        {"unit": "ldld-tp-bac-kan", "programme": "initiatives", "year": GRANT_YEAR, "target": 4},
    )
    for i, author in enumerate(("dv-a1", "dv-a2", "dv-b1")):
        stack.post(
            "registration",
            f"{BASE}/initiatives",
            {
                "code": f"sk-bao-cao-{i + 1}",
                "title": f"Sáng kiến số {i + 1}",
                "field": "quản lý",
                "author_kind": "member",
                "author_code": author,
                "year": GRANT_YEAR,
                "registered_on": date(GRANT_YEAR, 5, 20).isoformat(),
            },
        )
    stack.post(
        "registration",
        f"{BASE}/works",
        {
            "code": "ct-bao-cao-1",
            "name": "Nhà văn hoá công nhân",
            "unit": "ldld-tp-bac-kan",
            "value": 3_700_000_000,
            "occasion": "Đại hội Công đoàn tỉnh",
            "year": GRANT_YEAR,
            "registered_on": date(GRANT_YEAR, 3, 1).isoformat(),
        },
    )


def settled(stack: Stack, path: str, ready: Any, **params: Any) -> dict[str, Any]:
    """The report once reporting has projected what the test wrote (`ready(report)`). Until
    then the answer may be a problem too: a unit not projected yet is not found."""
    deadline = time.monotonic() + 30
    while True:
        answer = stack.get("reporting", path, **params)
        report: dict[str, Any] = answer.json()
        if (answer.status_code == 200 and ready(report)) or time.monotonic() > deadline:
            return report
        time.sleep(0.3)
