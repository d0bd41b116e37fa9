"""Issue 18: a member's details (full name, birth year, gender, position) corrected with a reason:
a `member-corrected` event with who, when and why, followed by the lists and search; bad input
answers the problem format naming the field and changes nothing."""

from __future__ import annotations

from typing import Any

import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, in_process

BK = "/v1/federations/bac-kan"
FIX = BK + "/members/dv-1:correct"


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def seed(http: httpx.AsyncClient) -> dict[str, Any]:
    """Given member dv-1, registered with a misspelt name and a wrong birth year."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    unit = {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "effective_on": "2020-01-01"}
    await post(http, BK + "/units", unit)
    member = {"code": "dv-1", "full_name": "Nguyen Vn Anh", "unit": "cdcs-a", "birth_year": 1958}
    return dict(await post(http, BK + "/members", member | {"gender": "male", "position": "Giáo viên"}))


async def refused(http: httpx.AsyncClient, body: dict[str, Any], field: str) -> None:
    """The correction is answered 422 in the problem format naming `field`, and dv-1 is as it was."""
    before = await get(http, BK + "/members/dv-1")
    r = await http.post(FIX, json=body, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"].split(".")[-1] for e in r.json()["errors"]], r.text
    assert await get(http, BK + "/members/dv-1") == before


async def test_a_birth_year_correction_is_stored_and_published_with_who_when_and_why(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When dv-1's birth year is corrected, with a reason
        body = {"birth_year": 1985, "reason": "năm sinh nhập sai so với CCCD"}
        done = await post(http, FIX, body, status=200)
        # Then the member has the corrected birth year and the rest as it was
        assert (done["birth_year"], done["full_name"], done["gender"]) == (1985, "Nguyen Vn Anh", "male")
        # And the member's events end with the correction: who, when, why and what was corrected
        last = (await get(http, BK + "/events", limit=1000))["events"][-1]
        assert last["type"] == "tdkt.registration.member-corrected.v1"
        assert last["actor"] == "tester" and last["time"]
        assert last["data"]["reason"] == body["reason"]
        assert (last["data"]["birth_year"], last["data"]["corrected"]) == (1985, ["birth_year"])


async def test_a_name_and_position_correction_is_followed_by_the_members_search(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When dv-1's name and position are corrected together
        body = {"full_name": "Nguyễn Văn Anh", "position": "Hiệu trưởng", "reason": "tên và chức vụ sai"}
        done = await post(http, FIX, body, status=200)
        # Then the member holds both, and the search finds the new name without diacritics
        assert (done["full_name"], done["position"]) == ("Nguyễn Văn Anh", "Hiệu trưởng")
        found = await get(http, BK + "/members", q="Nguyen Van Anh")
        assert [(m["code"], m["full_name"]) for m in found["items"]] == [("dv-1", "Nguyễn Văn Anh")]


async def test_a_birth_year_in_the_future_is_refused_naming_the_field(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When the birth year given is after this year; Then it is refused and nothing changes
        await refused(http, {"birth_year": 2099, "reason": "năm sinh sai"}, "birth_year")


async def test_an_empty_name_is_refused_naming_the_field(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When the name given is empty; Then it is refused and nothing changes
        await refused(http, {"full_name": "", "reason": "tên sai"}, "full_name")


async def test_a_correction_without_a_reason_is_refused_naming_the_field(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When a correction names no reason; Then it is refused and nothing changes
        await refused(http, {"birth_year": 1985}, "reason")


async def test_a_correction_that_corrects_nothing_is_refused(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When a correction gives no detail, or only the details as stored; Then it is refused
        await refused(http, {"reason": "không rõ"}, "full_name")
        await refused(http, {"birth_year": 1958, "reason": "không đổi"}, "birth_year")
