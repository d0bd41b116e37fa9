"""Issue 18: an initiative's and a dedicated work's details corrected with a reason: an
`initiative-corrected` / `work-corrected` event with who, when and why, followed by registration's
lists; bad input answers the problem format naming the field and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, bearer, eventually, in_process

BK = "/v1/federations/bac-kan"


async def seed(http: httpx.AsyncClient) -> None:
    """Given initiative sk-1 with a misspelt title and work ct-1 with a wrong value."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    unit = {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "effective_on": "2020-01-01"}
    await post(http, BK + "/units", unit)
    initiative = {"code": "sk-1", "title": "Phan mem ho so", "field": "CNTT", "benefit_value": 10}
    initiative |= {
        "author_kind": "unit",
        "author_code": "cdcs-a",
        "year": 2023,
        "registered_on": "2023-03-01",
    }
    await post(http, BK + "/initiatives", initiative)
    work = {"code": "ct-1", "name": "Nhà văn hoá", "unit": "cdcs-a", "value": 1, "occasion": "Đại hội XII"}
    await post(http, BK + "/works", work | {"year": 2023, "registered_on": "2023-03-01"})


async def refused(http: httpx.AsyncClient, path: str, body: dict[str, Any], field: str, **h: str) -> None:
    code = path.rsplit("/", 1)[1].split(":")[0]
    before = await get(http, path.split(":")[0].rsplit("/", 1)[0] + "/" + code)
    r = await http.post(path, json=body, headers={**NATIONAL, **h})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]], r.text
    assert await get(http, path.split(":")[0].rsplit("/", 1)[0] + "/" + code) == before


async def test_given_a_misspelt_initiative_when_corrected_with_a_reason_then_it_and_the_list_say_so(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        fix = BK + "/initiatives/sk-1:correct"
        await refused(http, fix, {"title": "Phần mềm hồ sơ"}, "reason")
        await refused(http, fix, {"reason": "sai"}, "title")
        await refused(http, fix, {"title": "Phan mem ho so", "reason": "sai"}, "title")
        await refused(http, fix, {"title": None, "reason": "sai"}, "title")
        await refused(http, fix, {"benefit_value": -1, "reason": "sai"}, "benefit_value")
        r = await http.post(
            fix,
            json={"title": "Phần mềm hồ sơ", "benefit_value": 95},
            headers={**NATIONAL, "X-Reason": "typo"},
        )
        assert r.status_code == 200, r.text
        assert (r.json()["title"], r.json()["benefit_value"], r.json()["field"]) == (
            "Phần mềm hồ sơ",
            95,
            "CNTT",
        )
        feed = await get(http, BK + "/events", limit=100)
        event = next(e for e in feed["events"] if e["type"] == "tdkt.registration.initiative-corrected.v1")
        assert (
            event["data"]["corrected"] == ["title", "benefit_value"] and event["data"]["reason"] == "typo"
        )
        assert event["data"]["author_code"] == "cdcs-a" and event["actor"] == "tester"

        async def listed() -> None:
            items = (await get(http, BK + "/initiatives"))["items"]
            assert [(i["title"], i["benefit_value"]) for i in items] == [("Phần mềm hồ sơ", 95)]

        await eventually(listed)


async def test_given_a_work_of_the_wrong_value_when_corrected_then_the_event_names_the_value(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        fix = BK + "/works/ct-1:correct"
        await refused(http, fix, {"value": 1, "reason": "sai"}, "value")
        await refused(http, fix, {"reason": "sai"}, "name")
        r = await http.post(fix, json={"value": 1250000000, "reason": "giá trị quyết toán"}, headers=NATIONAL)
        assert r.status_code == 200, r.text
        assert (r.json()["name"], r.json()["value"]) == ("Nhà văn hoá", 1250000000)
        feed = await get(http, BK + "/events", limit=100)
        event = next(e for e in feed["events"] if e["type"] == "tdkt.registration.work-corrected.v1")
        assert event["data"]["corrected"] == ["value"] and event["data"]["reason"] == "giá trị quyết toán"

        async def listed() -> None:
            items = (await get(http, BK + "/works"))["items"]
            assert [i["value"] for i in items] == [1250000000]

        await eventually(listed)


async def test_given_a_recognised_initiative_when_a_clerk_corrects_its_value_then_the_councils_value_stays(
    isolation: Isolation,
) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        await seed(http)
        decision = {"on": "2023-11-20", "council_of": "cdcs-a", "benefit_value": 80}
        await post(http, BK + "/initiatives/sk-1:recognise", decision, status=200)
        fix = BK + "/initiatives/sk-1:correct"
        clerk = bearer("bac-kan", ["clerk"])
        body = {"benefit_value": 800, "reason": "gõ thiếu số 0"}
        r = await http.post(fix, json=body, headers=clerk)
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["benefit_value"]
        assert (await get(http, BK + "/initiatives/sk-1"))["benefit_value"] == 80
        # its title is still the clerk's to correct; its value, staff's who may also recognise it
        r = await http.post(fix, json={"title": "Phần mềm hồ sơ", "reason": "sai chính tả"}, headers=clerk)
        assert r.status_code == 200, r.text
        r = await http.post(fix, json=body, headers=bearer("bac-kan", ["admin"]))
        assert r.status_code == 200 and r.json()["benefit_value"] == 800, r.text
