"""Parameters are bounded by their real range: a cursor or sequence beyond it is a 422 naming the
parameter, never a 500; subscriptions only for federations that exist, under codes that make
valid queue names, and the national wildcard only on the national path."""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import httpx

from services.awards import bootstrap as awards
from services.registration import bootstrap as registration
from shared.kernel.settings import AwardsSettings, RegistrationSettings
from tests.integration.awards_http import seed
from tests.support import AMQP_URL, Isolation, bearer, eventually, in_process

NATIONAL = bearer("*", ["admin"])
BEYOND = str(2**63)  # one past the largest bigint: the log's sequences and the lists' cursors


@contextlib.asynccontextmanager
async def both(isolation: Isolation) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    reg_rt = registration.runtime(isolation.settings(RegistrationSettings), frozenset({"api", "relay"}))
    aw_rt = awards.runtime(isolation.settings(AwardsSettings), frozenset({"api"}))
    async with in_process(reg_rt, registration.build_app) as reg, in_process(aw_rt, awards.build_app) as aw:
        await seed(awards.parts_of(aw_rt).facts, aw_rt.db)  # awards knows bac-kan's units and members
        r = await reg.post("/v1/federations", json={"code": "bac-kan", "name": "Bắc Kạn"}, headers=NATIONAL)
        assert r.status_code == 201, r.text
        yield {"registration": reg, "awards": aw}


def refused_naming(r: httpx.Response, parameter: str) -> None:
    assert r.status_code == 422, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json"), r.text
    assert [e["field"] for e in r.json()["errors"]] == [parameter], r.text


def cursor_of(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


async def queue_exists(name: str) -> bool:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        try:
            await channel.declare_queue(name, passive=True)
        except aio_pika.exceptions.ChannelClosed:
            return False
        return True


async def test_a_feed_sequence_beyond_the_log_is_refused_naming_after(isolation: Isolation) -> None:
    async with both(isolation) as clients:
        for client in clients.values():
            for path in ("/v1/federations/bac-kan/events", "/v1/events"):
                refused_naming(await client.get(path, params={"after": BEYOND}, headers=NATIONAL), "after")
                r = await client.get(path, params={"after": str(2**63 - 1)}, headers=NATIONAL)
                assert r.status_code == 200 and r.json()["events"] == [], r.text


async def test_an_awards_list_cursor_beyond_its_range_is_refused_naming_after(isolation: Isolation) -> None:
    async with both(isolation) as clients:
        for listing in ("nominations", "grants"):
            path = f"/v1/federations/bac-kan/{listing}"
            refused_naming(
                await clients["awards"].get(path, params={"after": BEYOND}, headers=NATIONAL), "after"
            )
            r = await clients["awards"].get(path, params={"after": str(2**63 - 1)}, headers=NATIONAL)
            assert r.status_code == 200 and r.json()["items"] == [], r.text


async def test_a_registration_cursor_it_never_handed_out_is_refused_naming_cursor(
    isolation: Isolation,
) -> None:
    async with both(isolation) as clients:
        reg = clients["registration"]
        forged = (cursor_of(2**64), cursor_of("a\u0000b"), cursor_of("x" * 5000), "not-base64!")
        for listing in ("units", "members", "pledges", "movements", "initiatives", "works"):
            for cursor in forged:
                r = await reg.get(
                    f"/v1/federations/bac-kan/{listing}", params={"cursor": cursor}, headers=NATIONAL
                )
                refused_naming(r, "cursor")


async def test_subscriptions_are_only_for_federations_that_exist(isolation: Isolation) -> None:
    async with both(isolation) as clients:
        for service, client in clients.items():
            for federation in ("nope", "a b", "%C3%A9", "*", "%2A"):
                path = f"/v1/federations/{federation}/subscriptions"
                r = await client.post(path, json={"name": "hrm"}, headers=NATIONAL)
                assert r.status_code == 404, (service, federation, r.status_code, r.text)
                assert r.headers["content-type"].startswith("application/problem+json"), r.text
                assert (await client.get(path, headers=NATIONAL)).status_code == 404
                assert (await client.delete(path + "/hrm", headers=NATIONAL)).status_code == 404
            for federation in ("nope", "national"):
                queue = f"{isolation.queue_prefix}sub.{service}.{federation}.hrm"
                assert not await queue_exists(queue), queue
            r = await client.post(
                "/v1/federations/bac-kan/subscriptions", json={"name": "hrm"}, headers=NATIONAL
            )
            assert r.status_code == 201, (service, r.text)
            assert await queue_exists(r.json()["queue"])


async def test_the_grants_list_carries_no_nomination_as_null(isolation: Isolation) -> None:
    async with both(isolation) as clients:
        aw = clients["awards"]
        line = {
            "subject_kind": "member",
            "subject_code": "dv-1",
            "award": "bang-khen-ldld",
            "year": 2020,
            "decision_number": "1/QĐ",
            "decision_date": "2020-12-01",
            "authority": "ldld:bac-kan",
        }
        r = await aw.post("/v1/federations/bac-kan/grants:import", json={"grants": [line]}, headers=NATIONAL)
        assert r.status_code == 201, r.text

        async def listed() -> dict[str, Any]:
            r = await aw.get("/v1/federations/bac-kan/grants", headers=NATIONAL)
            assert r.status_code == 200 and r.json()["items"], r.text
            return r.json()["items"][0]  # type: ignore[no-any-return]

        item = await eventually(listed)
        assert item["nomination"] is None, item
        single = await aw.get(f"/v1/federations/bac-kan/grants/{item['grant_id']}", headers=NATIONAL)
        assert single.json()["nomination"] is None, single.text
