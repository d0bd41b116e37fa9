"""Issue 18: a unit merge takes the merged unit's own members to the receiving unit on the merge's
date (member-transferred, the merge as reason), so they pledge and transfer afterwards, while
reads as of an earlier date still show them in the old unit."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, in_process

BK = "/v1/federations/bac-kan"
MERGE_ON = "2025-07-01"


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def seed_and_merge(http: Any) -> None:
    """Given Bắc Kạn's city with three grassroots unions, member dv-1 in cdcs-a, and a 2025
    movement; cdcs-a merged into cdcs-b on 2025-07-01."""
    await seed(http)
    await post(http, BK + "/units/cdcs-a:merge", {"into": "cdcs-b", "effective_on": MERGE_ON}, status=200)


async def seed(http: Any) -> None:
    await post(http, "/v1/federations", {"code": "bac-kan", "name": "LĐLĐ tỉnh Bắc Kạn"})
    for code, kind, parent in (
        ("tp-bac-kan", "upper", None),
        ("cdcs-a", "grassroots", "tp-bac-kan"),
        ("cdcs-b", "grassroots", "tp-bac-kan"),
        ("cdcs-c", "grassroots", "tp-bac-kan"),
    ):
        unit = {"code": code, "name": code, "kind": kind, "parent": parent, "effective_on": "2020-01-01"}
        await post(http, BK + "/units", unit)
    await post(http, BK + "/members", {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "cdcs-a"})
    movement = {
        "code": "td-2025",
        "name": "TĐ 2025",
        "year": 2025,
        "awards": ["bang-khen-ldld"],
        "registration_deadline": "2025-12-31",
    }
    await post(http, BK + "/movements", movement)


async def test_after_a_unit_merge_its_member_can_be_transferred(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed_and_merge(http)
        # When dv-1 is transferred to cdcs-c after the merge
        body = {"unit": "cdcs-c", "effective_on": "2025-08-01"}
        moved = await post(http, BK + "/members/dv-1:transfer", body, status=200)
        # Then the transfer is accepted, from the receiving unit
        assert moved["unit"] == "cdcs-c"
        assert [p["unit"] for p in moved["placements"]] == ["cdcs-a", "cdcs-b", "cdcs-c"]


async def test_after_a_unit_merge_its_member_can_pledge(isolation: Isolation) -> None:
    async with in_process(started(isolation), build_app) as http:
        await seed_and_merge(http)
        # When dv-1 pledges after the merge
        pledge = {
            "movement": "td-2025",
            "award": "bang-khen-ldld",
            "subject_kind": "member",
            "subject_code": "dv-1",
            "pledged_on": "2025-08-01",
        }
        done = await post(http, BK + "/pledges", pledge)
        # Then the pledge is registered in the receiving unit
        assert done["unit"] == "cdcs-b"


async def test_a_unit_merge_moves_its_members_on_the_merges_date_and_not_before(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        # When cdcs-a is merged into cdcs-b
        await seed_and_merge(http)
        # Then the members list puts dv-1 in cdcs-b from the merge's date, in cdcs-a before it
        after = await get(http, BK + "/members", as_of=MERGE_ON)
        before = await get(http, BK + "/members", as_of="2025-06-30")
        assert [(m["code"], m["unit"]) for m in after["items"]] == [("dv-1", "cdcs-b")]
        assert [(m["code"], m["unit"]) for m in before["items"]] == [("dv-1", "cdcs-a")]


async def test_a_unit_merge_is_in_the_members_history_as_a_transfer_with_the_merge_as_reason(
    isolation: Isolation,
) -> None:
    async with in_process(started(isolation), build_app) as http:
        # When cdcs-a is merged into cdcs-b
        await seed_and_merge(http)
        # Then dv-1's events hold a transfer from cdcs-a to cdcs-b on the merge's date, saying why
        feed = await get(http, BK + "/events", limit=1000)
        moves = [e for e in feed["events"] if e["type"] == "tdkt.registration.member-transferred.v1"]
        assert len(moves) == 1
        data = moves[0]["data"]
        assert (data["code"], data["from_unit"], data["unit"]) == ("dv-1", "cdcs-a", "cdcs-b")
        assert data["effective_on"] == MERGE_ON
        assert "cdcs-a" in data["reason"] and "cdcs-b" in data["reason"]
        member = await get(http, BK + "/members/dv-1")
        assert [(p["from"], p["unit"]) for p in member["placements"]] == [
            (None, "cdcs-a"),
            (MERGE_ON, "cdcs-b"),
        ]


async def test_a_merge_dated_after_today_is_refused_and_changes_nothing(isolation: Isolation) -> None:
    """A merge takes the unit's members along when it is stored: one dated later would leave a
    member registered in between in a unit that has ended."""
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        later = (date.today() + timedelta(days=30)).isoformat()
        body = {"into": "cdcs-b", "effective_on": later}
        r = await http.post(BK + "/units/cdcs-a:merge", json=body, headers=NATIONAL)
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["effective_on"]
        unit = await get(http, BK + "/units/cdcs-a")
        assert (unit["ended_on"], unit["merged_into"]) == (None, None)


async def test_a_merge_dated_before_a_member_moved_out_is_refused(isolation: Isolation) -> None:
    """dv-1 was in cdcs-a until 01/08/2025: a merge on 01/07/2025 would leave them in an ended
    unit for that month (their later transfer cannot be moved back)."""
    async with in_process(started(isolation), build_app) as http:
        await seed(http)
        await post(
            http, BK + "/members/dv-1:transfer", {"unit": "cdcs-c", "effective_on": "2025-08-01"}, status=200
        )
        body = {"into": "cdcs-b", "effective_on": MERGE_ON}
        r = await http.post(BK + "/units/cdcs-a:merge", json=body, headers=NATIONAL)
        assert r.status_code == 422, r.text
        [error] = r.json()["errors"]
        assert error["field"] == "effective_on" and "dv-1" in error["message"]
        assert (await get(http, BK + "/units/cdcs-a"))["merged_into"] is None
