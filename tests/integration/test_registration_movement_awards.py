"""Movements with the federation's own awards and campaigns, on the real PostgreSQL: registration
learns a federation's awards from awards' events (`award-defined`, `award-amended`,
`award-retired`, applied here by the consumer's handler), a movement opens one and a pledge for
it names it as it was that day; a campaign without awards is launched and listed with its
launcher."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from services.awards import bootstrap as awards
from services.registration.adapters import award_catalogue
from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import AwardsSettings, RegistrationSettings
from tests.integration.test_registration_merge import get, post
from tests.support import Isolation, bearer, eventually, in_process

F = "/v1/federations/ha-giang"
NATIONAL = bearer("*")
OWN = {"code": "giay-khen-hg", "name": "Giấy khen LĐLĐ Hà Giang", "subjects": "both"}
MOVEMENT = {"code": "td-2026", "name": "Thi đua 2026", "year": 2026, "registration_deadline": "2026-12-31"}


def from_awards(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """An envelope as awards publishes it."""
    return {
        "id": str(uuid.uuid4()),
        "type": f"tdkt.awards.{name}.v1",
        "source": "tdkt/awards",
        "sequence": 1,
        "data": {"federation": "ha-giang", **data},
    }


@asynccontextmanager
async def registration(isolation: Isolation, *events: dict[str, Any]) -> AsyncIterator[httpx.AsyncClient]:
    """Given Hà Giang with a unit and a member, and the awards events given applied to
    registration's copy of the catalogue."""
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        handle = award_catalogue.handler(rt.settings.schema_name)
        async with rt.db.acquire() as conn:
            for envelope in events:
                await handle(conn, envelope)
        await post(http, "/v1/federations", {"code": "ha-giang", "name": "LĐLĐ tỉnh Hà Giang"})
        await post(http, F + "/units", {"code": "cdcs-hg", "name": "CĐCS HG", "kind": "grassroots"})
        await post(http, F + "/members", {"code": "dv-hg", "full_name": "Vàng Thị Mỷ", "unit": "cdcs-hg"})
        yield http


def pledge(award: str) -> dict[str, Any]:
    return {"movement": "td-2026", "award": award, "subject_kind": "member", "subject_code": "dv-hg"}


async def test_a_movement_opens_a_federation_award_and_a_pledge_for_it_is_accepted(
    isolation: Isolation,
) -> None:
    """Given an own award defined and renamed from 2026-01-01 in awards, when a movement opens it,
    then a pledge for it is registered under its name in force that day."""
    defined = from_awards("award-defined", {**OWN, "level": "federation", "effective_from": "2020-01-01"})
    renamed = {"code": OWN["code"], "effective_from": "2026-01-01", "changes": {"name": "Giấy khen mới"}}
    async with registration(isolation, defined, from_awards("award-amended", renamed)) as http:
        movement = await post(http, F + "/movements", {**MOVEMENT, "awards": [OWN["code"]]})
        pledged = await post(http, F + "/pledges", {**pledge(OWN["code"]), "pledged_on": "2026-03-01"})
        unknown = await http.post(
            F + "/movements", headers=NATIONAL, json={**MOVEMENT, "code": "x", "awards": ["khong-co"]}
        )
        feed = (await get(http, F + "/events"))["events"]
    assert movement["awards"] == [OWN["code"]]
    registered = [e["data"] for e in feed if e["type"] == "tdkt.registration.pledge-registered.v1"]
    assert pledged["award"] == OWN["code"] and registered[0]["award_name"] == "Giấy khen mới"
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "awards.0"


async def test_a_retired_federation_award_is_not_pledged_after_its_last_day(isolation: Isolation) -> None:
    defined = from_awards("award-defined", OWN | {"level": "federation"})
    retired = from_awards("award-retired", {"code": OWN["code"], "effective_until": "2026-06-30"})
    async with registration(isolation, defined, retired) as http:
        await post(http, F + "/movements", {**MOVEMENT, "awards": [OWN["code"]]})
        late = await http.post(
            F + "/pledges", headers=NATIONAL, json={**pledge(OWN["code"]), "pledged_on": "2026-07-01"}
        )
        too_late = await http.post(
            F + "/movements", headers=NATIONAL, json={**MOVEMENT, "code": "td-2027", "year": 2027}
        )
    assert late.status_code == 422 and late.json()["errors"][0]["field"] == "award", late.text
    assert too_late.status_code == 201  # no awards: the retired one is not asked for


async def test_a_campaign_without_awards_is_launched_and_listed_with_its_launcher(
    isolation: Isolation,
) -> None:
    """Given a campaign the Prime Minister launched, with no awards, then it is launched, read and
    listed with its launcher; a federation movement's launcher is the federation."""
    campaign = {**MOVEMENT, "kind": "thematic", "launcher": "thu-tuong"}
    async with registration(isolation) as http:
        nameless = await http.post(F + "/movements", headers=NATIONAL, json=campaign)
        launched = await post(http, F + "/movements", {**campaign, "launcher_name": "Thủ tướng Chính phủ"})
        own = await post(http, F + "/movements", {**MOVEMENT, "code": "td-lien-doan", "awards": ["ldtt"]})
        read = await get(http, F + "/movements/td-2026")
        listed = (await get(http, F + "/movements", year=2026))["items"]
        refused = await http.post(F + "/pledges", headers=NATIONAL, json=pledge("ldtt"))
    assert nameless.status_code == 422 and nameless.json()["errors"][0]["field"] == "launcher_name"
    assert launched["awards"] == [] and launched["launcher"] == "thu-tuong"
    assert read["launcher_name"] == "Thủ tướng Chính phủ"
    by_code = {m["code"]: (m["launcher"], m["launcher_name"]) for m in listed}
    assert by_code == {
        "td-2026": ("thu-tuong", "Thủ tướng Chính phủ"),
        "td-lien-doan": ("ha-giang", "LĐLĐ tỉnh Hà Giang"),
    }
    assert own["launcher"] == "ha-giang"
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "award"


async def test_registration_learns_a_federation_award_from_awards_over_the_bus(isolation: Isolation) -> None:
    """Given awards and registration on the bus, when the federation defines an award in awards,
    then a movement in registration opens it."""
    reg_rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api", "consumer"}))
    awards_rt = awards.runtime(isolation.settings(AwardsSettings), frozenset({"api", "relay"}))
    async with contextlib.AsyncExitStack() as stack:
        reg = await stack.enter_async_context(in_process(reg_rt, build_app))
        aw = await stack.enter_async_context(in_process(awards_rt, awards.build_app))
        await post(reg, "/v1/federations", {"code": "ha-giang", "name": "LĐLĐ tỉnh Hà Giang"})
        await post(aw, F + "/catalogue", OWN, headers=NATIONAL)

        async def opened() -> dict[str, Any]:
            launched = await reg.post(
                F + "/movements", headers=NATIONAL, json={**MOVEMENT, "awards": [OWN["code"]]}
            )
            assert launched.status_code == 201, launched.text
            return launched.json()  # type: ignore[no-any-return]

        movement = await eventually(opened)
    assert movement["awards"] == [OWN["code"]]
