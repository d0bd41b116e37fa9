"""Issue 18: a movement amended while open — its deadline, phases, name or awards — with a reason:
`movement-amended` holds what changed and why, the movement and its list follow, pledges already
made stay; a closed movement is not amended, and a phase that pledges name is not removed."""

from __future__ import annotations

from typing import Any

import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, bearer, in_process

BK = "/v1/federations/bac-kan"
PHASES = [
    {"name": "Đợt 1", "starts": "2023-01-01", "ends": "2023-03-31"},
    {"name": "Đợt 2", "starts": "2023-04-01", "ends": "2023-12-31"},
]
PLEDGE = {"movement": "td-2023", "award": "bang-khen-ldld", "subject_kind": "member"}


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def seed(http: httpx.AsyncClient) -> None:
    """Given td-2023 (deadline 31/03/2023, two phases) and dv-1, dv-2 of cdcs-a; dv-1 pledged in Đợt 1."""
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    unit = {"code": "cdcs-a", "name": "CĐCS A", "kind": "grassroots", "effective_on": "2020-01-01"}
    await post(http, BK + "/units", unit)
    for code in ("dv-1", "dv-2"):
        await post(http, BK + "/members", {"code": code, "full_name": "Nguyễn Văn An", "unit": "cdcs-a"})
    movement = {"code": "td-2023", "name": "TĐ 2023", "year": 2023, "awards": ["bang-khen-ldld"]}
    await post(http, BK + "/movements", movement | {"registration_deadline": "2023-03-31", "phases": PHASES})
    await post(
        http, BK + "/pledges", PLEDGE | {"subject_code": "dv-1", "pledged_on": "2023-02-01", "phase": "Đợt 1"}
    )


async def amend(http: httpx.AsyncClient, body: dict[str, Any], status: int = 200) -> Any:
    r = await http.post(BK + "/movements/td-2023:amend", json=body, headers=NATIONAL)
    assert r.status_code == status, r.text
    return r.json()


