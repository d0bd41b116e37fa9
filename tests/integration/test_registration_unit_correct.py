"""Issue 18: a unit's details corrected with a reason (`units/{code}:correct`): a `unit-corrected`
event with who, when and why, followed by the unit, the tree's lists and the unit's pledges; bad
input answers the problem format naming the field and changes nothing. A unit's code is its
aggregate's id: it cannot be corrected here (a body naming `code` is refused, the unit unchanged)."""

from __future__ import annotations

from typing import Any

import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, in_process

BK = "/v1/federations/bac-kan"
FIX = BK + "/units/cdcs-a:correct"


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def seed(http: httpx.AsyncClient) -> dict[str, Any]:
    """Given unit cdcs-a, registered with a misspelt name, and its subunit to-1."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    unit = {"code": "cdcs-a", "name": "CDCS Truong A", "kind": "grassroots", "effective_on": "2020-01-01"}
    done = dict(await post(http, BK + "/units", unit))
    child = {"code": "to-1", "name": "Tổ 1", "kind": "collective", "parent": "cdcs-a"}
    await post(http, BK + "/units", child | {"effective_on": "2020-01-01"})
    return done


async def refused(http: httpx.AsyncClient, body: dict[str, Any], field: str) -> None:
    """The correction is answered 422 in the problem format naming `field`; cdcs-a is as it was."""
    before = await get(http, BK + "/units/cdcs-a")
    r = await http.post(FIX, json=body, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"].split(".")[-1] for e in r.json()["errors"]], r.text
    assert await get(http, BK + "/units/cdcs-a") == before


async def test_a_name_correction_is_stored_and_published_with_who_when_and_why(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When cdcs-a's name is corrected, with a reason
        body = {"name": "CĐCS Trường A", "reason": "tên đơn vị ghi thiếu dấu"}
        done = await post(http, FIX, body, status=200)
        # Then the unit has the corrected name, its code and place as they were
        assert (done["code"], done["name"], done["kind"], done["path"]) == (
            "cdcs-a",
            "CĐCS Trường A",
            "grassroots",
            "cdcs-a",
        )
        # And the unit's events end with the correction: who, when and why
        last = (await get(http, BK + "/events", limit=1000))["events"][-1]
        assert last["type"] == "tdkt.registration.unit-corrected.v1"
        assert last["actor"] == "tester" and last["time"]
        assert (last["data"]["code"], last["data"]["name"]) == ("cdcs-a", "CĐCS Trường A")
        assert last["data"]["reason"] == body["reason"]


async def test_a_name_correction_is_followed_by_the_tree_and_the_unit(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When cdcs-a's name is corrected
        await post(http, FIX, {"name": "CĐCS Trường A", "reason": "thiếu dấu"}, status=200)
        # Then the tree's list, its children's parent and the unit itself read the new name
        units = {u["code"]: u for u in (await get(http, BK + "/units"))["items"]}
        assert units["cdcs-a"]["name"] == "CĐCS Trường A"
        assert units["to-1"]["path"] == "cdcs-a/to-1"
        assert (await get(http, BK + "/units/cdcs-a"))["name"] == "CĐCS Trường A"


async def test_a_name_correction_is_followed_by_the_search_without_diacritics(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When cdcs-a's name is corrected to "CĐCS Trường Đà"
        await post(http, FIX, {"name": "CĐCS Trường Đà", "reason": "tên sai"}, status=200)
        # Then the units' search finds it by the new name typed without diacritics, and only it
        found = await get(http, BK + "/units", q="Truong Da")
        assert [(u["code"], u["name"]) for u in found["items"]] == [("cdcs-a", "CĐCS Trường Đà")]
        # And no longer by the old name
        assert (await get(http, BK + "/units", q="Truong A"))["items"] == []


async def test_an_empty_name_is_refused_naming_the_field(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When the name given is empty; Then it is refused and nothing changes
        await refused(http, {"name": "", "reason": "tên sai"}, "name")


async def test_a_correction_without_a_reason_is_refused_naming_the_field(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When a correction names no reason; Then it is refused and nothing changes
        await refused(http, {"name": "CĐCS Trường A"}, "reason")


async def test_a_correction_that_corrects_nothing_is_refused(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When the name given is the one stored; Then it is refused and nothing changes
        await refused(http, {"name": "CDCS Truong A", "reason": "không đổi"}, "name")


async def test_a_code_in_the_body_is_refused_naming_the_field(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When a correction gives a new code (the unit's id: not correctable); Then it is refused
        await refused(http, {"name": "CĐCS Trường A", "code": "cdcs-truong-a", "reason": "mã sai"}, "code")
        # And the new code names no unit
        r = await http.get(BK + "/units/cdcs-truong-a", headers=NATIONAL)
        assert r.status_code == 404
