"""Issue 18, nobody stranded: a unit is dissolved only once nobody is left in it (its members
transferred or left, its subunits moved or dissolved), and a member left in a unit that ended
before this was checked can still be transferred or leave."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from services.registration.application import commands as c
from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.integration.test_registration_unit_recode import BK, seed
from tests.support import Isolation, bearer, in_process

ON = "2025-07-01"


@pytest.fixture
async def stack(isolation: Isolation) -> AsyncIterator[tuple[Any, httpx.AsyncClient]]:
    """Given the city's union tp with cdcs-a (trade-union group to-1 under it, member dv-1 in it)
    and cdcs-b, all since 2020."""
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        await seed(client)
        yield rt, client


async def test_a_unit_with_members_and_subunits_is_not_dissolved(stack: Any) -> None:
    _, http = stack
    # When cdcs-a, with dv-1 in it and to-1 under it, is dissolved
    r = await http.post(BK + "/units/cdcs-a:dissolve", json={"effective_on": ON}, headers=NATIONAL)
    # Then it is refused naming the date, who is left, and nothing changes
    assert r.status_code == 422, r.text
    [error] = r.json()["errors"]
    assert error["field"] == "effective_on"
    assert "1 member(s) and 1 unit(s)" in error["message"] and "dv-1" in error["message"]
    assert (await get(http, BK + "/units/cdcs-a"))["state"] == "active"


async def test_a_unit_whose_people_moved_out_is_dissolved(stack: Any) -> None:
    _, http = stack
    # Given dv-1 transferred to cdcs-b and to-1 moved under it before the dissolution
    await post(http, BK + "/members/dv-1:transfer", {"unit": "cdcs-b", "effective_on": ON}, status=200)
    await post(http, BK + "/units/to-1:move", {"to_parent": "cdcs-b", "effective_on": ON}, status=200)
    # When cdcs-a is dissolved that day
    done = await post(http, BK + "/units/cdcs-a:dissolve", {"effective_on": ON}, status=200)
    # Then it is
    assert (done["state"], done["ended_on"]) == ("dissolved", ON)


async def test_a_member_left_in_an_ended_unit_can_still_be_transferred(stack: Any) -> None:
    rt, http = stack
    # Given cdcs-a dissolved with dv-1 still in it, as a dissolution recorded before the check
    # could leave it (the application told of no members nor subunits)
    app = rt.parts.application
    ctx = Context(actor="root", scope="*")
    await asyncio.to_thread(app.dissolve_unit, ctx, "bac-kan", "cdcs-a", c.DissolveUnit(effective_on=ON))
    # When dv-1 is transferred to cdcs-b after it
    body = {"unit": "cdcs-b", "effective_on": "2025-08-01"}
    moved = await post(http, BK + "/members/dv-1:transfer", body, status=200)
    # Then the member is in cdcs-b from that day
    assert moved["unit"] == "cdcs-b"
    members = await get(http, BK + "/members", unit="cdcs-b", as_of="2025-08-01")
    assert [m["code"] for m in members["items"]] == ["dv-1"]


async def test_a_member_left_in_an_ended_unit_can_still_leave(stack: Any) -> None:
    rt, http = stack
    # Given cdcs-a dissolved with dv-1 still in it (the application told of no members)
    ctx = Context(actor="root", scope="*")
    dissolve = c.DissolveUnit(effective_on=ON)
    await asyncio.to_thread(rt.parts.application.dissolve_unit, ctx, "bac-kan", "cdcs-a", dissolve)
    # When dv-1 is recorded as having left after it
    left = await post(http, BK + "/members/dv-1:leave", {"effective_on": "2025-08-01"}, status=200)
    # Then the member has left that day
    assert left["left_on"] == "2025-08-01"


async def test_a_dissolution_dated_after_today_is_refused(stack: Any) -> None:
    _, http = stack
    await post(http, BK + "/members/dv-1:transfer", {"unit": "cdcs-b", "effective_on": ON}, status=200)
    await post(http, BK + "/units/to-1:move", {"to_parent": "cdcs-b", "effective_on": ON}, status=200)
    later = (date.today() + timedelta(days=30)).isoformat()
    r = await http.post(BK + "/units/cdcs-a:dissolve", json={"effective_on": later}, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["effective_on"]


async def test_a_dissolution_dated_before_a_member_moved_out_is_refused(stack: Any) -> None:
    """dv-1 was in cdcs-a until 01/08/2025: a dissolution on 01/07/2025 would leave them in an
    ended unit for that month."""
    _, http = stack
    body = {"unit": "cdcs-b", "effective_on": "2025-08-01"}
    await post(http, BK + "/members/dv-1:transfer", body, status=200)
    await post(http, BK + "/units/to-1:move", {"to_parent": "cdcs-b", "effective_on": ON}, status=200)
    r = await http.post(BK + "/units/cdcs-a:dissolve", json={"effective_on": ON}, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert "dv-1" in r.json()["errors"][0]["message"]


async def test_a_dissolution_dated_before_a_subunit_came_under_it_is_refused(stack: Any) -> None:
    _, http = stack
    await post(http, BK + "/members/dv-1:transfer", {"unit": "cdcs-b", "effective_on": ON}, status=200)
    await post(http, BK + "/units/to-1:move", {"to_parent": "cdcs-b", "effective_on": ON}, status=200)
    # Given cdcs-b's group to-1 came under cdcs-a on 01/09/2025
    back = {"to_parent": "cdcs-a", "effective_on": "2025-09-01"}
    await post(http, BK + "/units/to-1:move", back, status=200)
    # When cdcs-a is dissolved on 01/07/2025, before that
    r = await http.post(BK + "/units/cdcs-a:dissolve", json={"effective_on": ON}, headers=NATIONAL)
    # Then it is refused, naming to-1
    assert r.status_code == 422, r.text
    assert "to-1" in r.json()["errors"][0]["message"]


async def test_a_clerk_of_the_ended_units_place_on_its_last_day_may_transfer_its_member(stack: Any) -> None:
    """cdcs-a's own record says it sat under tp; tp moved under h-x before cdcs-a ended, so the
    member left in it is in h-x's subtree, and h-x's clerk may transfer them."""
    rt, http = stack
    upper = {"code": "h-x", "name": "Huyện X", "kind": "upper", "effective_on": "2020-01-01"}
    await post(http, BK + "/units", upper)
    await post(http, BK + "/units/tp:move", {"to_parent": "h-x", "effective_on": "2025-01-01"}, status=200)
    ctx = Context(actor="root", scope="*")
    dissolve = c.DissolveUnit(effective_on=ON)
    await asyncio.to_thread(rt.parts.application.dissolve_unit, ctx, "bac-kan", "cdcs-a", dissolve)
    clerk = bearer("bac-kan/h-x", ["admin"])
    body = {"unit": "cdcs-b", "effective_on": "2025-08-01"}
    r = await http.post(BK + "/members/dv-1:transfer", json=body, headers=clerk)
    assert r.status_code == 200, r.text