async def test_a_deadline_moved_later_with_a_reason_is_stored_published_listed_and_admits_a_later_pledge(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        late = PLEDGE | {"subject_code": "dv-2", "pledged_on": "2023-04-15"}
        r = await http.post(BK + "/pledges", json=late, headers=NATIONAL)
        assert r.status_code == 422 and "pledged_on" in r.text  # after the deadline as launched
        # When the deadline is moved to 30/04/2023, with the reason
        done = await amend(http, {"registration_deadline": "2023-04-30", "reason": "gia hạn đăng ký"})
        # Then the movement holds it, its list shows it, and it is published with what changed and why
        assert done["registration_deadline"] == "2023-04-30"
        assert (await get(http, BK + "/movements/td-2023"))["registration_deadline"] == "2023-04-30"
        listed = (await get(http, BK + "/movements"))["items"]
        assert [(m["code"], m["registration_deadline"]) for m in listed] == [("td-2023", "2023-04-30")]
        last = (await get(http, BK + "/events", limit=1000))["events"][-1]
        assert last["type"] == "tdkt.registration.movement-amended.v1"
        data = last["data"]
        assert (data["amended"], data["reason"]) == (["registration_deadline"], "gia hạn đăng ký")
        # And a pledge dated after the old deadline is then accepted
        await post(http, BK + "/pledges", late)


async def test_a_deadline_moved_earlier_keeps_the_pledges_already_made(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When the deadline is moved before dv-1's pledge (01/02/2023)
        await amend(http, {"registration_deadline": "2023-01-15", "reason": "rút ngắn"})
        # Then dv-1's pledge stays, and a new pledge after it is refused naming pledged_on
        assert [p["subject_code"] for p in (await get(http, BK + "/pledges"))["items"]] == ["dv-1"]
        r = await http.post(
            BK + "/pledges",
            json=PLEDGE | {"subject_code": "dv-2", "pledged_on": "2023-01-20"},
            headers=NATIONAL,
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "pledged_on"


async def test_amending_a_closed_movement_is_a_conflict(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        await post(http, BK + "/movements/td-2023:close", {}, status=200)
        # When the closed movement's name is amended; Then 409, and it is as it was
        problem = await amend(http, {"name": "TĐ 2023 (sửa)", "reason": "sai tên"}, status=409)
        assert "closed" in problem["detail"]
        assert (await get(http, BK + "/movements/td-2023"))["name"] == "TĐ 2023"


async def test_removing_a_phase_pledges_name_is_refused_naming_phases(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When Đợt 1, which dv-1's pledge names, is left out of the phases
        problem = await amend(http, {"phases": PHASES[1:], "reason": "gộp đợt"}, status=422)
        # Then refused naming phases, and the movement keeps both
        assert [e["field"] for e in problem["errors"]] == ["phases"] and "Đợt 1" in problem["errors"][0][
            "message"
        ]
        assert (await get(http, BK + "/movements/td-2023"))["phases"] == PHASES
        # while a phase no pledge names may go
        done = await amend(http, {"phases": PHASES[:1], "reason": "bỏ đợt 2"})
        assert done["phases"] == PHASES[:1]


async def test_an_award_closed_for_new_pledges_keeps_those_made_and_one_opened_admits_them(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        # When bang-khen-ldld is closed and co-thi-dua-ldld opened
        await amend(http, {"awards": ["co-thi-dua-ldld"], "reason": "đổi danh hiệu"})
        # Then a new pledge for the closed one is refused, one for the opened is stored, dv-1's stays
        r = await http.post(
            BK + "/pledges",
            json=PLEDGE | {"subject_code": "dv-2", "pledged_on": "2023-02-01"},
            headers=NATIONAL,
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "award"
        await post(
            http,
            BK + "/pledges",
            {
                **PLEDGE,
                "award": "co-thi-dua-ldld",
                "subject_kind": "unit",
                "subject_code": "cdcs-a",
                "pledged_on": "2023-02-01",
            },
        )
        assert len((await get(http, BK + "/pledges"))["items"]) == 2


async def test_an_amendment_without_a_reason_is_refused_and_changes_nothing(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        problem = await amend(http, {"name": "TĐ 2023 mới"}, status=422)
        assert [e["field"] for e in problem["errors"]] == ["reason"]
        assert (await get(http, BK + "/movements/td-2023"))["name"] == "TĐ 2023"


async def test_a_unit_amends_its_own_movement_and_another_subtree_finds_none(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        for code in ("tp", "h-2"):
            await post(
                http,
                BK + "/units",
                {"code": code, "name": code, "kind": "upper", "effective_on": "2020-01-01"},
            )
        own = {"code": "td-tp", "name": "TĐ TP", "year": 2023, "registration_deadline": "2023-03-31"}
        await post(http, BK + "/movements", own | {"launched_by": "tp"})
        body = {"registration_deadline": "2023-04-30", "reason": "gia hạn"}
        # When the launching unit's admin amends it; Then it is amended
        r = await http.post(BK + "/movements/td-tp:amend", json=body, headers=bearer("bac-kan/tp", ["admin"]))
        assert r.status_code == 200 and r.json()["registration_deadline"] == "2023-04-30", r.text
        # When another subtree's admin amends it; Then answered as a movement that does not exist
        other = bearer("bac-kan/h-2", ["admin"])
        r = await http.post(BK + "/movements/td-tp:amend", json=body, headers=other)
        ghost = await http.post(BK + "/movements/td-none:amend", json=body, headers=other)
        assert r.status_code == ghost.status_code == 404
        assert r.json()["errors"] == [{"field": "code", "message": "unknown movement 'td-tp'"}]
        # And a unit's admin does not amend the federation's own movement
        r = await http.post(
            BK + "/movements/td-2023:amend", json=body, headers=bearer("bac-kan/tp", ["admin"])
        )
        assert r.status_code == 403, r.text
