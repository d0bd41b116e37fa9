"""Issue 13, recovery: a NUL an old deployment stored never takes registration's lists down; the
read model holds what it can (U+FFFD in place of the NUL), records the problem, /health tells,
and a correction command (a compensating event) puts the right name everywhere."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from services.registration.application import commands as c
from services.registration.application.service import RegistrationApplication
from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.store.eventstore import Context
from tests.integration.poisoned_log import (
    BK,
    FEDERATIONS,
    LISTS,
    SHOWN,
    nul_member,
    poison,
    seed,
    store,
)
from tests.integration.test_registration_merge import NATIONAL, get, post
from tests.support import Isolation, bearer, in_process

CLERK_A = bearer("bac-kan/tp-bac-kan/cdcs-a", ["clerk"])
CLERK_B = bearer("bac-kan/tp-bac-kan/cdcs-b", ["clerk"])
WHY = {"X-Reason": "the old import stored a NUL"}


def started(isolation: Isolation) -> Any:
    return runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))


async def names(http: httpx.AsyncClient, path: str = BK + "/members", **params: Any) -> dict[str, str]:
    page = await get(http, path, **params)
    return {m["code"]: m.get("full_name", m.get("name", m.get("subject_name"))) for m in page["items"]}


async def problems(http: httpx.AsyncClient) -> dict[str, Any]:
    r = await http.get("/health")
    assert r.status_code == 200, r.text
    return dict(r.json()["problems"])


async def test_every_list_of_every_federation_answers_with_a_nul_member_in_the_log(
    isolation: Isolation,
) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        for federation in FEDERATIONS:
            for name in LISTS:
                r = await http.get(f"/v1/federations/{federation}/{name}", headers=NATIONAL)
                assert r.status_code == 200, (federation, name, r.text)
        merge = {"into": "bac-kan", "effective_on": "2025-07-01"}
        await post(http, "/v1/federations/cao-bang:merge", merge, status=200)


async def test_the_nul_member_is_listed_with_the_replacement_character(isolation: Isolation) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        assert (await names(http))["nul1"] == SHOWN
        assert (await names(http, q="nul1"))["nul1"] == SHOWN  # found by search as well
        pledges = (await get(http, BK + "/pledges"))["items"]
        assert [p["subject_name"] for p in pledges] == [SHOWN]
        units = {u["code"]: u["name"] for u in (await get(http, BK + "/units"))["items"]}
        assert units["to-1"] == "To\ufffd mot"


async def test_a_service_started_on_a_poisoned_log_serves_lists_and_health_tells(
    isolation: Isolation,
) -> None:
    settings = isolation.settings(RegistrationSettings)
    root = Context(actor="old-deployment", scope="*")
    app = await asyncio.to_thread(RegistrationApplication, settings)
    try:
        await asyncio.to_thread(app.create_federation, root, c.CreateFederation(code="bac-kan", name="BK"))
        for code, kind, parent in (("tp-bac-kan", "upper", None), ("cdcs-a", "grassroots", "tp-bac-kan")):
            unit = c.RegisterUnit(code=code, name=code, kind=kind, parent=parent)
            await asyncio.to_thread(app.register_unit, root, "bac-kan", unit)
        await store(app, nul_member())
    finally:
        await asyncio.to_thread(app.close)
    rt = runtime(settings, frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        for name in LISTS:
            r = await http.get(f"{BK}/{name}", headers=NATIONAL)
            assert r.status_code == 200, (name, r.text)
        assert (await names(http))["nul1"] == SHOWN
        health = await http.get("/health")
        assert health.status_code == 200  # the service works: the problem asks for a correction
        assert health.json()["problems"] == {
            "open": 1,
            "resolved": 0,
            "oldest_open": health.json()["problems"]["oldest_open"],
            "dead_letters": 0,  # its consumers' (the table comes with its migrations)
            "state": "attention",
        }
        [row] = await rt.db.fetch("SELECT * FROM registration.problems")
        assert (row["reader"], row["service"], row["event_type"]) == (
            "registration.readmodel",
            "registration",
            "Member.Registered",
        )
        assert (row["federation"], row["subject_kind"], row["subject_code"]) == ("bac-kan", "member", "nul1")
        assert row["outcome"] == "replaced" and "full_name" in row["problem"]
        assert "\x00" not in row["problem"] and "INSERT" not in row["problem"]


async def test_correcting_a_member_renames_it_in_lists_and_resolves_its_problems(
    isolation: Isolation,
) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        await names(http)  # a read brings the read model up to the log (as its loop does)
        before = await problems(http)
        assert before["open"] == 4  # the member's registration, its pledge, the unit, the federation
        corrected = await post(
            http, BK + "/members/nul1:correct", {"full_name": "An Nguyễn"}, {**NATIONAL, **WHY}, status=200
        )
        assert corrected["full_name"] == "An Nguyễn"
        assert (await names(http))["nul1"] == "An Nguyễn"
        assert list(await names(http, q="an nguyen")) == ["nul1"]
        pledges = (await get(http, BK + "/pledges"))["items"]
        assert [p["subject_name"] for p in pledges] == ["An Nguyễn"]
        after = await problems(http)
        assert (after["open"], after["resolved"]) == (2, 2)  # the unit's and the federation's are left


async def test_correcting_a_unit_and_a_federation_renames_them(isolation: Isolation) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        await post(http, BK + "/units/to-1:correct", {"name": "Tổ 1", "reason": "NUL"}, status=200)
        units = {u["code"]: u["name"] for u in (await get(http, BK + "/units"))["items"]}
        assert units["to-1"] == "Tổ 1"
        body = {"name": "LĐLĐ mới", "reason": "NUL"}
        await post(http, "/v1/federations/nul-fed:correct", body, status=200)
        assert (await get(http, "/v1/federations/nul-fed"))["name"] == "LĐLĐ mới"
        await names(http)  # caught up
        assert await rt.db.fetchval(
            "SELECT name FROM registration.rm_federations WHERE code = 'nul-fed'"
        ) == ("LĐLĐ mới")
        outcome = await problems(http)
        assert (outcome["open"], outcome["resolved"]) == (2, 2)  # the member's two are left
        await post(http, BK + "/members/nul1:correct", {"full_name": "An", "reason": "NUL"}, status=200)
        await names(http)
        outcome = await problems(http)
        assert (outcome["open"], outcome["resolved"], outcome["state"]) == (0, 4, "ok")


async def test_a_correction_is_published_with_who_and_why(isolation: Isolation) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        await post(http, BK + "/members/nul1:correct", {"full_name": "An Nguyễn"}, {**NATIONAL, **WHY}, 200)
        feed = await get(http, BK + "/events", limit=1000)
        last = feed["events"][-1]
        assert last["type"] == "tdkt.registration.member-corrected.v1"
        assert last["actor"] == "tester" and last["time"]
        assert last["data"]["full_name"] == "An Nguyễn" and last["data"]["code"] == "nul1"
        assert last["data"]["reason"] == WHY["X-Reason"]


async def test_a_correction_needs_a_reason_and_a_safe_name(isolation: Isolation) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        path = BK + "/members/nul1:correct"
        r = await http.post(path, json={"full_name": "An Nguyễn"}, headers=NATIONAL)
        assert r.status_code == 422 and "reason" in r.text
        r = await http.post(path, json={"full_name": "An\u0000Nguyen", "reason": "x"}, headers=NATIONAL)
        assert r.status_code == 422 and "full_name" in r.text
        r = await http.post(path, json={"full_name": "An\u202eNguyen", "reason": "x"}, headers=NATIONAL)
        assert r.status_code == 422 and "full_name" in r.text
        r = await http.post(path, json={"full_name": "An Nguyễn", "reason": "a\u0000b"}, headers=NATIONAL)
        assert r.status_code == 422 and "reason" in r.text
        assert (await names(http))["nul1"] == SHOWN  # nothing stored


async def test_a_correction_honours_idempotency_key_and_if_match(isolation: Isolation) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        path = BK + "/members/nul1:correct"
        keyed = {**NATIONAL, **WHY, "Idempotency-Key": "fix-nul1"}
        first = await http.post(path, json={"full_name": "An Nguyễn"}, headers=keyed)
        again = await http.post(path, json={"full_name": "An Nguyễn"}, headers=keyed)
        assert first.status_code == again.status_code == 200
        assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
        stale = {**NATIONAL, **WHY, "If-Match": '"1"'}
        r = await http.post(path, json={"full_name": "An Nguyễn Văn"}, headers=stale)
        assert r.status_code == 412
        current = {**NATIONAL, **WHY, "If-Match": first.headers["ETag"]}
        r = await http.post(path, json={"full_name": "An Nguyễn Văn"}, headers=current)
        assert r.status_code == 200 and r.json()["full_name"] == "An Nguyễn Văn"


async def test_a_unit_clerk_corrects_only_inside_its_subtree(isolation: Isolation) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        body = {"full_name": "An Nguyễn", "reason": "NUL"}
        outside = await http.post(BK + "/members/nul1:correct", json=body, headers=CLERK_B)
        missing = await http.post(BK + "/members/nobody:correct", json=body, headers=CLERK_B)
        assert outside.status_code == missing.status_code == 404
        assert outside.json()["detail"].replace("nul1", "X") == missing.json()["detail"].replace(
            "nobody", "X"
        )
        unit = await http.post(
            BK + "/units/to-1:correct", json={"name": "Tổ 1", "reason": "NUL"}, headers=CLERK_B
        )
        assert unit.status_code == 404
        federation = await http.post(BK + ":correct", json={"name": "BK", "reason": "NUL"}, headers=CLERK_A)
        assert federation.status_code == 403
        await post(http, BK + "/members/nul1:correct", body, CLERK_A, status=200)
        await post(http, BK + "/units/to-1:correct", {"name": "Tổ 1", "reason": "NUL"}, CLERK_A, status=200)


async def test_a_rebuild_of_the_read_model_copes_with_the_nul_event(isolation: Isolation) -> None:
    rt = started(isolation)
    async with in_process(rt, build_app) as http:
        await seed(http)
        await poison(http, rt.application)
        await post(http, BK + "/units/to-1:correct", {"name": "Tổ 1", "reason": "NUL"}, status=200)
        await rt.parts.readmodel.rebuild()
        assert (await names(http))["nul1"] == SHOWN
        units = {u["code"]: u["name"] for u in (await get(http, BK + "/units"))["items"]}
        assert units["to-1"] == "Tổ 1"
        outcome = await problems(http)
        assert (outcome["open"], outcome["resolved"]) == (3, 1)  # the member's two, the federation's
