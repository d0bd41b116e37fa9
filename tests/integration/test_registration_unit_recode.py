"""Issue 18: a unit's code changes (`units/{code}:recode`) and the old code stays findable: the
unit goes on under the new code with its members and subunits from that day, the old code leads
to the new one, and the unit's history carries on through both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from services.registration.bootstrap import build_app, runtime
from services.reporting.bootstrap import build_app as reporting_app
from services.reporting.bootstrap import runtime as reporting_runtime
from shared.kernel import clock
from shared.kernel.settings import RegistrationSettings, ReportingSettings
from tests.integration.test_registration_merge import NATIONAL, codes, get, post
from tests.integration.test_reporting_reports import feed
from tests.support import Isolation, bearer, in_process

BK = "/v1/federations/bac-kan"
ON = "2025-07-01"
RECODE = {"code": "cdcs-a-2025", "effective_on": ON, "reason": "Đánh số lại theo Quyết định 12/QĐ-LĐLĐ"}


async def seed(http: httpx.AsyncClient) -> None:
    """Given the city's union tp with grassroots union cdcs-a (a trade-union group to-1 under it,
    member dv-1 in it) and cdcs-b, all since 2020."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    for code, kind, parent in (
        ("tp", "upper", None),
        ("cdcs-a", "grassroots", "tp"),
        ("cdcs-b", "grassroots", "tp"),
        ("to-1", "collective", "cdcs-a"),
    ):
        unit = {"code": code, "name": f"Đơn vị {code}", "kind": kind, "parent": parent}
        await post(http, BK + "/units", unit | {"effective_on": "2020-01-01"})
    await post(http, BK + "/members", {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"})


@pytest.fixture
async def http(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        await seed(client)
        yield client


async def test_a_recoded_unit_goes_on_under_its_new_code_naming_the_old_one(http: httpx.AsyncClient) -> None:
    # When cdcs-a's code changes to cdcs-a-2025 on 01/07/2025
    new = await post(http, BK + "/units/cdcs-a:recode", RECODE)
    # Then the unit under the new code has the same name and place, and names its old code
    assert (new["code"], new["name"], new["path"]) == ("cdcs-a-2025", "Đơn vị cdcs-a", "tp/cdcs-a-2025")
    assert new["former_codes"] == ["cdcs-a"]
    assert (await get(http, BK + "/units/cdcs-a-2025"))["former_codes"] == ["cdcs-a"]


async def test_the_old_code_still_answers_and_leads_to_the_new_one(http: httpx.AsyncClient) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    # When the old code is read
    old = await get(http, BK + "/units/cdcs-a")
    # Then it says when and to which code it changed
    assert (old["state"], old["recoded_to"], old["ended_on"]) == ("recoded", "cdcs-a-2025", ON)


async def test_a_search_by_the_old_code_finds_the_unit_under_its_new_code(http: httpx.AsyncClient) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    # When today's units are searched for the old code
    found = await codes(http, BK + "/units", q="cdcs-a")
    # Then the unit is found under its new code, and the old code is not in today's tree
    assert found == ["cdcs-a-2025"]


async def test_a_search_by_the_new_code_before_the_change_finds_the_unit_under_its_old_code(
    http: httpx.AsyncClient,
) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    # When the tree of a day before the change is searched for the new code
    found = await codes(http, BK + "/units", q="cdcs-a-2025", as_of="2025-06-30")
    # Then the unit is found under the code it had that day
    assert found == ["cdcs-a"]


@pytest.mark.parametrize(
    ("q", "as_of", "found"),
    [
        ("cdcs-a-2025", "2025-06-30", ["cdcs-a"]),  # the middle code, before it was taken
        ("cdcs-a-2025", "2025-10-01", ["cdcs-a-2026"]),  # the middle code, after it was left
        ("cdcs-a", "2025-08-01", ["cdcs-a-2025"]),
        ("cdcs-a-2026", "2025-06-30", ["cdcs-a"]),
    ],
)
async def test_any_code_of_a_unit_recoded_twice_finds_it_under_the_code_of_the_day(
    http: httpx.AsyncClient, q: str, as_of: str, found: list[str]
) -> None:
    # Given cdcs-a recoded to cdcs-a-2025 on 01/07/2025, then to cdcs-a-2026 on 01/09/2025
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    again = {"code": "cdcs-a-2026", "effective_on": "2025-09-01", "reason": "Đánh số lại lần hai"}
    await post(http, BK + "/units/cdcs-a-2025:recode", again)
    # When the tree of a day is searched for one of its codes, then the unit is found as it was coded that day
    assert await codes(http, BK + "/units", q=q, as_of=as_of) == found


async def test_a_recoded_units_members_are_in_the_new_code_from_its_date_and_not_before(
    http: httpx.AsyncClient,
) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    # When the members are listed after and before the change
    after = (await get(http, BK + "/members", as_of=ON))["items"]
    before = (await get(http, BK + "/members", as_of="2025-06-30"))["items"]
    # Then dv-1 is in cdcs-a-2025 from the change's date, in cdcs-a before it
    assert [(m["code"], m["unit"]) for m in after] == [("dv-1", "cdcs-a-2025")]
    assert [(m["code"], m["unit"]) for m in before] == [("dv-1", "cdcs-a")]


async def test_a_recoded_units_subunit_sits_under_the_new_code(http: httpx.AsyncClient) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    # When the subunit is read
    sub = await get(http, BK + "/units/to-1")
    # Then it sits under the unit's new code
    assert (sub["parent"], sub["path"]) == ("cdcs-a-2025", "tp/cdcs-a-2025/to-1")
    assert await codes(http, BK + "/units", parent="cdcs-a-2025") == ["to-1"]


async def test_a_member_registered_to_the_old_code_is_refused_naming_the_new_one(
    http: httpx.AsyncClient,
) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE | {"effective_on": "2024-01-01"})
    # When a member is registered into the old code
    body = {"code": "dv-2", "full_name": "Lê Thị Bình", "unit": "cdcs-a"}
    r = await http.post(BK + "/members", json=body, headers=NATIONAL)
    # Then the answer names the field and the code to use
    assert r.status_code in (409, 422), r.text
    assert [e["field"] for e in r.json()["errors"]] == ["unit"]
    assert "cdcs-a-2025" in r.json()["errors"][0]["message"]


async def test_a_recode_to_a_code_in_use_is_refused_naming_code_and_changes_nothing(
    http: httpx.AsyncClient,
) -> None:
    # When cdcs-a is recoded to cdcs-b's code
    r = await http.post(BK + "/units/cdcs-a:recode", json=RECODE | {"code": "cdcs-b"}, headers=NATIONAL)
    # Then it is refused naming `code`, and cdcs-a is unchanged
    assert r.status_code == 409, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["code"]
    assert (await get(http, BK + "/units/cdcs-a"))["state"] == "active"


async def test_a_recode_without_a_reason_is_refused_naming_reason(http: httpx.AsyncClient) -> None:
    body = {"code": "cdcs-a-2025", "effective_on": ON}
    r = await http.post(BK + "/units/cdcs-a:recode", json=body, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["reason"]
    assert (await get(http, BK + "/units/cdcs-a"))["state"] == "active"


async def test_a_clerk_scoped_to_the_unit_itself_cannot_recode_it_out_of_their_subtree(
    http: httpx.AsyncClient,
) -> None:
    clerk = bearer("bac-kan/tp/cdcs-b", ["admin"])
    r = await http.post(BK + "/units/cdcs-b:recode", json=RECODE | {"code": "cdcs-b-2025"}, headers=clerk)
    assert r.status_code in (403, 404), r.text
    assert (await get(http, BK + "/units/cdcs-b"))["state"] == "active"


async def test_a_recode_dated_before_a_subunit_came_under_the_unit_is_refused_naming_effective_on(
    http: httpx.AsyncClient,
) -> None:
    # Given a union group placed under cdcs-a on 01/09/2025
    group = {
        "code": "to-2",
        "name": "Tổ 2",
        "kind": "collective",
        "parent": "cdcs-a",
        "effective_on": "2025-09-01",
    }
    await post(http, BK + "/units", group)
    # When the code change is dated 01/07/2025
    r = await http.post(BK + "/units/cdcs-a:recode", json=RECODE, headers=NATIONAL)
    # Then it is refused naming the date and the subunit, and nothing changed
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["effective_on"]
    assert "to-2" in r.json()["errors"][0]["message"]
    assert (await get(http, BK + "/units/cdcs-a"))["state"] == "active"


async def test_a_unit_clerk_of_another_unit_cannot_recode_it(http: httpx.AsyncClient) -> None:
    clerk = bearer("bac-kan/tp/cdcs-b", ["admin"])
    r = await http.post(BK + "/units/cdcs-a:recode", json=RECODE, headers=clerk)
    assert r.status_code in (403, 404), r.text
    assert (await get(http, BK + "/units/cdcs-a"))["state"] == "active"


async def test_the_units_history_in_reporting_carries_on_through_its_old_code(
    isolation: Isolation, http: httpx.AsyncClient
) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    # When reporting has projected registration's events
    rt = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, reporting_app) as reporting:
        page = (await http.get("/v1/events?limit=500", headers=bearer("*", ["reader"]))).json()
        await feed(rt, page["events"])
        # Then the new code's history holds the old code's registration and the change
        lines = (await get(reporting, BK + "/history/unit/cdcs-a-2025"))["entries"]
        whats = [(line["what"], line["subject_code"]) for line in lines]
        assert ("unit-registered", "cdcs-a") in whats
        assert ("unit-recoded", "cdcs-a") in whats
        assert ("unit-registered", "cdcs-a-2025") in whats


async def test_the_tree_report_after_the_change_counts_the_unit_once_under_its_new_code(
    isolation: Isolation, http: httpx.AsyncClient
) -> None:
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    rt = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, reporting_app) as reporting:
        page = (await http.get("/v1/events?limit=500", headers=bearer("*", ["reader"]))).json()
        await feed(rt, page["events"])
        # When the tree is reported after and before the change
        after = await get(reporting, BK + "/reports/tree", as_of=ON)
        before = await get(reporting, BK + "/reports/tree", as_of="2025-06-30")
        grassroots = {u["code"] for u in after["units"] if u["kind"] == "grassroots"}
        # Then after it cdcs-a-2025 stands where cdcs-a stood before it
        assert grassroots == {"cdcs-a-2025", "cdcs-b"}
        assert {u["code"] for u in before["units"] if u["kind"] == "grassroots"} == {"cdcs-a", "cdcs-b"}


async def test_the_tree_report_after_the_change_counts_the_workers_counted_under_the_old_code(
    isolation: Isolation, http: httpx.AsyncClient
) -> None:
    # Given cdcs-a counted 40 workers, 38 of them members, at the end of 2024
    count = {"unit": "cdcs-a", "counted_on": "2024-12-31", "workers": 40, "members": 38}
    await post(http, BK + "/headcounts", {"headcounts": [count]})
    await post(http, BK + "/units/cdcs-a:recode", RECODE)
    rt = reporting_runtime(isolation.settings(ReportingSettings), frozenset({"api"}))
    async with in_process(rt, reporting_app) as reporting:
        page = (await http.get("/v1/events?limit=500", headers=bearer("*", ["reader"]))).json()
        await feed(rt, page["events"])
        # When the tree is reported after the change
        after = await get(reporting, BK + "/reports/tree", as_of=ON)
        # Then the unit under its new code has the count made under its old one
        unit = next(u for u in after["units"] if u["code"] == "cdcs-a-2025")
        assert (unit["workers"], unit["members"]) == (40, 38), unit


async def test_a_recode_dated_in_the_future_is_refused_naming_effective_on(http: httpx.AsyncClient) -> None:
    body = RECODE | {"effective_on": (clock.today() + timedelta(days=30)).isoformat()}
    r = await http.post(BK + "/units/cdcs-a:recode", json=body, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["effective_on"]
    assert "today or on an earlier day" in r.json()["errors"][0]["message"]
    assert (await get(http, BK + "/units/cdcs-a"))["state"] == "active"
