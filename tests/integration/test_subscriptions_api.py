"""Subscriptions for other systems: a durable quorum queue with a dead-letter queue, bound to
one federation's routing keys (I5); the national scope may subscribe to all; list, delete.
And the AsyncAPI document served at /asyncapi equals the one shipped in docs/."""

from __future__ import annotations

import json
from typing import Any

import aio_pika
import httpx

from services.registration.bootstrap import build_app, runtime
from shared.kernel.settings import RegistrationSettings
from shared.web.asyncapi import render
from tests.support import AMQP_URL, ROOT, Isolation, bearer, eventually, in_process

ADMIN = bearer("*")
BAC_KAN = bearer("bac-kan", ["admin"])
CAO_BANG = bearer("cao-bang", ["admin"])
READER = bearer("bac-kan", ["reader"])


async def ok(http: httpx.AsyncClient, path: str, body: dict) -> None:
    r = await http.post(path, json=body, headers=ADMIN)
    assert r.status_code == 201, r.text


async def seed(http: httpx.AsyncClient, fed: str, members: int) -> None:
    await ok(http, f"/v1/federations/{fed}/units", {"code": "cdcs-a", "name": "A", "kind": "grassroots"})
    for i in range(members):
        member = {"code": f"dv-{i}", "full_name": f"N {i}", "unit": "cdcs-a"}
        await ok(http, f"/v1/federations/{fed}/members", member)


async def drain(queue_name: str) -> list[dict[str, Any]]:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, passive=True)
        out = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            out.append(json.loads(message.body))
        return out


async def test_subscriptions_are_bound_to_their_federation_only(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api", "relay"}))
    async with in_process(rt, build_app) as http:
        for fed in ("bac-kan", "cao-bang"):  # subscriptions are for federations that exist
            await ok(http, "/v1/federations", {"code": fed, "name": fed})
        base = "/v1/federations/bac-kan/subscriptions"
        body = {"name": "hrm", "event_types": ["member-registered", "tdkt.registration.unit-registered.v1"]}
        r = await http.post(base, json=body, headers=BAC_KAN)
        assert r.status_code == 201, r.text
        sub = r.json()
        assert sub["bindings"] == [
            "bac-kan.registration.member-registered",
            "bac-kan.registration.unit-registered",
        ]
        assert (await http.post(base, json=body, headers=BAC_KAN)).status_code == 200  # same again
        other = {**body, "event_types": ["member-registered"]}
        assert (await http.post(base, json=other, headers=BAC_KAN)).status_code == 409
        r = await http.post(base, json={"name": "x", "event_types": ["award-granted"]}, headers=BAC_KAN)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "event_types[0]", r.text
        # another federation's token neither sees nor creates them; a reader may not manage them
        assert (await http.post(base, json={"name": "spy"}, headers=CAO_BANG)).status_code == 404
        assert (await http.get(base, headers=CAO_BANG)).status_code == 404
        assert (await http.post(base, json={"name": "r"}, headers=READER)).status_code == 403
        assert (
            await http.post("/v1/subscriptions", json={"name": "all"}, headers=BAC_KAN)
        ).status_code == 403
        r = await http.post("/v1/subscriptions", json={"name": "all"}, headers=ADMIN)
        assert r.status_code == 201 and r.json()["bindings"][0].startswith("*.registration."), r.text
        national = r.json()

        await seed(http, "bac-kan", 3)
        await seed(http, "cao-bang", 2)

        async def delivered() -> None:
            got = await drain(sub["queue"])
            delivered.got += got  # type: ignore[attr-defined]
            types = sorted(e["type"].split(".")[2] for e in delivered.got)  # type: ignore[attr-defined]
            assert types == ["member-registered"] * 3 + ["unit-registered"], types

        delivered.got = []  # type: ignore[attr-defined]
        await eventually(delivered)
        assert {e["federation"] for e in delivered.got} == {"bac-kan"}  # type: ignore[attr-defined]

        async def everything() -> None:
            got = await drain(national["queue"])
            everything.got += got  # type: ignore[attr-defined]
            assert {e["federation"] for e in everything.got} == {"bac-kan", "cao-bang"}  # type: ignore[attr-defined]
            assert len(everything.got) == 2 + 3 + 2  # type: ignore[attr-defined]

        everything.got = []  # type: ignore[attr-defined]
        await eventually(everything)

        listed = (await http.get(base, headers=BAC_KAN)).json()
        assert [s["name"] for s in listed] == ["hrm"]
        assert [s["name"] for s in (await http.get("/v1/subscriptions", headers=ADMIN)).json()] == [
            "all",
            "hrm",
        ]
        assert (await http.delete(f"{base}/hrm", headers=CAO_BANG)).status_code == 404
        assert (await http.delete(f"{base}/hrm", headers=BAC_KAN)).status_code == 204
        assert (await http.get(base, headers=BAC_KAN)).json() == []
        connection = await aio_pika.connect(AMQP_URL)
        async with connection:
            channel = await connection.channel()
            try:
                await channel.declare_queue(sub["queue"], passive=True)
                raise AssertionError("the queue outlived its subscription")
            except aio_pika.exceptions.ChannelNotFoundEntity:
                pass


async def test_asyncapi_is_served_and_matches_the_shipped_document(isolation: Isolation) -> None:
    rt = runtime(isolation.settings(RegistrationSettings), frozenset({"api"}))
    async with in_process(rt, build_app) as http:
        r = await http.get("/asyncapi", headers=bearer("bac-kan", ["reader"]))
        assert r.status_code == 200
        served = r.json()
    shipped = (ROOT / "docs" / "asyncapi-registration.json").read_text(encoding="utf-8")
    # served with the deployment's exchange name; shipped with the default one
    assert render(served).replace(isolation.exchange, "tdkt.events") == shipped, (
        "run `python -m scripts.asyncapi` to regenerate docs/asyncapi-*.json"
    )
    types = {m["name"] for m in served["components"]["messages"].values()}
    assert "tdkt.registration.pledge-registered.v1" in types


def test_shipped_asyncapi_documents_are_current() -> None:
    from scripts.asyncapi import shipped_documents

    for service, document in shipped_documents().items():
        path = ROOT / "docs" / f"asyncapi-{service}.json"
        assert path.read_text(encoding="utf-8") == render(document), (
            f"{path} is stale: python -m scripts.asyncapi"
        )
