"""Moves recorded late, in any order, in registration's lists: a unit placed under a parent from
a past day follows that parent wherever it moved after that day, with the units and members
below it (the read model keeps each unit's place as spans of dates)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from tests.support import Isolation, bearer, in_process

NATIONAL = bearer("*")
BK = "/v1/federations/bac-kan"


async def post(http: httpx.AsyncClient, path: str, body: dict[str, Any], status: int = 201) -> None:
    r = await http.post(path, json=body, headers=NATIONAL)
    assert r.status_code == status, r.text


async def paths(http: httpx.AsyncClient, on: str, headers: dict[str, str] = NATIONAL) -> dict[str, str]:
    r = await http.get(BK + "/units", params={"as_of": on}, headers=headers)
    assert r.status_code == 200, r.text
    return {u["code"]: u["path"] for u in r.json()["items"]}


@pytest.fixture
async def http(isolation: Isolation) -> AsyncIterator[httpx.AsyncClient]:
    """ld-a, ld-b and ld-n at the top; cd-x under ld-a, to-y under cd-x (2020), dv-1 in to-y;
    ld-b moved under ld-n from 2024 (dv-1 registered today)."""
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as client:
        await post(client, "/v1/federations", {"code": "bac-kan", "name": "Bắc Kạn"})
        for code, kind, parent in (
            ("ld-a", "upper", None),
            ("ld-b", "upper", None),
            ("ld-n", "upper", None),
            ("cd-x", "grassroots", "ld-a"),
            ("to-y", "collective", "cd-x"),
        ):
            body = {"code": code, "name": code, "kind": kind, "parent": parent, "effective_on": "2020-01-01"}
            await post(client, BK + "/units", body)
        member = {"code": "dv-1", "full_name": "Nguyễn Văn An", "unit": "to-y"}
        await post(client, BK + "/members", member)
        await post(client, BK + "/units/ld-b:move", {"to_parent": "ld-n", "effective_on": "2024-01-01"}, 200)
        yield client


async def test_a_unit_moved_back_dated_under_a_unit_that_moved_later_follows_it(
    http: httpx.AsyncClient,
) -> None:
    """When cd-x is moved under ld-b from 2023-06 (after ld-b's move was recorded), then from
    2024 cd-x and to-y sit under ld-n/ld-b, and between the two days under ld-b alone."""
    await post(http, BK + "/units/cd-x:move", {"to_parent": "ld-b", "effective_on": "2023-06-01"}, 200)
    later = await paths(http, "2025-01-01")
    assert (later["cd-x"], later["to-y"]) == ("ld-n/ld-b/cd-x", "ld-n/ld-b/cd-x/to-y")
    between = await paths(http, "2023-12-31")
    assert (between["cd-x"], between["to-y"]) == ("ld-b/cd-x", "ld-b/cd-x/to-y")


async def test_a_unit_registered_back_dated_under_a_unit_that_moved_later_follows_it(
    http: httpx.AsyncClient,
) -> None:
    """When cd-q is registered under ld-b from 2022, then from 2024 it sits under ld-n/ld-b."""
    body = {"code": "cd-q", "name": "cd-q", "kind": "grassroots", "parent": "ld-b"}
    body["effective_on"] = "2022-01-01"
    await post(http, BK + "/units", body)
    assert (await paths(http, "2025-01-01"))["cd-q"] == "ld-n/ld-b/cd-q"
    assert (await paths(http, "2023-01-01"))["cd-q"] == "ld-b/cd-q"


async def test_the_clerk_of_the_new_parents_parent_lists_the_members_below_it(
    http: httpx.AsyncClient,
) -> None:
    """When cd-x is moved under ld-b from 2023-06, ld-n's clerk lists dv-1 among its members."""
    await post(http, BK + "/units/cd-x:move", {"to_parent": "ld-b", "effective_on": "2023-06-01"}, 200)
    r = await http.get(BK + "/members", headers=bearer("bac-kan/ld-n", ["reader"]))
    assert r.status_code == 200, r.text
    assert [(m["code"], m["unit_path"]) for m in r.json()["items"]] == [("dv-1", "ld-n/ld-b/cd-x/to-y")]
