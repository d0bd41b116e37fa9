"""Issue 18: a pledge list registers the people it names who are not members yet
(`pledges:batch?new_members=register`), so a list no longer fails on a person not yet keyed in;
without the option, such a row is refused as before."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.registration.application import commands as c
from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*")
BK = "/v1/federations/bac-kan"
REGISTER = BK + "/pledges:batch?new_members=register&mode=keep-good-rows"


def pledge(code: str, **more: Any) -> dict[str, Any]:
    return {
        "movement": "td-2025",
        "subject_kind": "member",
        "subject_code": code,
        "pledged_on": "2025-03-01",
    } | more


def seed(app: Any) -> None:
    """cdcs-a with member dv-1, cdcs-b, and the 2025 movement open for LĐTT."""
    ctx = Context(actor="seed", scope="*")
    app.create_federation(ctx, c.CreateFederation(code="bac-kan", name="LĐLĐ tỉnh Bắc Kạn"))
    for code in ("cdcs-a", "cdcs-b"):
        app.register_unit(ctx, "bac-kan", c.RegisterUnit(code=code, name=f"CĐCS {code}", kind="grassroots"))
    app.register_member(
        ctx, "bac-kan", c.RegisterMember(code="dv-1", full_name="Nguyễn Văn An", unit="cdcs-a")
    )
    movement = {"code": "td-2025", "name": "Thi đua 2025", "year": 2025, "awards": ["ldtt"]}
    app.launch_movement(ctx, "bac-kan", c.LaunchMovement(**movement, registration_deadline="2025-12-31"))


@pytest.fixture
async def http(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        await asyncio.to_thread(seed, rt.application)
        yield client


async def test_a_new_person_in_the_list_is_registered_then_pledges(http: httpx.AsyncClient) -> None:
    rows = [pledge("dv-1"), pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-b", birth_year=1990)]
    # When the list is sent with new_members=register
    r = await http.post(REGISTER, json=rows, headers=NATIONAL)
    # Then both pledges are stored, dv-9 registered first in cdcs-b
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["accepted"], body["rejected"], body["members_registered"]) == (2, 0, 1)
    assert [x.get("member") for x in body["results"]] == [None, "registered"]
    member = (await http.get(BK + "/members/dv-9", headers=NATIONAL)).json()
    assert (member["full_name"], member["unit"], member["birth_year"]) == ("Lò Thị Chín", "cdcs-b", 1990)


async def test_without_the_option_a_person_not_yet_a_member_is_refused(http: httpx.AsyncClient) -> None:
    rows = [pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-b")]
    r = await http.post(BK + "/pledges:batch", json=rows, headers=NATIONAL)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["subject_code"]
    assert (await http.get(BK + "/members/dv-9", headers=NATIONAL)).status_code == 404


async def test_a_new_person_without_a_unit_is_refused_naming_unit_and_registers_nobody(
    http: httpx.AsyncClient,
) -> None:
    rows = [pledge("dv-1"), pledge("dv-9", subject_name="Lò Thị Chín")]
    r = await http.post(REGISTER, json=rows, headers=NATIONAL)
    assert r.status_code == 201, r.text
    refused = r.json()["results"][1]
    assert (refused["status"], [e["field"] for e in refused["errors"]]) == ("rejected", ["unit"])
    assert refused["errors"][0]["row"] == 2
    assert (await http.get(BK + "/members/dv-9", headers=NATIONAL)).status_code == 404


async def test_a_new_person_whose_pledge_is_refused_is_not_registered(http: httpx.AsyncClient) -> None:
    # the award is not open in the movement: the row's pledge is refused
    rows = [pledge("dv-1"), pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-b", award="bang-khen-ldld")]
    r = await http.post(REGISTER, json=rows, headers=NATIONAL)
    assert r.status_code == 201, r.text
    assert r.json()["members_registered"] == 0
    assert (await http.get(BK + "/members/dv-9", headers=NATIONAL)).status_code == 404


async def test_one_new_person_on_two_rows_is_registered_once(http: httpx.AsyncClient) -> None:
    rows = [
        pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-b"),
        pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-b", award="ldtt"),
    ]
    r = await http.post(REGISTER, json=rows, headers=NATIONAL)
    assert r.status_code == 201, r.text
    assert (r.json()["accepted"], r.json()["members_registered"]) == (2, 1)


async def test_a_unit_clerk_cannot_register_a_person_into_another_unit(http: httpx.AsyncClient) -> None:
    clerk = bearer("bac-kan/cdcs-a", ["clerk"])
    rows = [pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-b")]
    r = await http.post(REGISTER, json=rows, headers=clerk)
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["unit"]
    assert (await http.get(BK + "/members/dv-9", headers=NATIONAL)).status_code == 404


async def test_a_new_person_named_again_with_another_unit_is_refused_naming_unit(
    http: httpx.AsyncClient,
) -> None:
    rows = [
        pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-b"),
        pledge("dv-9", subject_name="Lò Thị Chín", unit="cdcs-a", award="ldtt"),
    ]
    r = await http.post(REGISTER, json=rows, headers=NATIONAL)
    assert r.status_code == 201, r.text
    second = r.json()["results"][1]
    assert (second["status"], [e["field"] for e in second["errors"]]) == ("rejected", ["unit"])
    assert (await http.get(BK + "/members/dv-9", headers=NATIONAL)).json()["unit"] == "cdcs-b"
