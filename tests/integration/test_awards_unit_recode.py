"""Issue 18, a unit's code changes: awards judges the unit under its new code on what it earned
under the old one (registration's `former_codes`), and the old code takes no new nomination."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.awards.bootstrap import build_app, parts_of, runtime
from shared.kernel.settings import AwardsSettings
from tests.integration.awards_http import ADMIN, URL, XLSX, ok, registration, seed, sheet
from tests.support import Isolation, in_process

HCLD3_2019 = [["unit", "cdcs-a", "huan-chuong-lao-dong-3", 2019, "1010/QĐ-CTN", "2019-08-20", "president"]]


def recoded() -> list[dict[str, Any]]:
    """cdcs-a's code changed to cdcs-a-2025 on 01/07/2025, as registration publishes it."""
    return [
        registration(
            "unit-registered",
            {"code": "cdcs-a-2025", "name": "CĐCS A", "kind": "grassroots", "parent": "tp"}
            | {"ancestry": ["tp", "cdcs-a-2025"], "effective_on": "2025-07-01", "former_codes": ["cdcs-a"]},
        ),
        registration(
            "unit-recoded",
            {
                "code": "cdcs-a",
                "to_code": "cdcs-a-2025",
                "effective_on": "2025-07-01",
                "reason": "Đánh số lại",
            },
            version=2,
        ),
    ]


@pytest.fixture
async def http(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given awards knowing tp and cdcs-a, and cdcs-a's Huân chương Lao động hạng Ba of 2019."""
    rt = runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        facts = parts_of(rt).facts
        await seed(facts, rt.db)
        headers = {**ADMIN, "content-type": XLSX}
        await ok(await client.post(f"{URL}/grants:import", content=sheet(HCLD3_2019), headers=headers))
        async with rt.db.acquire() as conn, conn.transaction():
            for envelope in recoded():
                await facts.handle(conn, envelope)
        yield client


async def verdict(http: httpx.AsyncClient, code: str) -> dict[str, Any]:
    query = f"subject_kind=unit&subject_code={code}&award=huan-chuong-lao-dong-2&year=2025&on=2025-12-01"
    return await ok(await http.get(f"{URL}/eligibility?{query}", headers=ADMIN), 200)  # type: ignore[no-any-return]


async def test_a_recoded_unit_holds_what_it_was_granted_under_its_old_code(http: httpx.AsyncClient) -> None:
    # When the unit under its new code is judged for the second class
    found = await verdict(http, "cdcs-a-2025")
    # Then the 2019 third class granted to cdcs-a counts as its own
    clause = next(c for c in found["clauses"] if c["clause"] == "holds-huan-chuong-lao-dong-3")
    assert clause["passed"] is True, clause


async def test_a_unit_that_never_had_the_old_code_does_not_hold_its_grants(http: httpx.AsyncClient) -> None:
    # When cdcs-b, never cdcs-a, is judged for the second class
    found = await verdict(http, "cdcs-b")
    # Then it does not hold the third class
    clause = next(c for c in found["clauses"] if c["clause"] == "holds-huan-chuong-lao-dong-3")
    assert clause["passed"] is False, clause


async def test_a_recoded_units_record_shows_what_was_granted_under_its_old_code(
    http: httpx.AsyncClient,
) -> None:
    # When the unit's record is read under its new code
    record = await ok(await http.get(f"{URL}/records/unit/cdcs-a-2025", headers=ADMIN), 200)
    # Then the 2019 third class is in it, saying which code it was granted under
    held = [(g["award"], g["year"], g["recorded_under"]) for g in record["grants"]]
    assert held == [("huan-chuong-lao-dong-3", 2019, {"federation": "bac-kan", "code": "cdcs-a"})]
