"""Issue 18, nobody stranded, from any date: a placement has no end of its own, so nobody and no
unit is placed in a unit that has ended (dissolved, merged or recoded), even from a day before it
ended; the refusal names the field and where to go instead, and nothing changes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.integration.test_registration_unit_recode import BK, seed
from tests.support import Isolation, in_process

ENDED = "2025-07-01"
BEFORE = "2025-06-01"


@pytest.fixture
async def http(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """Given the city's union tp with cdcs-a (trade-union group to-1 under it, member dv-1 in it)
    and the empty cdcs-b, all since 2020."""
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        await seed(client)
        yield client


async def refused(http: httpx.AsyncClient, path: str, body: dict, field: str) -> str:
    """The request is refused with 422 naming `field` alone; its message."""
    r = await http.post(BK + path, json=body, headers=NATIONAL)
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert error["field"] == field
    return str(error["message"])


async def test_a_member_is_not_transferred_into_a_dissolved_unit_from_a_day_before(
    http: httpx.AsyncClient,
) -> None:
    # Given cdcs-b dissolved on 01/07/2025
    await post(http, BK + "/units/cdcs-b:dissolve", {"effective_on": ENDED}, status=200)
    # When dv-1 is transferred to it from 01/06/2025
    body = {"unit": "cdcs-b", "effective_on": BEFORE}
    message = await refused(http, "/members/dv-1:transfer", body, "unit")
    # Then it is refused, saying the unit ended then, and dv-1 stays in cdcs-a
    assert f"was dissolved on {ENDED}" in message
    assert (await get(http, BK + "/members/dv-1"))["unit"] == "cdcs-a"


async def test_a_member_is_not_transferred_into_a_recoded_unit_from_a_day_before(
    http: httpx.AsyncClient,
) -> None:
    # Given cdcs-b recoded to cdcs-b-2025 on 01/07/2025
    recode = {"code": "cdcs-b-2025", "effective_on": ENDED, "reason": "Đánh số lại"}
    await post(http, BK + "/units/cdcs-b:recode", recode)
    # When dv-1 is transferred to cdcs-b from 01/06/2025
    body = {"unit": "cdcs-b", "effective_on": BEFORE}
    message = await refused(http, "/members/dv-1:transfer", body, "unit")
    # Then it is refused naming the new code
    assert "has had the code 'cdcs-b-2025'" in message
    assert (await get(http, BK + "/members/dv-1"))["unit"] == "cdcs-a"


async def test_a_unit_is_not_registered_under_a_dissolved_unit_from_a_day_before(
    http: httpx.AsyncClient,
) -> None:
    # Given cdcs-b dissolved on 01/07/2025
    await post(http, BK + "/units/cdcs-b:dissolve", {"effective_on": ENDED}, status=200)
    # When a trade-union group is registered under it from 01/06/2025
    unit = {"code": "to-9", "name": "Tổ 9", "kind": "collective", "parent": "cdcs-b", "effective_on": BEFORE}
    message = await refused(http, "/units", unit, "parent")
    # Then it is refused, and no such unit exists
    assert f"was dissolved on {ENDED}" in message
    assert (await http.get(BK + "/units/to-9", headers=NATIONAL)).status_code == 404


async def test_a_unit_list_refuses_the_row_under_a_dissolved_unit(http: httpx.AsyncClient) -> None:
    # Given cdcs-b dissolved on 01/07/2025
    await post(http, BK + "/units/cdcs-b:dissolve", {"effective_on": ENDED}, status=200)
    # When a list registers one group under cdcs-a and one under cdcs-b, both from 01/06/2025
    rows = [
        {"code": f"to-{n}", "name": f"Tổ {n}", "kind": "collective", "parent": parent, "effective_on": BEFORE}
        for n, parent in ((8, "cdcs-a"), (9, "cdcs-b"))
    ]
    r = await http.post(BK + "/units:batch?mode=keep-good-rows", json=rows, headers=NATIONAL)
    # Then the first is stored and the second refused naming its parent
    assert r.status_code == 201, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["accepted", "rejected"]
    assert [(e["row"], e["field"]) for e in results[1]["errors"]] == [(2, "parent")]


async def test_a_unit_is_not_moved_under_a_merged_unit_from_a_day_before(http: httpx.AsyncClient) -> None:
    # Given cdcs-b merged into cdcs-a on 01/07/2025
    await post(http, BK + "/units/cdcs-b:merge", {"into": "cdcs-a", "effective_on": ENDED}, status=200)
    # When to-1 is moved under cdcs-b from 01/06/2025
    body = {"to_parent": "cdcs-b", "effective_on": BEFORE}
    message = await refused(http, "/units/to-1:move", body, "to_parent")
    # Then it is refused naming the unit that took over, and to-1 stays under cdcs-a
    assert f"was merged on {ENDED} into 'cdcs-a'" in message
    assert (await get(http, BK + "/units/to-1"))["parent"] == "cdcs-a"


async def test_a_unit_is_not_merged_into_a_unit_dissolved_after_the_merge(http: httpx.AsyncClient) -> None:
    # Given cdcs-b dissolved on 01/07/2025
    await post(http, BK + "/units/cdcs-b:dissolve", {"effective_on": ENDED}, status=200)
    # When cdcs-a (with dv-1 in it) is merged into cdcs-b from 01/06/2025
    message = await refused(http, "/units/cdcs-a:merge", {"into": "cdcs-b", "effective_on": BEFORE}, "into")
    # Then it is refused, and cdcs-a and dv-1 are as they were
    assert f"was dissolved on {ENDED}" in message
    assert (await get(http, BK + "/units/cdcs-a"))["state"] == "active"
    assert (await get(http, BK + "/members/dv-1"))["unit"] == "cdcs-a"
