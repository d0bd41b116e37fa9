"""Issue 18: units record their workers and members over time (`unit-headcount-recorded`); a list
of rows is all or nothing, each bad row named; figures already recorded for a day change only
with a reason; a unit-scoped clerk records only inside its subtree."""

from __future__ import annotations

from typing import Any

import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, bearer, in_process

BK = "/v1/federations/bac-kan"
COUNT = BK + "/headcounts"


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def seed(http: httpx.AsyncClient) -> None:
    """Given units cdcs-a and cdcs-b under ldld-tp, in the tree since 2020."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    top = {"code": "ldld-tp", "name": "LĐLĐ TP", "kind": "upper", "effective_on": "2020-01-01"}
    await post(http, BK + "/units", top)
    for code in ("cdcs-a", "cdcs-b"):
        unit = {"code": code, "name": code.upper(), "kind": "grassroots", "parent": "ldld-tp"}
        await post(http, BK + "/units", unit | {"effective_on": "2020-01-01"})


def row(unit: str, on: str, workers: int, members: int) -> dict[str, Any]:
    return {"unit": unit, "counted_on": on, "workers": workers, "members": members}


async def test_headcounts_are_recorded_by_day_and_published(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        rows = [row("cdcs-a", "2022-12-31", 24, 23), row("cdcs-a", "2023-12-31", 26, 25)]
        rows.append(row("cdcs-b", "2023-12-31", 10, 9))
        done = await post(http, COUNT, {"headcounts": rows})
        assert done == {"recorded": 3, "units": 2}
        counts = (await get(http, BK + "/units/cdcs-a/headcounts"))["counts"]
        assert counts == [
            {"counted_on": "2022-12-31", "workers": 24, "members": 23},
            {"counted_on": "2023-12-31", "workers": 26, "members": 25},
        ]
        events = (await get(http, BK + "/events", limit=1000))["events"]
        published = [e["data"] for e in events if e["type"] == "tdkt.registration.unit-headcount-recorded.v1"]
        assert [(d["unit"], d["counted_on"], d["workers"], d["members"]) for d in published][-1] == (
            "cdcs-b",
            "2023-12-31",
            10,
            9,
        )
        assert published[-1]["unit_path"] == ["ldld-tp", "cdcs-b"]


async def test_a_list_with_bad_rows_records_nothing_and_names_each_row(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        rows = [
            row("cdcs-a", "2023-12-31", 26, 25),
            row("cdcs-a", "2023-06-30", 10, 11),  # more members than workers
            row("cdcs-zz", "2023-12-31", 5, 5),  # no such unit
            row("cdcs-b", "2019-12-31", 5, 5),  # before the unit was in the tree
        ]
        r = await http.post(COUNT, json={"headcounts": rows}, headers=NATIONAL)
        assert r.status_code == 422, r.text
        named = sorted(e["field"] for e in r.json()["errors"])
        assert named == ["headcounts.1.members", "headcounts.2.unit", "headcounts.3.unit"]
        assert (await get(http, BK + "/units/cdcs-a/headcounts"))["counts"] == []


async def test_new_figures_for_a_day_already_counted_need_a_reason(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        await post(http, COUNT, {"headcounts": [row("cdcs-a", "2023-12-31", 26, 25)]})
        again = {"headcounts": [row("cdcs-a", "2023-12-31", 27, 25)]}
        r = await http.post(COUNT, json=again, headers=NATIONAL)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"].endswith("headcounts.0.reason")
        fixed = {"headcounts": [row("cdcs-a", "2023-12-31", 27, 25)], "reason": "đếm thiếu một người"}
        assert (await post(http, COUNT, fixed))["recorded"] == 1
        assert (await get(http, BK + "/units/cdcs-a/headcounts"))["counts"][0]["workers"] == 27


async def test_a_unit_clerk_records_only_inside_its_subtree(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        clerk = bearer("bac-kan/ldld-tp/cdcs-a", ["clerk"])
        own, theirs = row("cdcs-a", "2023-12-31", 26, 25), row("cdcs-b", "2023-12-31", 9, 9)
        mine = await http.post(COUNT, json={"headcounts": [own]}, headers=clerk)
        other = await http.post(COUNT, json={"headcounts": [theirs]}, headers=clerk)
        assert mine.status_code == 201, mine.text
        assert other.status_code == 422 and other.json()["errors"][0]["field"].endswith("headcounts.0.unit")
        assert (await get(http, BK + "/units/cdcs-b/headcounts"))["counts"] == []
